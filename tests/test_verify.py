"""The verify pipeline on the bundled examples: expected verdicts, replayable counterexamples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gocheck.explore import LivenessProperty, SafetyProperty
from gocheck.props.library import properties_for
from gocheck.verify import Limits, verify

EXAMPLES = sorted((Path(__file__).parent.parent / "spec" / "examples").glob("*.gos"))
EXPECT = re.compile(r"^// expect: (\w+) (holds|violated)$", re.MULTILINE)


def expectations(path: Path) -> dict[str, str]:
    return dict(EXPECT.findall(path.read_text()))


def test_examples_exist_and_state_their_verdicts() -> None:
    assert len(EXAMPLES) >= 10
    for path in EXAMPLES:
        assert expectations(path), f"{path.name} has no // expect: lines"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_verdicts_and_counterexamples(path: Path) -> None:
    expected = expectations(path)
    v = verify(str(path), properties=tuple(expected))
    got = {p.name: p.verdict for p in v.result.properties}
    assert got == expected
    props = {p.name: p for p in properties_for(v.spec, v.machine, tuple(expected))}
    for result in v.result.properties:
        cx = result.counterexample
        assert (cx is not None) == (result.verdict == "violated")
        if cx is None:
            continue
        states = v.states_of(cx.steps)  # raises if a step is not enabled where it is taken
        prop = props[result.name]
        if isinstance(prop, SafetyProperty):
            assert prop.bad(states[-1]), "a safety counterexample ends in a bad state"
            assert not any(prop.bad(s) for s in states[:-1]), "and is the first one"
        else:
            assert isinstance(prop, LivenessProperty)
            assert cx.loop_start is not None
            cycle = states[cx.loop_start:]
            common = frozenset.intersection(*(prop.labels(s) for s in cycle))
            assert common, "every state of the cycle carries one common label"
            if cx.loop_start < len(cx.steps):
                assert states[-1] == states[cx.loop_start], "the cycle closes"
            else:
                assert not v.machine.successors(states[-1]), "a stutter ends in a final state"


def test_verdicts_are_deterministic() -> None:
    path = str(next(p for p in EXAMPLES if p.stem == "mutex_misuse"))
    first, second = verify(path), verify(path)
    assert first.result.to_json() == {**second.result.to_json(),
                                      "stats": first.result.to_json()["stats"]}
    assert first.result.stats.states == second.result.stats.states


def test_a_state_limit_makes_verdicts_unknown() -> None:
    path = str(next(p for p in EXAMPLES if p.stem == "forkjoin"))
    v = verify(path, properties=("fork_join", "work_conserving"), limits=Limits(max_states=50))
    assert {p.verdict for p in v.result.properties} == {"unknown"}
    assert v.result.stats.stop_reason
