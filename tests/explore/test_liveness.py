"""Liveness under weak fairness: fair SCCs, exact verdicts, replayable lassos."""

from __future__ import annotations

import pytest
from hypothesis import given

from gocheck.explore.graph import StateGraph
from gocheck.explore.liveness import cyclic_core, fair_lasso, starved
from gocheck.explore.search import search
from gocheck.explore.store import StateStore

from .oracle import check_lasso, fair_stem
from .toys import (
    Counter,
    GraphSystem,
    Mutex,
    Philosophers,
    Toggle,
    alternating_labels,
    detour,
    random_systems,
    stuck,
)


def lasso(system, labels, terminal_counts):
    store = StateStore()
    (labelling,) = search(system, store, labelers=[labels]).labellings
    return fair_lasso(StateGraph(store), labelling, terminal_counts)


def violated(system, labels, terminal_counts):
    """The lasso, checked by replay against the definitions, with the shortest stem."""
    cx = lasso(system, labels, terminal_counts)
    assert cx is not None
    check_lasso(system, cx, labels, terminal_counts)
    assert cx.loop_start == fair_stem(system, labels, terminal_counts)
    return cx


@pytest.mark.parametrize("terminal_counts", [True, False])
def test_an_unfair_cycle_is_no_violation(terminal_counts):
    """Toggling for ever while B stays enabled starves B: every fair run finishes."""
    assert lasso(Toggle(b_always=True), Toggle.running, terminal_counts) is None


@pytest.mark.parametrize("terminal_counts", [True, False])
def test_a_fair_cycle_is_a_violation(terminal_counts):
    cx = violated(Toggle(b_always=False), Toggle.running, terminal_counts)
    assert [s.action for s in cx.steps] == ["toggle", "toggle"] and cx.loop_start == 0


def test_the_cycle_takes_the_detour_fairness_needs():
    system = detour()
    states = check_lasso(system, violated(system, system.labels, False), system.labels, False)
    assert 2 in states  # the short cycle 0-1-0 is unfair to B


def test_one_label_must_persist():
    system = alternating_labels()
    assert lasso(system, system.labels, True) is None


def test_steps_without_a_class_need_not_happen():
    system = GraphSystem({0: [("A", "A", 1), ("X", "", 2)], 1: [("A", "A", 0), ("X", "", 2)]},
                         {0: frozenset("L"), 1: frozenset("L")})
    violated(system, system.labels, False)


def test_enabled_counts_steps_to_labelled_states_outside_the_component():
    """B leaves the A-cycle {0, 1} from both states for 2, which carries L too but is
    terminal: the cycle is unfair, so only a counting terminal state violates."""
    system = GraphSystem({0: [("A", "A", 1), ("B", "B", 2)], 1: [("A", "A", 0), ("B", "B", 2)]},
                         {s: frozenset("L") for s in range(3)})
    assert lasso(system, system.labels, False) is None
    cx = violated(system, system.labels, True)
    assert cx.loop_start == len(cx.steps) == 1


def test_terminal_states_count_only_when_asked():
    system = stuck()
    cx = violated(system, system.labels, True)
    assert (len(cx.steps), cx.loop_start, cx.states) == (1, 1, (0, 1))
    assert lasso(system, system.labels, False) is None


def test_counter():
    cx = violated(Counter(4, wrap=True), Counter.labels, False)
    assert (len(cx.steps), cx.loop_start) == (4, 0)
    assert lasso(Counter(4), Counter.labels, False) is None
    cx = violated(Counter(4), Counter.labels, True)
    assert (len(cx.steps), cx.loop_start) == (3, 3)


def test_weak_fairness_lets_a_mutex_starve():
    """P0's acquire is disabled whenever P1 holds the lock, so P1 may cycle for ever."""
    cx = violated(Mutex(), Mutex.waiting, False)
    assert cx.loop_start == 1


def test_a_deadlock_never_terminates():
    cx = violated(Philosophers(), Philosophers.unfinished, True)
    assert cx.loop_start == len(cx.steps) == 2
    assert lasso(Philosophers(), Philosophers.unfinished, False) is None


def test_the_shallowest_component_wins():
    """A self-loop at depth 2 and a cycle at depth 1: the stem goes to the cycle."""
    system = GraphSystem({0: [("A", "A", 1), ("B", "B", 3)], 1: [("A", "A", 2)],
                          2: [("A", "A", 1)], 3: [("B", "B", 4)], 4: [("B", "B", 4)]},
                         {s: frozenset("L") for s in (1, 2, 4)})
    cx = violated(system, system.labels, False)
    assert cx.loop_start == 1 and cx.states[1] == 1


def test_starved_classes():
    system = GraphSystem({0: [("A", "A", 1), ("B", "B", 2)], 1: [("A", "A", 0), ("B", "B", 2)],
                          2: [("C", "C", 2)]})
    store = StateStore()
    search(system, store)
    graph = StateGraph(store)
    assert starved(graph, frozenset({0, 1})) == {"B"}
    assert starved(graph, frozenset({2})) == frozenset()


def test_cyclic_core_drops_the_chains():
    """0 -> 1 <-> 2 -> 3 -> 4 (self-loop at 4): the core is the cycle and the loop."""
    system = GraphSystem({0: [("A", "A", 1)], 1: [("A", "A", 2)], 2: [("A", "A", 1),
                          ("A", "A", 3)], 3: [("A", "A", 4)], 4: [("A", "A", 4)]})
    store = StateStore()
    search(system, store)
    graph = StateGraph(store)
    everyone = bytearray([1] * len(graph))
    core = [graph.decode(s) for s in cyclic_core(graph, everyone)]
    assert sorted(core) == [1, 2, 3, 4]  # 3 lies between two cycles
    without_4 = bytearray(graph.decode(s) != 4 for s in range(len(graph)))
    assert sorted(graph.decode(s) for s in cyclic_core(graph, without_4)) == [1, 2]


@pytest.mark.slow
@given(random_systems())
def test_agrees_with_brute_force(case):
    """Verdict and stem length against every set of states, lasso replayed and checked."""
    system, terminal_counts = case
    cx = lasso(system, system.labels, terminal_counts)
    expected = fair_stem(system, system.labels, terminal_counts)
    assert (cx is None) == (expected is None)
    if cx is not None:
        check_lasso(system, cx, system.labels, terminal_counts)
        assert cx.loop_start == expected
