"""The state graph view: networkx graphs on demand, shortest paths along the BFS tree."""

from __future__ import annotations

import networkx as nx
import pytest

from gocheck.explore.graph import StateGraph
from gocheck.explore.search import search
from gocheck.explore.store import StateStore

from .toys import GraphSystem, Grid, Mutex, Philosophers


def explored(system) -> StateGraph:
    store = StateStore()
    search(system, store)
    return StateGraph(store)


@pytest.mark.parametrize("system", [Grid(4, 3), Mutex(), Philosophers()])
def test_to_networkx_has_every_state_and_transition(system):
    graph = explored(system)
    g = graph.to_networkx()
    assert isinstance(g, nx.DiGraph) and list(g.nodes) == list(range(len(graph)))
    assert g.number_of_edges() == graph.transitions  # no parallel steps in these toys
    for u, v, data in g.edges(data=True):
        step = data["step"]
        assert (data["actor"], data["action"]) == (step.who, step.action)
        assert (step, graph.decode(v)) in system.successors(graph.decode(u))


def test_subgraph_is_induced_and_can_drop_attributes():
    graph = explored(Grid(3, 2))
    g = graph.to_networkx([4, 0, 1, 3], attributes=False)
    assert sorted(g.nodes) == [0, 1, 3, 4]
    # ids: 0 (0,0), 1 (1,0), 2 (0,1), 3 (2,0), 4 (1,1)
    assert sorted(g.edges) == [(0, 1), (1, 3), (1, 4)]
    assert all(not data for *_, data in g.edges(data=True))
    full = graph.to_networkx()
    assert set(g.edges) == {(u, v) for u, v in full.edges if u in g and v in g}


def test_parallel_steps_collapse_to_the_first():
    graph = explored(GraphSystem({0: [("A", "A", 1), ("B", "B", 1)]}))
    assert graph.transitions == 2
    g = graph.to_networkx()
    assert g.number_of_edges() == 1 and g.edges[0, 1]["actor"] == "A"
    assert graph.step(graph.edge_between(0, 1)).actor == "A"
    assert graph.enabled(0) == {"A", "B"} and graph.enabled(1) == frozenset()


def test_unfair_steps_enable_no_class():
    graph = explored(GraphSystem({0: [("A", "", 1)]}))
    assert graph.enabled(0) == frozenset() and graph.fairness(0) == ""


@pytest.mark.parametrize("system", [Grid(4, 3), Mutex(), Philosophers()])
def test_path_to_is_a_shortest_run(system):
    graph = explored(system)
    g = graph.to_networkx()
    lengths = nx.single_source_shortest_path_length(g, 0)
    for sid in range(len(graph)):
        path = graph.path_to(sid)
        assert len(path.steps) == lengths[sid] and path.states[0] == 0 and path.states[-1] == sid
        for u, step, v in zip(path.states, path.steps, path.states[1:], strict=False):
            assert (step, graph.decode(v)) in system.successors(graph.decode(u))


def test_terminal_states():
    graph = explored(Philosophers())
    terminal = [graph.decode(s) for s in range(len(graph)) if graph.is_terminal(s)]
    assert sorted(terminal) == [(1, 1, 1, 2), (3, 3, 0, 0)]
