"""The explored state graph as the engines and reports see it, read from the store's arrays.

Nodes are state ids; an edge is an index into the store's edge columns. networkx graphs are
built on demand (optionally for a subset of the nodes), never kept: a `DiGraph` costs a few
hundred bytes a node and an edge, a hundred times the compact form.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

import networkx as nx

from gocheck.explore.store import StateStore
from gocheck.model.system import Step


class Path(NamedTuple):
    """A run from the initial state: its steps and the state ids it visits (one more)."""

    steps: tuple[Step, ...]
    states: tuple[int, ...]


class StateGraph:
    """Read-only view of a `StateStore` after the search."""

    __slots__ = ("_fairness", "store")

    def __init__(self, store: StateStore):
        self.store = store
        self._fairness = [s.fairness for s in store.steps.items]

    def __len__(self) -> int:
        return len(self.store)

    @property
    def transitions(self) -> int:
        return len(self.store.edge_dst)

    @property
    def expanded(self) -> int:
        """States (ids below this) whose every successor is recorded."""
        return self.store.expanded

    def decode(self, sid: int) -> Any:
        return self.store.decode(sid)

    def out_edges(self, sid: int) -> range:
        start = self.store.edge_start
        return range(start[sid], start[sid + 1])

    def target(self, edge: int) -> int:
        return self.store.edge_dst[edge]

    def step(self, edge: int) -> Step:
        return self.store.steps[self.store.edge_step[edge]]

    def fairness(self, edge: int) -> str:
        """The edge's weak-fairness class ("" means the step is subject to none)."""
        return self._fairness[self.store.edge_step[edge]]

    def enabled(self, sid: int) -> frozenset[str]:
        """The fairness classes with a step out of `sid`, in the whole system."""
        return frozenset(self.fairness(e) for e in self.out_edges(sid)) - {""}

    def is_terminal(self, sid: int) -> bool:
        """No step is enabled (ended, fatal or deadlocked); only for expanded states."""
        return sid < self.store.expanded and not self.out_edges(sid)

    def edge_between(self, src: int, dst: int) -> int:
        """The first edge from `src` to `dst` (the model's order decides between parallels)."""
        return next(e for e in self.out_edges(src) if self.store.edge_dst[e] == dst)

    def path_to(self, sid: int) -> Path:
        """A shortest run from the initial state to `sid`, along the BFS tree."""
        store = self.store
        states, steps = [sid], []
        while sid > 0:
            steps.append(store.steps[store.via[sid]])
            sid = store.parent[sid]
            states.append(sid)
        return Path(tuple(reversed(steps)), tuple(reversed(states)))

    def to_networkx(self, nodes: Iterable[int] | None = None, *,
                    attributes: bool = True) -> nx.DiGraph:
        """The graph (or the subgraph induced by `nodes`) as a `networkx.DiGraph`.

        Edges carry `step` (the `Step`), `actor` (as tables show it) and `action` unless
        `attributes` is False. Parallel steps between two states collapse to the first.
        """
        keep = range(len(self)) if nodes is None else sorted(set(nodes))
        inside = None if nodes is None else set(keep)
        g = nx.DiGraph()
        g.add_nodes_from(keep)
        dst = self.store.edge_dst
        for u in keep:
            for e in self.out_edges(u):
                v = dst[e]
                if (inside is None or v in inside) and not g.has_edge(u, v):
                    if attributes:
                        s = self.step(e)
                        g.add_edge(u, v, step=s, actor=s.who, action=s.action)
                    else:
                        g.add_edge(u, v)
        return g
