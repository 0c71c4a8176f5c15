"""The two engines on random small specs: for every safety property (the library's and the
spec's invariants), within BMC depth K, they must agree.

- symbolic violated => explicit violated, with a shortest counterexample of the same length
  (BFS and BMC both find shortest runs), and the symbolic run replays through the explicit
  model to a state the explicit property calls bad;
- explicit violated with a counterexample of <= K steps => symbolic violated (BMC covered
  that depth), and more generally an `unknown` bounded by B rules out explicit ones <= B;
- symbolic holds (a k-induction proof) => explicit holds.

Specs the symbolic engine does not encode (`Unsupported`) are counted; most must be
supported. z3 gets a small budget per spec: running out gives `unknown` with the depth it
covered, which the rules above still constrain.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings

from gocheck.lang import ast
from gocheck.props.library import properties_for
from gocheck.symbolic.engine import check_symbolic, properties_of
from gocheck.verify import Limits, build, verify_spec
from tests.symbolic.agreement import assert_agree
from tests.symbolic.random_specs import safety_names, small_specs

K = 10
SECONDS = 3.0          # z3's budget per spec (a few specs need more: they end unknown)
MAX_STATES = 200_000   # the explicit engine's
SEEN: Counter[str] = Counter()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_specs())
def _engines_agree(spec: ast.Spec) -> None:
    machine = build(spec)
    names = safety_names(spec)
    explicit = {r.name: r for r in verify_spec(spec, properties=names,
                                               limits=Limits(max_states=MAX_STATES)
                                               ).result.properties}
    symbolic = check_symbolic(machine, properties_of(spec, machine, names), depth=K,
                              max_seconds=SECONDS, timeout_ms=int(SECONDS * 1000))
    SEEN["specs"] += 1
    if any("not yet supported" in (r.reason or "") for r in symbolic.properties):
        SEEN["unsupported"] += 1
        return
    bad = {p.name: p.bad for p in properties_for(spec, machine, names)}  # type: ignore[union-attr]
    for s in symbolic.properties:
        SEEN[f"symbolic {s.verdict}"] += 1
        assert_agree(machine, bad[s.name], explicit[s.name], s)  # type: ignore[arg-type]


def test_engines_agree_on_every_safety_property_within_depth() -> None:
    SEEN.clear()
    _engines_agree()
    assert SEEN["specs"] >= 200
    assert SEEN["unsupported"] <= SEEN["specs"] // 10, SEEN
    # the sample decides things both ways, not only trivial holds
    assert SEEN["symbolic violated"] and SEEN["symbolic holds"], SEEN
