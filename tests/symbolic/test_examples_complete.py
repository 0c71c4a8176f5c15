"""The issue's requirement in full: every example's safety verdicts are decided by the
symbolic engine within its default limits (holds or violated, never unknown) and equal the
explicit ones.

Not yet true (test_examples.py holds the examples decided now): mutex_misuse's `no_fatal`
violation takes 25 steps, deeper than BMC gets in its time (depth 19 after 11 minutes), and
pipeline's loops (a counted loop of sends, a `for range`) are outside the progress lemmas
that close the step case of the other examples (symbolic/lemmas.py), so its properties stay
`unknown` (mutex_misuse's `no_deadlock` is proved). This file runs when
GOCHECK_SYMBOLIC_COMPLETE=1 is set; remove the skip once the engine decides every example.
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
