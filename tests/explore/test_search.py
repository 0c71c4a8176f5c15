"""Breadth-first search: every state and transition once, in BFS order, within the limits."""

from __future__ import annotations

import pytest

from gocheck.explore import search as search_module
from gocheck.explore.search import search
from gocheck.explore.store import StateStore

from .oracle import reachable
from .toys import Counter, Grid, Mutex, Philosophers, Toggle

PINNED = [  # toy, states, transitions, depth: counted by hand in toys.py
    (Counter(5), 5, 4, 4),
    (Counter(5, wrap=True), 5, 5, 4),
    (Grid(3, 2), 9, 12, 4),
    (Grid(4, 3), 64, 144, 9),
    (Mutex(), 8, 14, 3),
    (Mutex(broken=True), 9, 18, 4),
    (Philosophers(), 13, 14, 6),
    (Toggle(b_always=True), 4, 4, 2),
    (Toggle(b_always=False), 3, 3, 1),
]


@pytest.mark.parametrize(("system", "states", "transitions", "depth"), PINNED)
def test_pinned_counts(system, states, transitions, depth):
    store = StateStore()
    stats = search(system, store).stats
    assert (stats.states, stats.transitions, stats.depth) == (states, transitions, depth)
    assert stats.stop_reason is None and store.expanded == states
    depths, n_transitions = reachable(system)
    assert len(depths) == states and n_transitions == transitions


@pytest.mark.parametrize("system", [toy for toy, *_ in PINNED])
def test_ids_are_bfs_order(system):
    """Ids never get shallower, and each parent chain is as long as the BFS depth."""
    store = StateStore()
    search(system, store)
    depths, _ = reachable(system)
    by_id = [depths[store.decode(i)] for i in range(len(store))]
    assert by_id == sorted(by_id)
    assert by_id == [store.depth(i) for i in range(len(store))]


def test_first_bad_state_is_a_shallowest_one():
    store = StateStore()
    found = search(Grid(5, 3), store, [lambda s: sum(s) == 7, lambda s: s == (4, 4, 4),
                                      lambda s: False])
    first = found.first_bad
    assert store.decode(first[0]) == (4, 3, 0)  # P0 moves first, so it leads in BFS
    assert store.depth(first[0]) == 7 and store.decode(first[1]) == (4, 4, 4)
    assert first[2] is None


def test_a_violated_predicate_is_not_asked_again():
    asked = []
    search(Counter(6), StateStore(), [lambda s: asked.append(s) or s >= 2])
    assert asked == [0, 1, 2]


def test_labels_are_recorded_per_state():
    store = StateStore()
    (lab,) = search(Mutex(), store, labelers=[Mutex.waiting]).labellings
    assert [lab.sets[lab.of[i]] for i in range(len(store))] == [
        Mutex.waiting(store.decode(i)) for i in range(len(store))]


def test_state_limit_stops_with_a_reason():
    store = StateStore()
    stats = search(Grid(10, 3), store, max_states=100).stats
    assert stats.states == 100 and stats.stop_reason == "state limit of 100 states reached"
    assert store.expanded < 100 and len(store.edge_start) == 101
    assert stats.transitions == len(store.edge_dst)


def test_a_limit_equal_to_the_state_count_is_not_hit():
    assert search(Grid(4, 3), StateStore(), max_states=64).stats.stop_reason is None


def test_time_limit_stops_with_a_reason():
    stats = search(Grid(30, 4), StateStore(), max_seconds=0.05).stats
    assert stats.stop_reason == "time limit of 0.05 s reached"
    assert 0 < stats.states < 30**4 and stats.seconds < 1


def test_max_states_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        search(Counter(2), StateStore(), max_states=0)


def test_progress_reports_growing_counts(monkeypatch):
    monkeypatch.setattr(search_module, "PROGRESS_PERIOD", 0.0)
    calls = []
    search(Grid(6, 2), StateStore(), progress=lambda *a: calls.append(a))
    assert calls and all(rate > 0 for *_, rate in calls)
    states = [c[0] for c in calls]
    assert states == sorted(states) and max(c[2] for c in calls) <= 10


def test_progress_is_rate_limited():
    calls = []
    stats = search(Grid(40, 3), StateStore(), progress=lambda *a: calls.append(a)).stats
    assert len(calls) <= stats.seconds / search_module.PROGRESS_PERIOD + 1
