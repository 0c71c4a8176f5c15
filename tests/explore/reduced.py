"""What the tests of the reductions (POR, dead values) share: the specs they run on (every
example and both variants of every zoo bug), the safety properties they check, and the
comparison of a reduced run with the full one."""

from __future__ import annotations

import sys
from pathlib import Path

from gocheck.explore import SafetyProperty, replay
from gocheck.lang import ast
from gocheck.lang.parser import parse_file
from gocheck.props.library import LIBRARY, properties_for
from gocheck.verify import Limits, Reductions, Verification, verify_spec

sys.path.insert(0, str(Path(__file__).parent.parent / "quality"))
from strategies import Sizes
from zoo import BUGS, buggy_spec, fixed_spec, zoo_spec

ROOT = Path(__file__).parent.parent.parent
EXAMPLES = sorted((ROOT / "spec" / "examples").glob("*.gos"))
SAFETY = tuple(n for n, e in LIBRARY.items() if e.kind == "safety")
SMALL = Sizes(max_funcs=2, max_depth=1, max_stmts=3, max_ticks=3)  # random specs to compare
NAMES = [p.name for p in EXAMPLES] + [f"{p.name}:{v}" for p in BUGS for v in ("buggy", "fixed")]


def spec_named(name: str) -> ast.Spec:
    """An example by file name, or a zoo spec as `bugname:buggy` / `bugname:fixed`."""
    if ":" not in name:
        return parse_file(str(ROOT / "spec" / "examples" / name))
    bug, variant = name.split(":")
    z = zoo_spec(ROOT / "spec" / "bugs" / bug)
    return buggy_spec(z) if variant == "buggy" else fixed_spec(z)


def safety_names(spec: ast.Spec) -> tuple[str, ...]:
    """Every safety property of the library and every invariant of the spec."""
    return SAFETY + tuple(i.name for i in spec.invariants)


def assert_same_verdicts(full: Verification, reduced: Verification, *,
                         lengths: bool = False) -> None:
    """Both runs finished, the reduced one with no more states and the same verdicts; each
    of its counterexamples replays in the full model to a bad state (as long as the full
    one's, with `lengths`)."""
    assert full.result.stats.stop_reason is None and reduced.result.stats.stop_reason is None
    assert reduced.result.stats.states <= full.result.stats.states
    props = {p.name: p for p in properties_for(full.spec, full.machine,
                                               safety_names(full.spec))}
    for a, b in zip(full.result.properties, reduced.result.properties, strict=True):
        assert (a.name, a.verdict) == (b.name, b.verdict)
        if b.counterexample is not None:
            if lengths:
                assert a.counterexample is not None
                assert len(b.counterexample.steps) == len(a.counterexample.steps)
            states = replay(full.machine, b.counterexample.steps)
            prop = props[b.name]
            assert isinstance(prop, SafetyProperty) and prop.bad(states[-1])


def full_and_reduced(spec: ast.Spec, reductions: Reductions
                     ) -> tuple[Verification, Verification] | None:
    """A random spec's safety properties verified without and with `reductions`, under a
    20,000-state limit; None when the full run hits it (too big to compare exactly)."""
    limits = Limits(max_states=20_000)
    names = safety_names(spec)
    full = verify_spec(spec, properties=names, limits=limits)
    if full.result.stats.stop_reason:
        return None
    return full, verify_spec(spec, properties=names, limits=limits, reductions=reductions)
