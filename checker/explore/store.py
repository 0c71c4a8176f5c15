"""Compact storage of an explored state graph: dense ids, the BFS tree and the edges.

A state is stored once, as the bytes of `marshal.dumps(state, 2)`: those bytes key a dict to
a dense id, and `keys[id]` gives them back to `decode`. Version 2 on purpose: for the values a
state may hold (tuples, ints, bools, None, str) it has exactly one encoding per value, while
version 3 and later emit back-references that depend on object identity and version 4 marks
interned strings, so equal states could get different bytes. Python's `True == 1` is the one
trap left: the two encode differently, so a model that mixes them only duplicates states
(never merges different ones); models keep their types consistent.

Ids are handed out in discovery order, which for a breadth-first search is depth order: a
lower id is never deeper, so "smallest id" doubles as "shortest path" for the engines.

Everything else is flat `array('i')` columns, about 30 bytes a state plus 8 an edge:
- the BFS tree: `parent[id]` and `via[id]`, the interned step that first reached the state;
- the edges in compressed sparse row form: states are expanded in id order, so a state's
  outgoing edges are contiguous, `edge_start[id]:edge_start[id + 1]` of `edge_dst` and
  `edge_step`, and no source column is needed. `expanded` counts the states whose successors
  were all recorded (the rest, if a limit stopped the search, have partial or empty rows).
Steps and label sets repeat a great deal, so they are interned (`Interner`).
"""

from __future__ import annotations

import marshal
import sys
from array import array
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

from gocheck.model.system import Step

T = TypeVar("T", bound=Hashable)


class Interner(Generic[T]):
    """Distinct values in first-seen order, each with a dense index."""

    __slots__ = ("index", "items")

    def __init__(self) -> None:
        self.items: list[T] = []
        self.index: dict[T, int] = {}

    def add(self, item: T) -> int:
        i = self.index.get(item)
        if i is None:
            i = self.index[item] = len(self.items)
            self.items.append(item)
        return i

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> T:
        return self.items[i]


class StateStore:
    """States by id, the BFS tree and the edge table; the search fills it, graph.py reads it."""

    __slots__ = ("edge_dst", "edge_start", "edge_step", "expanded", "ids", "keys", "parent",
                 "steps", "via")

    def __init__(self) -> None:
        self.ids: dict[bytes, int] = {}
        self.keys: list[bytes] = []
        self.parent = array("i")
        self.via = array("i")
        self.steps: Interner[Step] = Interner()
        self.edge_start = array("i", [0])
        self.edge_dst = array("i")
        self.edge_step = array("i")
        self.expanded = 0

    def __len__(self) -> int:
        return len(self.keys)

    def add(self, key: bytes, parent: int, via: int) -> int:
        """Store a state not seen before (its key) and return its new id."""
        sid = self.ids[key] = len(self.keys)
        self.keys.append(key)
        self.parent.append(parent)
        self.via.append(via)
        return sid

    def decode(self, sid: int) -> Any:
        return marshal.loads(self.keys[sid])

    def close(self, expanded: int) -> None:
        """End the search: `expanded` states are complete; every other state gets a row of
        the edges recorded so far (a partly expanded one) or an empty one."""
        self.expanded = expanded
        self.edge_start.extend([len(self.edge_dst)] * (len(self.keys) + 1 - len(self.edge_start)))

    def depth(self, sid: int) -> int:
        """Steps from the initial state (the BFS tree is a shortest-path tree)."""
        d = 0
        while sid > 0:
            sid = self.parent[sid]
            d += 1
        return d

    def nbytes(self) -> int:
        """Bytes the store holds, by `sys.getsizeof` (keys, the id dict, every column)."""
        columns = (self.parent, self.via, self.edge_start, self.edge_dst, self.edge_step)
        return (sum(map(sys.getsizeof, self.keys)) + sys.getsizeof(self.ids)
                + sys.getsizeof(self.keys) + sum(map(sys.getsizeof, columns))
                + sum(map(sys.getsizeof, self.steps.items)) + sys.getsizeof(self.steps.index))


class Labelling:
    """The label set of every stored state, interned: one int per state (liveness input)."""

    __slots__ = ("of", "sets")

    def __init__(self) -> None:
        self.sets: Interner[frozenset] = Interner()
        self.of = array("i")

    def add(self, labels: frozenset) -> None:
        """Record the labels of the next state in id order."""
        self.of.append(self.sets.add(labels))

    def labels(self) -> list[Hashable]:
        """Every label that occurs, in order of first occurrence (ties within one state's set
        broken by repr, since set order may vary from one process to the next)."""
        seen: dict[Hashable, None] = {}
        for labels in self.sets.items:
            seen.update(dict.fromkeys(sorted(labels, key=repr)))
        return list(seen)

    def members(self, label: Hashable) -> bytearray:
        """A 0/1 mask over state ids: which states carry `label`."""
        has = bytes(label in s for s in self.sets.items)
        return bytearray(has[i] for i in self.of)
