"""The engine's entry point: verdicts, shortest counterexamples that replay, limits,
determinism."""

from __future__ import annotations

from dataclasses import replace

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gocheck.explore import LivenessProperty, ReplayError, SafetyProperty, explore, replay

from .oracle import check_lasso, reachable
from .toys import GraphSystem, Grid, Mutex, Philosophers, Toggle, random_systems, step

MUTEX_PROPS = ([SafetyProperty("mutual_exclusion", Mutex.both_critical)],
               [LivenessProperty("no_starvation", Mutex.waiting, False)])


def verdicts(result):
    return {p.name: p.verdict for p in result.properties}


def assert_shortest(result, system, bad, cx):
    """The counterexample replays into a bad state, and none is nearer (networkx says)."""
    assert bad(replay(system, cx.steps)[-1])
    g = result.graph.to_networkx()
    lengths = nx.single_source_shortest_path_length(g, 0)
    nearest = min(d for sid, d in lengths.items() if bad(result.graph.decode(sid)))
    assert len(cx.steps) == nearest


def test_broken_mutex():
    system = Mutex(broken=True)
    result = explore(system, *MUTEX_PROPS)
    assert verdicts(result) == {"mutual_exclusion": "violated", "no_starvation": "holds"}
    cx = result.properties[0].counterexample
    assert cx.loop_start is None and len(cx.steps) == 4
    assert_shortest(result, system, Mutex.both_critical, cx)
    assert [result.graph.decode(s) for s in cx.states] == replay(system, cx.steps)


def test_correct_mutex_can_starve_under_weak_fairness():
    result = explore(Mutex(), *MUTEX_PROPS)
    assert verdicts(result) == {"mutual_exclusion": "holds", "no_starvation": "violated"}
    check_lasso(Mutex(), result.properties[1].counterexample, Mutex.waiting, False)


def test_philosophers():
    system = Philosophers()
    result = explore(system, [SafetyProperty("no_deadlock", system.deadlocked)], [
        LivenessProperty("terminates", Philosophers.unfinished, True),
        LivenessProperty("no_endless_run", Philosophers.unfinished, False)])
    assert verdicts(result) == {"no_deadlock": "violated", "terminates": "violated",
                                "no_endless_run": "holds"}
    deadlock, terminates = (p.counterexample for p in result.properties[:2])
    assert_shortest(result, system, system.deadlocked, deadlock)
    assert terminates.steps == deadlock.steps and terminates.loop_start == 2
    check_lasso(system, terminates, Philosophers.unfinished, True)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_shortest_counterexample_in_a_grid(k):
    system, bad = Grid(5, k), (lambda s: sum(s) == 3 and s[-1] >= 1)
    cx = explore(system, [SafetyProperty("p", bad)]).properties[0].counterexample
    assert len(cx.steps) == 3 and bad(replay(system, cx.steps)[-1])


def test_results_follow_property_order_and_stats_count_the_graph():
    result = explore(Toggle(b_always=False), [SafetyProperty("never", lambda s: False)],
                     [LivenessProperty("finishes", Toggle.running, True)])
    assert [p.name for p in result.properties] == ["never", "finishes"]
    assert all(p.engine == "explicit" for p in result.properties)
    assert (result.stats.states, result.stats.transitions, result.stats.depth) == (3, 3, 1)
    assert result.stats.stop_reason is None and len(result.graph) == 3


def test_a_limit_makes_undecided_properties_unknown():
    result = explore(Grid(10, 3), [SafetyProperty("shallow", lambda s: sum(s) == 2),
                                   SafetyProperty("never", lambda s: False)],
                     [LivenessProperty("live", lambda s: frozenset(), True)], max_states=50)
    assert verdicts(result) == {"shallow": "violated", "never": "unknown", "live": "unknown"}
    never, live = result.properties[1:]
    assert never.reason == ("state limit of 50 states reached; no violation in the 50 states "
                            "explored")
    assert live.reason == "state limit of 50 states reached; liveness needs the whole state graph"
    assert result.stats.stop_reason == "state limit of 50 states reached"
    assert result.stats.states == 50


def test_a_time_limit_gives_unknown():
    result = explore(Grid(40, 4), [SafetyProperty("never", lambda s: False)], max_seconds=0.05)
    (never,) = result.properties
    assert never.verdict == "unknown" and never.reason.startswith("time limit of 0.05 s reached")


PHILOSOPHERS_PROPS = ([SafetyProperty("no_deadlock", Philosophers().deadlocked)],
                      [LivenessProperty("terminates", Philosophers.unfinished, True)])


@pytest.mark.parametrize(("system", "props"), [
    (Mutex(), MUTEX_PROPS), (Mutex(broken=True), MUTEX_PROPS),
    (Philosophers(), PHILOSOPHERS_PROPS)])
def test_deterministic(system, props):
    """Same system, same verdicts, counterexamples, statistics (but time) and graph."""
    a, b = explore(system, *props), explore(system, *props)
    assert a.properties == b.properties
    assert replace(b.stats, seconds=a.stats.seconds) == a.stats
    sa, sb = a.graph.store, b.graph.store
    assert sa.keys == sb.keys and sa.edge_dst == sb.edge_dst and sa.edge_step == sb.edge_step
    assert sa.steps.items == sb.steps.items


def test_replay_refuses_a_step_that_is_not_enabled():
    with pytest.raises(ReplayError, match=r"step 2 \(P0: inc\) is not enabled"):
        replay(Grid(2, 1), [step("P0", "inc"), step("P0", "inc")])


def test_replay_refuses_an_ambiguous_step():
    class Twin(GraphSystem):
        def successors(self, s):
            return [(step("A", "go"), t) for t in (1, 2)] if s == 0 else []

    with pytest.raises(ReplayError, match="leads to several states"):
        replay(Twin({}), [step("A", "go")])


def test_a_bad_initial_state_has_an_empty_counterexample():
    (p,) = explore(Grid(3, 1), [SafetyProperty("p", lambda s: True)]).properties
    assert p.verdict == "violated" and p.counterexample.steps == ()
    assert p.counterexample.states == (0,)


@pytest.mark.slow
@given(random_systems(), st.sets(st.integers(0, 5)))
def test_safety_agrees_with_plain_bfs(case, bad_states):
    """Random systems: the verdict, a shortest counterexample that replays, and the counts."""
    system, _ = case
    result = explore(system, [SafetyProperty("p", bad_states.__contains__)])
    depths, transitions = reachable(system)
    assert (result.stats.states, result.stats.transitions) == (len(depths), transitions)
    nearest = min((d for s, d in depths.items() if s in bad_states), default=None)
    (p,) = result.properties
    assert p.verdict == ("holds" if nearest is None else "violated")
    if nearest is not None:
        assert len(p.counterexample.steps) == nearest
        assert replay(system, p.counterexample.steps)[-1] in bad_states
    again = explore(system, [SafetyProperty("p", bad_states.__contains__)])
    assert again.properties == result.properties
