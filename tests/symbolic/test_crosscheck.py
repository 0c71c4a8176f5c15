"""The z3 transition relation against the explicit model, state by state: for each of the
first reachable states of every example, the symbolic post-states are exactly the explicit
successors (same steps, same states)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gocheck.verify import load
from tests.symbolic.crosscheck import Checker, reachable

EXAMPLES = sorted(Path(__file__).parents[2].glob("spec/examples/*.gos"))
STATES_PER_EXAMPLE = 60


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_symbolic_successors_equal_explicit(path: Path) -> None:
    _, machine = load(str(path))
    checker = Checker(machine)
    for state in reachable(machine, STATES_PER_EXAMPLE):
        explicit = set(machine.successors(state))
        symbolic = {(step, post) for step, post, _ in checker.successors(state)}
        assert symbolic == explicit, f"{path.name}: successors differ"
