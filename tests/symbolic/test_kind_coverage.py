"""Every step kind of the symbolic transition relation is compared with the explicit model
at least once: the cross-check (z3 post-states == explicit successors, step by step) runs
on states of every example, both variants of every bug-zoo spec the encoding supports, and
a few specs written here for the kinds those do not reach."""

from __future__ import annotations

from gocheck.lang import ast
from gocheck.lang.check import check_or_raise
from gocheck.lang.parser import parse
from gocheck.symbolic.kind import KINDS
from gocheck.verify import build
from tests.symbolic.coverage import example_specs, telling_states, zoo_skipped, zoo_variants
from tests.symbolic.crosscheck import Checker

MAX_STATES = 20_000  # explicit states walked per spec to pick the telling ones
KEEP = 40            # states cross-checked per spec

# Step kinds the examples and the zoo do not reach: a Gosched, a select that parks.
HAND_WRITTEN = {
    "gosched": """
machine {
    procs = 1
}

func worker() {
    work(1)
}

func main() {
    go worker()
    runtime.Gosched()
    work(1)
}
""",
    "select_park": """
machine {
    procs = 2
}

var a = make(chan int)
var b = make(chan int)

func sender() {
    work(1)
    a <- 1
}

func main() {
    go sender()
    select {
    case <-a:
        work(1)
    case b <- 1:
    }
}
""",
    "gosched_wakep_off": """
machine {
    procs = 2
    gosched_wakep = off
}

func worker() {
    runtime.Gosched()
}

func main() {
    go worker()
    go worker()
    runtime.Gosched()
}
""",
}


def hand_written() -> list[tuple[str, ast.Spec]]:
    out = []
    for name, text in HAND_WRITTEN.items():
        spec = parse(text, f"<{name}>")
        check_or_raise(spec)
        out.append((name, spec))
    return out


def test_zoo_leaves_out_only_switches_the_encoding_does_not_mirror() -> None:
    for name, why in zoo_skipped().items():
        assert "machine key" in why, f"{name}: {why}"


def test_every_step_kind_is_cross_checked_without_a_mismatch() -> None:
    reached: dict[str, set[str]] = {}
    mismatches = []
    for name, spec in [*example_specs(), *zoo_variants(), *hand_written()]:
        machine = build(spec)
        checker = Checker(machine)
        for state in telling_states(machine, MAX_STATES, KEEP):
            symbolic = checker.successors(state)
            if {(step, post) for step, post, _ in symbolic} != set(machine.successors(state)):
                mismatches.append((name, state))
            for *_, kind in symbolic:
                reached.setdefault(kind, set()).add(name)
    assert not mismatches, f"z3 post-states differ from the explicit ones: {mismatches[:3]}"
    assert set(reached) == set(KINDS), f"never reached: {sorted(set(KINDS) - set(reached))}"
