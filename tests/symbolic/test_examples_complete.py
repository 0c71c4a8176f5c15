"""The issue's requirement in full: every example's safety verdicts are decided by the
symbolic engine within its default limits (holds or violated, never unknown) and equal the
explicit ones.

Not yet true (test_examples.py holds the examples decided now): mutex_misuse's `no_fatal`
violation takes 25 steps, deeper than BMC gets in its time. Its queries grow from seconds at
depth 12 to about a minute at depth 16 and past the 60 s timeout at depth 18, so z3 gives
up and the property stays `unknown` (mutex_misuse's `no_deadlock` is proved). Jumping depths
does not help: the satisfiable query is as hard as the unsatisfiable ones (depth 25 exactly:
no answer in 5 minutes; a stutter-closed unrolling, one query for every run of up to 26 or
32 steps, with the proved lemmas in every frame or without: none in 8 and 3 minutes), and
a shortest counterexample, which `--engine both` compares in length, needs the depth-24
query anyway. Other SAT-based searches were measured and fall short too: without a timeout
the depth-20 query alone takes 417 s (358 s for depths 0-19); z3's Spacer (PDR over Horn
clauses of the same T) gives no answer in 600 s; an IC3 over the frame literals (lifted
predecessors, core-based generalization) needs 5x more queries per level and reaches level
4 of 25 in 70 s; even BMC told each frame's program state from the explicit counterexample
takes 11-19 s at depth 25. This file runs when GOCHECK_SYMBOLIC_COMPLETE=1 is set; remove
the skip once the engine decides every example.
"""

from __future__ import annotations

import os

import pytest

from tests.symbolic.agreement import assert_decided
from tests.symbolic.examples import ALL

pytestmark = pytest.mark.skipif(
    not os.environ.get("GOCHECK_SYMBOLIC_COMPLETE"),
    reason="the symbolic engine does not decide every example yet "
           "(set GOCHECK_SYMBOLIC_COMPLETE=1 to run)")


@pytest.mark.parametrize("name", ALL)
def test_every_example_is_decided_with_the_explicit_verdicts(name: str) -> None:
    assert_decided(name)
