"""Symmetry with Ps renamed (`canonical_ps`) and the joint G/M/P canonical form.

The claims under test: the rules treat renamed states alike (the successors of a state and
of any renaming of it reach the same classes), every member of a class gets the same
representative (the reduction is exact), `--symmetry` renames Ps exactly when no checked
invariant reads a P by index, and verdicts and counterexamples survive the reduction.
"""

from __future__ import annotations

import random
import sys
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gocheck.explore import SafetyProperty, explore, replay
from gocheck.explore.symmetry import Quotient
from gocheck.lang import ast
from gocheck.lang.parser import parse, parse_file
from gocheck.model.machine import Machine
from gocheck.model.state import P_STATUS_, S_GS, S_MS, S_PIDLE, S_PS
from gocheck.model.symmetry import canonical, canonical_ps, rename
from gocheck.props.library import LIBRARY, properties_for
from gocheck.verify import Reductions, Verification, build, verify_spec

sys.path.insert(0, str(Path(__file__).parent.parent / "quality"))
from zoo import BUGS, buggy_spec, fixed_spec, zoo_spec

ROOT = Path(__file__).parent.parent.parent
EXAMPLES = sorted((ROOT / "spec" / "examples").glob("*.gos"))
NAMES = [p.name for p in EXAMPLES] + [f"{p.name}:{v}" for p in BUGS for v in ("buggy", "fixed")]
SAFETY = tuple(n for n, e in LIBRARY.items() if e.kind == "safety")
READS_P_INDEX = {"invariants.gos"}  # its invariant `queued` reads len(runq[0]), len(runq[1])


def family(k: int, procs: int) -> str:
    """The `benchmarks/vs_spin.py` family: k identical workers joined by a WaitGroup."""
    gos = "".join("    go worker()\n" for _ in range(k))
    return (f"machine {{\n    procs = {procs}\n}}\n\nvar wg sync.WaitGroup\n\n"
            "func worker() {\n    work(2)\n    syscall(1)\n    wg.Done()\n}\n\n"
            f"func main() {{\n    wg.Add({k})\n{gos}    wg.Wait()\n}}\n")


@cache
def _spec(name: str) -> ast.Spec:
    """An example by file name, a zoo spec as `bug.gos:buggy` / `bug.gos:fixed`, or the
    family as `family:K:PROCS`."""
    if name.startswith("family:"):
        _, k, procs = name.split(":")
        return parse(family(int(k), int(procs)))
    if ":" not in name:
        return parse_file(str(ROOT / "spec" / "examples" / name))
    bug, variant = name.split(":")
    z = zoo_spec(ROOT / "spec" / "bugs" / bug)
    return buggy_spec(z) if variant == "buggy" else fixed_spec(z)


@cache
def _sample(name: str, limit: int = 400) -> tuple[Machine, tuple[tuple, ...]]:
    """The machine and its first `limit` reachable states, breadth-first."""
    machine = build(_spec(name))
    seen = {machine.initial_state(): None}
    frontier = list(seen)
    while frontier and len(seen) < limit:
        nxt = []
        for s in frontier:
            for _step, t in machine.successors(s):
                if t not in seen and len(seen) < limit:
                    seen[t] = None
                    nxt.append(t)
        frontier = nxt
    return machine, tuple(seen)


SAMPLED = [*NAMES, "family:3:2", "family:2:3"]


def _classes(machine: Machine, s: tuple, canon: object) -> set[tuple]:
    return {canon(t) for _step, t in machine.successors(s)}  # type: ignore[operator]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_renamed_state_has_the_same_representative_and_successor_classes(data) -> None:
    """Any renaming of Gs (but main), Ms and Ps, applied consistently: the representative is
    the same (exact reduction), and the successors reach the same classes (the rules treat
    Ps, Ms and Gs alike). With Ps kept, the same for `canonical`."""
    name = data.draw(st.sampled_from(SAMPLED), label="spec")
    machine, states = _sample(name)
    s = states[data.draw(st.integers(0, len(states) - 1), label="state")]
    g_new = [0, *data.draw(st.permutations(range(1, len(s[S_GS]))), label="G")]
    m_new = data.draw(st.permutations(range(len(s[S_MS]))), label="M")
    p_new = data.draw(st.permutations(range(len(s[S_PS]))), label="P")
    moved = rename(s, g_new, m_new, p_new)
    assert canonical_ps(moved) == canonical_ps(s)
    assert _classes(machine, moved, canonical_ps) == _classes(machine, s, canonical_ps)
    kept = rename(s, g_new, m_new, None)
    assert canonical(kept) == canonical(s)
    assert _classes(machine, kept, canonical) == _classes(machine, s, canonical)


@pytest.mark.parametrize("name", SAMPLED)
def test_representatives_are_fixed_points_and_members_of_their_class(name: str) -> None:
    """canonical(canonical(s)) == canonical(s); a representative has the same contents
    up to names (main in place; Ps in place unless renamed), and every class of the G/M
    renaming lies within one class of the G/M/P renaming."""
    _machine, states = _sample(name)
    for s in states:
        for canon in (canonical, canonical_ps):
            c = canon(s)
            assert canon(c) == c
            assert sorted(c[S_GS]) == sorted(s[S_GS]) and c[S_GS][0] == s[S_GS][0]
            assert len(c[S_MS]) == len(s[S_MS]) and len(c[S_PIDLE]) == len(s[S_PIDLE])
            statuses = [[P[P_STATUS_] for P in x[S_PS]] for x in (c, s)]
            if canon is canonical:
                assert statuses[0] == statuses[1]
            else:
                assert sorted(statuses[0]) == sorted(statuses[1])
        assert canonical_ps(canonical(s)) == canonical_ps(s)


@pytest.mark.parametrize("name", SAMPLED)
def test_every_sampled_state_under_a_random_renaming(name: str) -> None:
    """The hypothesis test above, swept over every sampled state (one seeded renaming each)."""
    machine, states = _sample(name)
    rng = random.Random(name)
    for s in states:
        g_new = [0, *rng.sample(range(1, len(s[S_GS])), len(s[S_GS]) - 1)]
        m_new = rng.sample(range(len(s[S_MS])), len(s[S_MS]))
        p_new = rng.sample(range(len(s[S_PS])), len(s[S_PS]))
        moved = rename(s, g_new, m_new, p_new)
        assert canonical_ps(moved) == canonical_ps(s)
        assert _classes(machine, moved, canonical_ps) == _classes(machine, s, canonical_ps)
        assert canonical(rename(s, g_new, m_new, None)) == canonical(s)


def test_rename_is_consistent_and_invertible() -> None:
    _machine, states = _sample("family:3:2")
    s = states[-1]
    g_new = [0, *reversed(range(1, len(s[S_GS])))]
    m_new = list(reversed(range(len(s[S_MS]))))
    p_new = [1, 0]
    inverse = [sorted(range(len(f)), key=f.__getitem__) for f in (g_new, m_new, p_new)]
    moved = rename(s, g_new, m_new, p_new)
    assert moved != s
    assert rename(moved, *inverse) == s


# --- the verify pipeline ----------------------------------------------------------------------

def _safety_names(spec: ast.Spec) -> tuple[str, ...]:
    return SAFETY + tuple(i.name for i in spec.invariants)


@cache
def _verify(name: str, symmetry: bool) -> Verification:
    spec = _spec(name)
    return verify_spec(spec, properties=_safety_names(spec),
                       reductions=Reductions(symmetry=symmetry))


@pytest.mark.parametrize("name", NAMES)
def test_symmetry_keeps_verdicts_and_shortest_counterexamples(name: str) -> None:
    """Every safety verdict of every example and zoo spec (both variants) is the same with
    `--symmetry` (Ps renamed unless an invariant reads one by index); a counterexample is as
    short as the unreduced one and replays to a bad state."""
    full, reduced = _verify(name, False), _verify(name, True)
    spec = _spec(name)
    assert reduced.reduced_by == ("symmetry",)
    assert reduced.renamed == (("M", "G") if name in READS_P_INDEX else ("M", "G", "P"))
    assert full.result.stats.stop_reason is None and reduced.result.stats.stop_reason is None
    assert reduced.result.stats.states <= full.result.stats.states
    props = {p.name: p for p in properties_for(full.spec, full.machine, _safety_names(spec))}
    for a, b in zip(full.result.properties, reduced.result.properties, strict=True):
        assert (a.name, a.verdict) == (b.name, b.verdict)
        if b.counterexample is not None:
            assert a.counterexample is not None
            assert len(b.counterexample.steps) == len(a.counterexample.steps)
            states = replay(full.machine, b.counterexample.steps)
            prop = props[b.name]
            assert isinstance(prop, SafetyProperty) and prop.bad(states[-1])


def _quotient_states(text: str, canon: object) -> int:
    spec = parse(text)
    machine = build(spec)
    names = ("fork_join", "no_deadlock", "syscall_handoff")  # as benchmarks/vs_spin.py
    props = [p for p in properties_for(spec, machine, names) if isinstance(p, SafetyProperty)]
    result = explore(Quotient(machine, canon), props, [])  # type: ignore[arg-type]
    assert result.stats.stop_reason is None
    assert all(r.verdict == "holds" for r in result.properties)
    return result.stats.states


@pytest.mark.parametrize(("k", "procs"), [(2, 2), (1, 3)])
def test_renaming_ps_explores_strictly_fewer_states_on_the_family(k: int, procs: int) -> None:
    with_ps = _quotient_states(family(k, procs), canonical_ps)
    without = _quotient_states(family(k, procs), canonical)
    assert with_ps < without


INDEXED = "func main() {\n    go f()\n    work(1)\n}\n\nfunc f() {\n    work(1)\n}\n\n"


@pytest.mark.parametrize(("expr", "renamed"), [
    ("len(runq[1]) <= 1", ("M", "G")),
    ("!(len(runq[0]) > 1 && spinning > 5)", ("M", "G")),
    ("threads >= 1 || -len(runq[0]) < 1", ("M", "G")),
    ("spinning <= 3 && len(globalq) < 9", ("M", "G", "P")),
    ("-procs_idle <= 0", ("M", "G", "P")),
])
def test_ps_are_renamed_only_when_no_invariant_reads_one_by_index(
        expr: str, renamed: tuple[str, ...]) -> None:
    text = "machine {\n    procs = 2\n}\n\n" + INDEXED + f"invariant i {{ {expr} }}\n"
    v = verify_spec(parse(text), properties=("i", "fork_join"),
                    reductions=Reductions(symmetry=True))
    assert v.renamed == renamed
    library_only = verify_spec(parse(text), properties=("fork_join",),
                               reductions=Reductions(symmetry=True))
    assert library_only.renamed == ("M", "G", "P")
