"""One exception hierarchy for everything a user can get wrong; each maps to exit code 2.

Diagnostics are data (where, what, a stable code); rendering them with the source line and a
caret is `lang/diagnostics.py`'s job, so engines never print.
"""

from __future__ import annotations

from dataclasses import dataclass

from gocheck.lang.ast import Span


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem at one place. `code` is stable (GOS1xx syntax, GOS2xx semantics)."""

    path: str
    span: Span
    message: str
    code: str
    notes: tuple[str, ...] = ()


class GocheckError(Exception):
    """Bad input or usage: the CLI prints the message and exits 2."""

    exit_code = 2


class SpecError(GocheckError):
    """A spec that does not parse or check; carries every diagnostic found in one run."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        first = diagnostics[0]
        super().__init__(f"{first.path}:{first.span.line}:{first.span.col}: {first.message}")


class InputError(GocheckError):
    """A file that cannot be read at all (missing, a directory, not UTF-8, not a trace)."""
