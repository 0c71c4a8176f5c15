"""Random small specs: verdicts are deterministic and every counterexample is real."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from strategies import Sizes, specs

from gocheck.explore import SafetyProperty
from gocheck.explore.livelock import GraphProperty
from gocheck.lang import ast
from gocheck.props.library import LIBRARY, properties_for
from gocheck.verify import Limits, verify_spec

SMALL = Sizes(max_funcs=2, max_depth=1, max_stmts=3)
ALL = tuple(LIBRARY)
LIMITS = Limits(max_states=20_000)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs(SMALL))
def test_verdicts_are_deterministic_and_counterexamples_replay(spec: ast.Spec) -> None:
    first = verify_spec(spec, properties=ALL, limits=LIMITS)
    second = verify_spec(spec, properties=ALL, limits=LIMITS)
    assert [p.to_json() for p in first.result.properties] == [
        p.to_json() for p in second.result.properties]
    assert first.result.stats.states == second.result.stats.states
    props = {p.name: p for p in properties_for(spec, first.machine, ALL)}
    for result in first.result.properties:
        cx = result.counterexample
        if cx is None:
            continue
        states = first.states_of(cx.steps)
        prop = props[result.name]
        if isinstance(prop, SafetyProperty):
            assert prop.bad(states[-1])
        elif isinstance(prop, GraphProperty):  # a cycle of scheduler steps only
            cycle_steps = cx.steps[cx.loop_start:]
            assert states[-1] == states[cx.loop_start] and cycle_steps
            assert all(step.g is None and step.m is not None for step in cycle_steps)
        else:
            cycle = states[cx.loop_start:]
            assert frozenset.intersection(*(prop.labels(s) for s in cycle))
