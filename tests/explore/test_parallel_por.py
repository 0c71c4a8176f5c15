"""Parallel search under partial-order reduction: the cycle proviso is decided with the ids the
one-process search would have, so the reduced store, the verdicts, the counts and the
counterexamples are those of one worker, id for id, with symmetry or without."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import Sizes, specs

from gocheck.cli import main
from gocheck.explore import parallel, partition
from gocheck.explore.parallel import parallel_search
from gocheck.explore.search import search
from gocheck.explore.store import StateStore
from gocheck.lang import ast
from gocheck.lang.parser import parse_file
from gocheck.model.system import Step
from gocheck.props.library import LIBRARY
from gocheck.verify import Limits, Reductions, Verification, verify_spec

from .test_parallel import assert_same, columns
from .toys import GraphSystem

SPEC = Path(__file__).parent.parent.parent / "spec"
SAFETY = tuple(n for n, e in LIBRARY.items() if e.kind == "safety")
EXAMPLES = sorted((SPEC / "examples").glob("*.gos")) + [
    SPEC / "bugs" / name for name in ("z1_recheck_order.gos", "z4_idle_with_local_work.gos",
                                      "z6_global_check.gos")]


def both(path: Path, reductions: Reductions, cap: int | None = None,
         workers: int = 2) -> tuple[Verification, Verification]:
    """One worker and `workers`, on every safety property (so that the reduction is on)."""
    spec = parse_file(str(path))
    names = SAFETY + tuple(i.name for i in spec.invariants)
    one, many = (verify_spec(spec, properties=names, reductions=reductions,
                             limits=Limits(max_states=cap, workers=w)) for w in (1, workers))
    return one, many


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_por_with_workers_builds_the_one_worker_store(path: Path) -> None:
    one, two = both(path, Reductions(por=True))
    assert two.reduced_by == one.reduced_by
    assert_same(one, two)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_symmetry_and_por_with_workers_build_the_one_worker_store(path: Path) -> None:
    one, three = both(path, Reductions(symmetry=True, por=True), workers=3)
    assert three.reduced_by == one.reduced_by
    assert_same(one, three)


def test_the_reduction_is_really_on() -> None:
    """The comparisons above are not vacuous: the examples are reduced."""
    path = SPEC / "examples" / "forkjoin.gos"
    por = both(path, Reductions(por=True))[1]
    with_symmetry = both(path, Reductions(symmetry=True, por=True))[1]
    assert (por.reduced_by, with_symmetry.reduced_by) == (("por",), ("symmetry", "por"))
    assert with_symmetry.result.stats.states < por.result.stats.states < 231_720  # unreduced


@pytest.mark.parametrize("cap", [1, 500, 4_000])
def test_a_state_limit_under_por_cuts_the_same_states(cap: int) -> None:
    one, two = both(SPEC / "examples" / "pipeline.gos", Reductions(por=True), cap=cap)
    assert one.result.stats.stop_reason is not None
    assert_same(one, two)


@dataclass(frozen=True)
class Ample:
    """A table system with por.py's protocol: at a state, try its candidate successors (by
    index) in order and take the first one `settled` says is not settled alone."""

    graph: GraphSystem
    candidates: Mapping[int, Sequence[int]]

    def initial_state(self) -> int:
        return self.graph.initial_state()

    def successors(self, s: int) -> list[tuple[Step, int]]:
        return self.graph.successors(s)

    def ample(self, s: int, settled: Any) -> list[tuple[Step, int]]:
        out = self.graph.successors(s)
        for i in self.candidates.get(s, ()):
            if i < len(out) and not settled(out[i][1]):
                return [out[i]]
        return out


def back_and_forth(n: int) -> Ample:
    """A chain 0 -> 1 -> ... -> n-1 -> 0 where each state also steps back to its predecessor
    and two ahead; the candidates put the step back first. It is always refused (the
    predecessor is settled), so wherever a worker does not own the predecessor its first try
    is refuted by the owner and redone: the lead expands about half the states, and about
    half of those have a predecessor another worker owns."""
    edges = {s: [("A", "A", max(s - 1, 0)), ("B", "B", (s + 1) % n),
                 ("C", "C", min(s + 2, n - 1))] for s in range(n)}
    return Ample(GraphSystem(edges), {s: (0, 1) for s in range(n)})


def assert_same_search(system: Any, workers: int, cap: int | None = None) -> None:
    bad = [lambda s: s % 7 == 6]
    serial, par = StateStore(), StateStore()
    want = search(system, serial, bad, max_states=cap)
    got = parallel_search(system, par, bad, workers=workers, max_states=cap)
    assert columns(par) == columns(serial)
    assert got.first_bad == want.first_bad
    assert (got.stats.states, got.stats.transitions, got.stats.stop_reason) == (
        want.stats.states, want.stats.transitions, want.stats.stop_reason)


def test_refuted_guesses_are_redone_in_the_lead_too(monkeypatch: pytest.MonkeyPatch) -> None:
    redone: list[int] = []
    resolve = partition.Partition._resolve

    def spy(self: Any, *args: Any) -> list[tuple[int, int]]:
        again = resolve(self, *args)
        redone.append(len(again))
        return again

    monkeypatch.setattr(partition.Partition, "_resolve", spy)
    system = back_and_forth(60)
    assert_same_search(system, workers=2)
    assert sum(redone) > 0  # fails with odds (3/4)**60
    assert_same_search(system, workers=4)


@st.composite
def reduced_graphs(draw: st.DrawFn) -> Ample:
    """Random tables with many edges back into the explored part (where the proviso refuses)
    and random candidates, some out of range (never taken)."""
    n = draw(st.integers(1, 40))
    edge = st.tuples(st.sampled_from("AB"), st.sampled_from(["f", ""]), st.integers(0, n - 1))
    graph = GraphSystem({s: draw(st.lists(edge, max_size=4)) for s in range(n)})
    candidates = {s: draw(st.lists(st.integers(0, 4), max_size=3)) for s in range(n)}
    return Ample(graph, candidates)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)  # each example forks: fewer than the CI profile
@given(reduced_graphs(), st.integers(2, 3), st.none() | st.integers(1, 40))
def test_random_reduced_graphs_give_the_same_store(system: Ample, workers: int,
                                                   cap: int | None) -> None:
    assert_same_search(system, workers, cap)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs(Sizes(max_funcs=2, max_depth=1, max_stmts=3, max_ticks=3)), st.booleans())
def test_random_specs_under_por_give_the_one_worker_store(spec: ast.Spec,
                                                          symmetry: bool) -> None:
    names = SAFETY + tuple(i.name for i in spec.invariants)
    one, two = (verify_spec(spec, properties=names, limits=Limits(max_states=5_000, workers=w),
                            reductions=Reductions(symmetry=symmetry, por=True))
                for w in (1, 2))
    assert_same(one, two)


def test_an_ample_that_guesses_twice_is_refused() -> None:
    """The rounds rely on `ample` stopping at its first unsettled successor."""

    class Greedy(Ample):
        def ample(self, s: int, settled: Any) -> list[tuple[Step, int]]:
            out = self.graph.successors(s)
            return out if all(not settled(nxt) for _, nxt in out) else out[:1]

    system = Greedy(GraphSystem({s: [("A", "A", s + 1), ("B", "B", s + 2)] for s in range(200)}),
                    {})
    with pytest.raises((RuntimeError, parallel.WorkerError), match="first unsettled"):
        parallel_search(system, StateStore(), workers=2)


def test_cli_por_with_workers_prints_what_one_worker_prints() -> None:
    path = str(SPEC / "examples" / "syscall_handoff.gos")
    args = ["verify", "--por", "--symmetry", "--property", "no_deadlock", "--property",
            "syscall_handoff", path]
    one = CliRunner().invoke(main, args)
    two = CliRunner().invoke(main, [*args[:1], "--workers", "2", *args[1:]])
    assert two.exit_code == one.exit_code
    assert "partial-order reduction" in one.stdout
    assert two.stdout.splitlines()[1:] == one.stdout.splitlines()[1:]
