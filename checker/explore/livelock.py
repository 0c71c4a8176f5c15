"""Scheduler livelock: a reachable cycle made only of scheduler steps, found on the graph.

`no_scheduler_livelock` (bug-zoo.md §3, Z2: #43997 "runtime: non-spinning Ms spin uselessly
when work exists") is neither a state predicate nor a fairness property: it fails iff the
explored graph has a cycle whose every edge is a *scheduler step*, one in which no goroutine
takes a step and no M parks (an M that takes and drops a P forever). No fairness is assumed:
the futile loop is a cycle in which other actors, though enabled, do not move, and the
runtime's Ms really can spin so for as long as the others are descheduled.

Which edges are scheduler steps is the model's business (`Scheduler`); this module finds the
cycle. The counterexample is a lasso: the BFS path to the cycle's smallest state (ids are BFS
order, so the stem is the shortest of all such cycles' entries), then the shortest cycle of
scheduler steps through it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx

from gocheck.explore.graph import StateGraph
from gocheck.explore.result import Counterexample, ExploreResult, PropertyResult

# Whether edge e out of state u is a scheduler step (it may decode the states it needs).
Scheduler = Callable[[StateGraph, int, int], bool]


@dataclass(frozen=True, slots=True)
class GraphProperty:
    """Violated iff `find(graph)` returns a counterexample; decided on the finished graph."""

    name: str
    find: Callable[[StateGraph], Counterexample | None]


def livelock_property(name: str, scheduler: Scheduler) -> GraphProperty:
    """The property that no reachable cycle consists only of `scheduler` steps."""
    return GraphProperty(name, lambda graph: scheduler_cycle(graph, scheduler))


def decide(prop: GraphProperty, result: ExploreResult) -> PropertyResult:
    """The verdict of a graph property on an engine's finished (or stopped) search."""
    if result.stats.stop_reason is not None or result.graph is None:
        return PropertyResult(prop.name, "unknown", reason=(
            f"{result.stats.stop_reason}; a graph property needs the whole state graph"))
    cx = prop.find(result.graph)
    if cx is None:
        return PropertyResult(prop.name, "holds")
    return PropertyResult(prop.name, "violated", counterexample=cx)


def scheduler_subgraph(graph: StateGraph, scheduler: Scheduler) -> nx.DiGraph:
    """The expanded states joined by their scheduler steps; each edge keeps its id."""
    sub = nx.DiGraph()
    for u in range(graph.expanded):
        for e in graph.out_edges(u):
            v = graph.target(e)
            if not sub.has_edge(u, v) and scheduler(graph, e, u):
                sub.add_edge(u, v, edge=e)
    return sub


def scheduler_cycle(graph: StateGraph, scheduler: Scheduler) -> Counterexample | None:
    """A lasso whose cycle is made of scheduler steps only, with the shortest stem; or None."""
    sub = scheduler_subgraph(graph, scheduler)
    entries = [min(scc) for scc in nx.strongly_connected_components(sub)
               if len(scc) > 1 or sub.has_edge(min(scc), min(scc))]
    if not entries:
        return None
    entry = min(entries)
    stem = graph.path_to(entry)
    cycle = shortest_cycle(sub, entry)
    return Counterexample(stem.steps + tuple(graph.step(e) for e in cycle),
                          stem.states + tuple(graph.target(e) for e in cycle),
                          len(stem.steps))


def shortest_cycle(sub: nx.DiGraph, entry: int) -> list[int]:
    """The edge ids of a shortest cycle from `entry` back to it (breadth-first)."""
    parent: dict[int, tuple[int, int]] = {}
    queue = deque([entry])
    while queue:
        u = queue.popleft()
        for v, data in sub[u].items():
            if v == entry:
                return [*_edges_to(parent, u, entry), data["edge"]]
            if v not in parent:
                parent[v] = (u, data["edge"])
                queue.append(v)
    raise AssertionError("entry is on no cycle")


def _edges_to(parent: dict[int, tuple[int, int]], node: int, root: int) -> list[int]:
    edges: list[int] = []
    while node != root:
        node, e = parent[node]
        edges.append(e)
    return edges[::-1]
