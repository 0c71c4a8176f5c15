"""The bug zoo (docs/bugs.md): each buggy rule is caught with a replayable counterexample,
and the same spec with the switch at its fixed value holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from gocheck.explore import SafetyProperty
from gocheck.lang.parser import parse_file
from gocheck.props.library import properties_for
from gocheck.verify import verify_spec

from .zoo import BUGS, buggy_spec, fixed_spec, zoo_spec

pytestmark = pytest.mark.quality


def test_the_zoo_has_its_specs() -> None:
    assert len(BUGS) >= 7
    assert {zoo_spec(p).key for p in BUGS} >= {
        "recheck", "recheck_order", "runq_empty", "runnext_without_sysmon", "timer_steal"}


@pytest.mark.parametrize("path", BUGS, ids=lambda p: p.stem)
def test_buggy_variant_is_violated_with_a_replayable_counterexample(path: Path) -> None:
    z = zoo_spec(path)
    v = verify_spec(buggy_spec(z), properties=(z.prop,))
    (result,) = v.result.properties
    assert result.verdict == "violated"
    cx = result.counterexample
    assert cx is not None
    states = v.states_of(cx.steps)
    assert len(states) == len(cx.steps) + 1
    assert v.result.graph is not None
    assert [v.result.graph.decode(s) for s in cx.states] == states
    prop = properties_for(v.spec, v.machine, (z.prop,))[0]
    if isinstance(prop, SafetyProperty):
        assert cx.loop_start is None and prop.bad(states[-1])
    else:
        assert cx.loop_start is not None
        assert cx.loop_start == len(cx.steps) or states[-1] == states[cx.loop_start]


@pytest.mark.parametrize("path", BUGS, ids=lambda p: p.stem)
def test_fixed_variant_holds(path: Path) -> None:
    z = zoo_spec(path)
    v = verify_spec(fixed_spec(z), properties=(z.prop,))
    assert [r.verdict for r in v.result.properties] == ["holds"]


EXAMPLES = sorted((Path(__file__).parent.parent.parent / "spec" / "examples").glob("*.gos"))
NEW = ("no_scheduler_livelock", "spinning_p_empty", "idle_p_empty", "timer_conserving")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_examples_keep_the_zoo_properties_on_todays_machine(path: Path) -> None:
    v = verify_spec(parse_file(str(path)), properties=NEW)
    assert [r.verdict for r in v.result.properties] == ["holds"] * len(NEW)
