"""The quotient keeps safety verdicts and its counterexamples map back to real runs."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from strategies import Sizes, specs

from gocheck.explore import replay
from gocheck.lang import ast
from gocheck.props.library import LIBRARY
from gocheck.verify import Limits, Reductions, verify_spec

SAFETY = tuple(n for n, e in LIBRARY.items() if e.kind == "safety")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs(Sizes(max_funcs=2, max_depth=1, max_stmts=3)))
def test_symmetry_keeps_verdicts_and_shortest_lengths(spec: ast.Spec) -> None:
    limits = Limits(max_states=30_000)
    full = verify_spec(spec, properties=SAFETY, limits=limits)
    if full.result.stats.stop_reason:
        return  # too big to compare exactly
    reduced = verify_spec(spec, properties=SAFETY, limits=limits,
                          reductions=Reductions(symmetry=True))
    assert reduced.reduced_by == ("symmetry",)
    assert reduced.result.stats.states <= full.result.stats.states
    for a, b in zip(full.result.properties, reduced.result.properties, strict=True):
        assert (a.name, a.verdict) == (b.name, b.verdict)
        if b.counterexample is not None:
            assert len(b.counterexample.steps) == len(a.counterexample.steps)
            replay(full.machine, b.counterexample.steps)


def test_liveness_runs_are_not_reduced() -> None:
    spec_text = "func main() {\n    work(1)\n}\n"
    from gocheck.lang.parser import parse

    v = verify_spec(parse(spec_text), properties=("terminates", "fork_join"),
                    reductions=Reductions(symmetry=True))
    assert v.reduced_by == ()
