"""What the explicit and symbolic verdicts of one safety property must satisfy together
(stated here on its own, not through `gocheck.engines`, so the tests check that module
rather than repeat it)."""

from __future__ import annotations

from collections.abc import Callable

from gocheck.explore.engine import replay
from gocheck.explore.result import PropertyResult
from gocheck.model.machine import Machine
from gocheck.symbolic.engine import SymbolicResult
from tests.symbolic.examples import safety, symbolic


def assert_agree(machine: Machine, bad: Callable[[tuple], bool], e: PropertyResult,
                 s: SymbolicResult) -> None:
    """e: the explicit engine's result (a complete search, or `unknown`); s: the symbolic
    engine's for the same property."""
    name = s.name
    if s.verdict == "violated":
        assert s.counterexample is not None
        steps = list(s.counterexample.steps)
        assert bad(replay(machine, steps)[-1]), f"{name}: replays to a good state"
        assert e.verdict in ("violated", "unknown"), f"{name}: explicit says {e.verdict}"
        if e.verdict == "violated":
            assert e.counterexample is not None
            assert len(e.counterexample.steps) == len(steps), (
                f"{name}: shortest counterexamples of {len(e.counterexample.steps)} and "
                f"{len(steps)} steps")
    elif s.verdict == "holds":
        assert s.proof, f"{name}: holds without a proof"
        assert e.verdict in ("holds", "unknown"), f"{name}: proved, but explicit violated"
    elif s.bounded is None:  # no claim: not encodable, or out of time before BMC began
        assert s.reason, f"{name}: unknown without a reason"
    elif e.verdict == "violated":
        assert e.counterexample is not None
        assert len(e.counterexample.steps) > s.bounded, (
            f"{name}: explicit counterexample of {len(e.counterexample.steps)} steps, "
            f"symbolic found none of up to {s.bounded}")


def assert_decided(name: str) -> None:
    """Every safety property of example `name` is decided by the symbolic engine (never
    `unknown`) with the explicit verdict, and the two results agree."""
    machine, props, explicit = safety(name)
    for s in symbolic(name):
        assert s.verdict != "unknown", f"{name}: {s.name}: {s.reason}"
        assert s.verdict == explicit[s.name].verdict, f"{name}: {s.name}"
        assert_agree(machine, props[s.name].bad, explicit[s.name], s)
