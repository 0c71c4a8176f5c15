"""Readable counterexamples: among the shortest runs, the one that switches goroutines least.

The BFS tree gives *a* shortest run to a bad state, and which one is an accident of the
model's successor order: it tends to hop between goroutines, which is what makes a run hard
to follow. This is a post-pass over the finished graph, so the search pays nothing for it.

Invariants it relies on (store.py, search.py): ids are BFS order, so a state's depth is its
parent's plus one and every BFS layer is a contiguous id range; a shortest run uses only
*layered* edges, from depth k to depth k + 1. Hence:
- the candidate targets are the bad states of the shallowest bad state's layer (each state of
  that layer is decoded and tested once);
- a backward pass over the layers above marks the states that reach a target along layered
  edges, and a forward dynamic programme over (state, last goroutine) on those states finds
  the fewest switches. A switch is a step whose goroutine differs from the last goroutine a
  step named; steps that name none (a search that finds nothing, sysmon's retake) neither
  switch nor reset it.
Both passes read each layered edge once: linear in the edges above the targets' layer.
Ties go to the smallest (state id, edge index): the result is a function of the graph.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from gocheck.explore.graph import Path, StateGraph
from gocheck.model.system import Step


class Layers:
    """Every state's BFS depth and the id range of each layer, from the parent column in one
    pass (a parent's id is lower than its child's)."""

    __slots__ = ("depth", "graph", "starts")

    def __init__(self, graph: StateGraph):
        self.graph = graph
        parent = graph.store.parent
        self.depth = array("i", [0]) * len(graph)
        self.starts = [0]
        for sid in range(1, len(graph)):
            d = self.depth[sid] = self.depth[parent[sid]] + 1
            if d == len(self.starts):
                self.starts.append(sid)
        self.starts.append(len(graph))

    def __getitem__(self, k: int) -> range:
        """The ids of the states at depth k."""
        return range(self.starts[k], self.starts[k + 1])


def switches(steps: Sequence[Step]) -> int:
    """How often a run moves from one goroutine to another (steps naming no G are skipped)."""
    last, n = None, 0
    for s in steps:
        if s.g is not None:
            n += last is not None and s.g != last
            last = s.g
    return n


def same_layer(layers: Layers, sid: int, bad: Callable[[Any], bool]) -> list[int]:
    """`sid` and the other states of its layer that are `bad`."""
    decode = layers.graph.decode
    return [s for s in layers[layers.depth[sid]] if s == sid or bad(decode(s))]


def fewest_switches(graph: StateGraph, targets: Iterable[int],
                    layers: Layers | None = None) -> Path:
    """A shortest run to the shallowest of `targets` with the fewest goroutine switches."""
    layers = Layers(graph) if layers is None else layers
    wanted = set(targets)
    if not wanted:
        raise ValueError("no target state")
    goal = min(layers.depth[t] for t in wanted)
    useful = _reaching(graph, layers, {t for t in wanted if layers.depth[t] == goal}, goal)
    return _cheapest(graph, useful, goal)


def _reaching(graph: StateGraph, layers: Layers, goals: set[int],
              goal: int) -> list[set[int]]:
    """Per depth k <= goal, the states of layer k that reach a goal along layered edges."""
    useful: list[set[int]] = [set() for _ in range(goal + 1)]
    useful[goal] = goals
    dst = graph.store.edge_dst
    for k in range(goal - 1, -1, -1):
        below = useful[k + 1]
        useful[k] = {u for u in layers[k] if any(dst[e] in below for e in graph.out_edges(u))}
    return useful


def _cheapest(graph: StateGraph, useful: list[set[int]], goal: int) -> Path:
    """Forward over the useful states: best[(state, last G)] = (switches, back pointer)."""
    store = graph.store
    dst, edge_step, steps = store.edge_dst, store.edge_step, store.steps.items
    g_of = [s.g for s in steps]
    Key = tuple[int, int]  # (state, last G or -1)
    best: dict[Key, tuple[int, Key | None, int]] = {(0, -1): (0, None, -1)}
    frontier: list[Key] = [(0, -1)]
    for k in range(goal):
        below = useful[k + 1]
        nxt: dict[Key, tuple[int, Key | None, int]] = {}
        for key in sorted(frontier):
            cost = best[key][0]
            u, last = key
            for e in graph.out_edges(u):
                v = dst[e]
                if v not in below:
                    continue
                g = g_of[edge_step[e]]
                if g is None:
                    nk, c = (v, last), cost
                else:
                    nk, c = (v, g), cost + (last not in (-1, g))
                if nk not in nxt or c < nxt[nk][0]:
                    nxt[nk] = (c, key, e)
        best.update(nxt)
        frontier = list(nxt)
    end = min(frontier, key=lambda key: (best[key][0], key))
    states, path_steps = [end[0]], []
    key: Key | None = end
    while key is not None and best[key][1] is not None:
        _, prev, e = best[key]
        path_steps.append(steps[edge_step[e]])
        key = prev
        states.append(key[0])  # type: ignore[index]
    return Path(tuple(reversed(path_steps)), tuple(reversed(states)))
