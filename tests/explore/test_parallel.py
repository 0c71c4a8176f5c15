"""Parallel search: with several workers the store, the verdicts and the counterexamples are
those of the one-process search, id for id; limits stop it; a failing worker is reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gocheck.cli import main
from gocheck.explore.engine import explore, replay
from gocheck.explore.parallel import WorkerError, parallel_search
from gocheck.explore.search import search
from gocheck.explore.store import StateStore
from gocheck.lang.parser import parse_file
from gocheck.model.system import Step
from gocheck.verify import Limits, Reductions, Verification, verify_spec

from .toys import Counter, GraphSystem, Grid, Mutex, Philosophers, step

SPEC = Path(__file__).parent.parent.parent / "spec"
# Explored whole; the three examples of 70,000 states and more are compared under a state
# limit below (the limit cuts the same first states out of both).
LARGE = {"forkjoin.gos", "mutex_misuse.gos", "pipeline.gos"}
WHOLE = [p for p in sorted((SPEC / "examples").glob("*.gos")) if p.name not in LARGE] + [
    SPEC / "bugs" / name for name in ("z1_recheck_order.gos", "z2_nonspinning_recheck.gos",
                                      "z4_idle_with_local_work.gos", "z6_global_check.gos")]


def columns(store: StateStore) -> tuple:
    """Everything a store holds, as plain values (the states decoded: the one-process search
    may key them by another codec)."""
    assert len(store.keys) == len(store)
    assert all(store.lookup(key) == i for i, key in enumerate(store.keys))
    return ([store.decode(i) for i in range(len(store))], list(store.parent), list(store.via),
            store.steps.items, list(store.edge_start), list(store.edge_dst),
            list(store.edge_step), store.expanded)


NO_LIMITS, NO_REDUCTIONS = Limits(), Reductions()


def both(path: Path, limits: Limits = NO_LIMITS,
         reductions: Reductions = NO_REDUCTIONS) -> tuple[Verification, Verification]:
    spec = parse_file(str(path))
    one = verify_spec(spec, limits=limits, reductions=reductions)
    two = verify_spec(spec, limits=Limits(limits.max_states, limits.max_seconds, workers=2),
                      reductions=reductions)
    return one, two


def assert_same(one: Verification, two: Verification) -> None:
    assert two.result.properties == one.result.properties  # verdicts and counterexamples
    s1, s2 = one.result.stats, two.result.stats
    assert (s2.states, s2.transitions, s2.depth, s2.stop_reason) == (
        s1.states, s1.transitions, s1.depth, s1.stop_reason)
    assert one.result.graph is not None and two.result.graph is not None
    assert columns(two.result.graph.store) == columns(one.result.graph.store)
    for p in two.result.properties:
        if p.counterexample is not None:
            states = two.states_of(p.counterexample.steps)  # replays through the machine
            assert len(states) == len(p.counterexample.steps) + 1


@pytest.mark.parametrize("path", WHOLE, ids=lambda p: p.name)
def test_two_workers_build_the_one_worker_store(path: Path) -> None:
    assert_same(*both(path))


@pytest.mark.parametrize("name", sorted(LARGE))
@pytest.mark.parametrize("cap", [1, 700, 5_000])
def test_a_state_limit_cuts_the_same_states_and_edges(name: str, cap: int) -> None:
    one, two = both(SPEC / "examples" / name, Limits(max_states=cap))
    assert one.result.stats.stop_reason is not None  # the limit was hit
    assert {p.verdict for p in two.result.properties} <= {"unknown", "violated"}
    assert_same(one, two)


@pytest.mark.parametrize(("name", "cap"), [("select.gos", None), ("sleep_not_join.gos", None),
                                         ("syscall_handoff.gos", None),
                                         ("mutex_misuse.gos", 3_000)])
def test_symmetry_gives_the_same_reduced_store(name: str, cap: int | None) -> None:
    one, two = both(SPEC / "examples" / name, Limits(max_states=cap),
                    Reductions(symmetry=True))
    assert two.reduced_by == one.reduced_by == ("symmetry",)
    assert_same(one, two)


@pytest.mark.parametrize("workers", [2, 3, 4])
@pytest.mark.parametrize("system", [Grid(4, 3), Mutex(broken=True), Philosophers(),
                                    Counter(5, wrap=True)], ids=repr)
def test_toys_with_labels_and_any_worker_count(system, workers: int) -> None:
    bad = [lambda s: s == system.initial_state(), lambda s: not system.successors(s)]
    labels = [lambda s: frozenset({len(system.successors(s))})]
    serial, parallel = StateStore(), StateStore()
    want = search(system, serial, bad, labels)
    got = parallel_search(system, parallel, bad, labels, workers=workers)
    assert columns(parallel) == columns(serial)
    assert got.first_bad == want.first_bad
    assert [list(lab.of) for lab in got.labellings] == [list(lab.of) for lab in want.labellings]
    assert [lab.sets.items for lab in got.labellings] == [
        lab.sets.items for lab in want.labellings]
    assert got.stats.states == want.stats.states and got.stats.depth == want.stats.depth


@st.composite
def graphs(draw: st.DrawFn) -> GraphSystem:
    """Random systems big enough for several layers, with many shared successors (the
    parents that race to discover a state) and labels."""
    n = draw(st.integers(1, 40))
    edge = st.tuples(st.sampled_from("AB"), st.sampled_from(["f", ""]), st.integers(0, n - 1))
    return GraphSystem({s: draw(st.lists(edge, max_size=4)) for s in range(n)},
                       {s: frozenset(draw(st.sets(st.sampled_from("xy")))) for s in range(n)})


@pytest.mark.slow
@settings(max_examples=60, deadline=None)  # each example forks: fewer than the CI profile
@given(graphs(), st.integers(2, 3), st.none() | st.integers(1, 40))
def test_random_graphs_give_the_same_store(system: GraphSystem, workers: int,
                                           cap: int | None) -> None:
    bad = [lambda s: "x" in system.labels(s)]
    serial, parallel = StateStore(), StateStore()
    want = search(system, serial, bad, [system.labels], max_states=cap)
    got = parallel_search(system, parallel, bad, [system.labels], workers=workers,
                          max_states=cap)
    assert columns(parallel) == columns(serial)
    assert got.first_bad == want.first_bad
    assert list(got.labellings[0].of) == list(want.labellings[0].of)
    assert got.stats.stop_reason == want.stats.stop_reason


def test_a_time_limit_stops_every_worker_with_a_coherent_store() -> None:
    spec = parse_file(str(SPEC / "examples" / "forkjoin.gos"))
    v = verify_spec(spec, limits=Limits(max_seconds=0.3, workers=2))
    stats = v.result.stats
    assert stats.stop_reason == "time limit of 0.3 s reached"
    assert stats.states < 231_720  # the whole graph has that many
    assert {p.verdict for p in v.result.properties} <= {"unknown", "violated"}
    graph = v.result.graph
    assert graph is not None and len(graph) == stats.states
    last = graph.path_to(len(graph) - 1)  # the BFS tree reaches every kept state
    assert len(replay(v.machine, last.steps)) == len(last.steps) + 1


class Exploding:
    """Counts up; the successors of `at` raise (an engine must report it, not hang)."""

    def __init__(self, at: int):
        self.at = at

    def initial_state(self) -> int:
        return 0

    def successors(self, s: int) -> list[tuple[Step, int]]:
        if s == self.at:
            raise RuntimeError("model bug")
        return [(step("P0", "inc"), s + 1), (step("P1", "inc"), s + 2)] if s < 50 else []


@pytest.mark.parametrize("at", range(4))  # owned by the lead for some, a child for others
def test_a_failing_worker_is_reported_not_waited_for(at: int) -> None:
    with pytest.raises((WorkerError, RuntimeError), match="model bug"):
        parallel_search(Exploding(at), StateStore(), workers=2)


def test_refuses_what_it_cannot_do_alike() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        explore(Counter(3), workers=0)
    with pytest.raises(ValueError, match="at least 2"):
        parallel_search(Counter(3), StateStore(), workers=1)
    with pytest.raises(ValueError, match="empty exact"):
        parallel_search(Counter(3), StateStore(hash_bits=64), workers=2)
    with pytest.raises(ValueError, match="max_states"):
        parallel_search(Counter(3), StateStore(), workers=2, max_states=0)
    with pytest.raises(ValueError, match="marshal"):
        parallel_search(Counter(3), OtherCodec(), workers=2)


class OtherCodec(StateStore):
    """A store keying states in a way another process could not repeat."""

    def __init__(self) -> None:
        super().__init__()
        self.encode = lambda state: b"interned"


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["verify", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_workers_prints_what_one_worker_prints() -> None:
    path = str(SPEC / "examples" / "sleep_not_join.gos")
    code1, out1, _ = cli(path)
    code2, out2, _ = cli("--workers", "2", path)
    assert code2 == code1 == 1
    assert out2.splitlines()[1:] == out1.splitlines()[1:]  # all but the line with the time
    assert "violated" in out2
    docs = [json.loads(cli("--json", *w, path)[1]) for w in ([], ["--workers", "3"])]
    for doc in docs:
        del doc["stats"]["seconds"]
    assert docs[0] == docs[1]


def test_cli_workers_with_a_limit_is_inconclusive() -> None:
    code, out, _ = cli("--workers", "2", "--max-states", "50",
                       str(SPEC / "examples" / "netpoller.gos"))
    assert code == 3 and "unknown" in out


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_cli_rejects_a_bad_worker_count(value: str) -> None:
    code, _, err = cli("--workers", value, str(SPEC / "examples" / "select.gos"))
    assert code == 2 and "--workers" in err


def test_a_time_limit_already_spent_keeps_the_initial_state_only() -> None:
    one, two = both(SPEC / "examples" / "invariants.gos", Limits(max_seconds=1e-9))
    assert two.result.stats.states == 1
    assert {p.verdict for p in two.result.properties} == {"unknown"}
    assert_same(one, two)
