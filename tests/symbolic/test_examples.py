"""The examples under the symbolic engine: k-induction proves their `holds` verdicts (from
the proved lemmas at small k where they are needed), and a time budget too small to decide
leaves verdicts consistent with the explicit ones (test_examples_complete.py asks every
example for its verdicts under the default limits).
"""

from __future__ import annotations

import re

import pytest

from gocheck.symbolic.engine import LEMMAS_FROM
from tests.symbolic.agreement import assert_agree
from tests.symbolic.examples import safety, symbolic

K_INDUCTION = r"k-induction, k=[0-9]+"
BUDGET = 10.0  # seconds: BMC covers part of mutex_misuse's 25-step counterexample in it
BUDGETED = ("mutex_misuse", "syscall_handoff")  # the two examples that take over a minute
# Proved by the step case from the proved lemmas (symbolic/lemmas.py) at the depth they are
# proved at (LEMMAS_FROM) or a little later (a loaded machine), far below the examples'
# recurrence diameters (k=20 to 30 for the forward check): without the lemmas the step case
# has counterexamples to induction at every k the forward check leaves time for.
STRENGTHENED = {
    "forkjoin": ("fork_join", "no_deadlock"),
    "invariants": ("fork_join", "joined", "no_deadlock", "queued", "syscall_handoff"),
    "pipeline": ("fork_join", "no_deadlock", "no_fatal"),  # loops: the channel lemmas
    "select": ("no_deadlock",),
    "syscall_handoff": ("fork_join", "no_deadlock"),
}
STRENGTHENED_K = 8


def test_at_least_three_holds_are_proved_by_k_induction() -> None:
    proved = [(name, s.name) for name in sorted(STRENGTHENED) for s in symbolic(name)
              if s.verdict == "holds" and re.fullmatch(K_INDUCTION, s.proof or "")]
    assert len(proved) >= 3, proved


@pytest.mark.parametrize("name", BUDGETED)
def test_a_small_budget_leaves_consistent_verdicts(name: str) -> None:
    machine, props, explicit = safety(name)
    for s in symbolic(name, max_seconds=BUDGET):
        assert_agree(machine, props[s.name].bad, explicit[s.name], s)


@pytest.mark.parametrize("name", sorted(STRENGTHENED))
def test_lemmas_let_the_step_case_prove_at_small_k(name: str) -> None:
    explicit = safety(name)[2]
    results = {s.name: s for s in symbolic(name)}
    for prop in STRENGTHENED[name]:
        s = results[prop]
        assert s.verdict == explicit[prop].verdict == "holds", f"{name}: {prop}: {s.reason}"
        k = int(re.fullmatch(r"k-induction, k=([0-9]+)", s.proof or "")[1])  # type: ignore
        assert LEMMAS_FROM <= k <= STRENGTHENED_K, f"{name}: {prop}: {s.proof}"
