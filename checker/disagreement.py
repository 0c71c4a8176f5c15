"""What `--engine both` raises when the engines contradict each other.

Kept apart from engines.py so that the CLI and the report can name it without loading the
symbolic engine (and z3) on every command.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gocheck.explore.result import PropertyResult


@dataclass(frozen=True, slots=True)
class Conflict:
    """One property the engines decide differently, and why that cannot both be right."""

    name: str
    why: str
    explicit: PropertyResult | None
    symbolic: PropertyResult | None


class EngineDisagreement(Exception):
    """The engines contradict each other: a bug in one of them, never the user's input."""

    def __init__(self, spec: str, conflicts: Sequence[Conflict]):
        self.spec = spec
        self.conflicts = tuple(conflicts)
        super().__init__(f"{spec}: the explicit and symbolic engines disagree on "
                         + ", ".join(c.name for c in conflicts))
