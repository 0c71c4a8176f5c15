"""Compact storage of an explored state graph: dense ids, the BFS tree and the edges.

A state is stored once, as the bytes its codec (codec.py) makes of it: those bytes key a dict
to a dense id, and `keys[id]` gives them back to `decode`. The default codec is
`marshal.dumps(state, 2)`, self-contained bytes that any process makes alike; a one-process
search may use `InterningCodec` instead, keys of 16 bytes (about a fifth of the bytes a
state takes). Marshal version 2 on purpose: for the values a state may hold (tuples, ints,
bools, None, str) it has exactly one encoding per value, while version 3 and later emit
back-references that depend on object identity and version 4 marks interned strings, so
equal states could get different bytes. Python's `True == 1` is the one trap left: marshal
encodes the two differently (a model that mixed them would only duplicate states), the
interning codec takes them for one; models keep their types consistent.

Ids are handed out in discovery order, which for a breadth-first search is depth order: a
lower id is never deeper, so "smallest id" doubles as "shortest path" for the engines.

Hash compaction (`StateStore(hash_bits=64)`, SPIN's -DHC): the dict keys a state by a
`hash_bits`-bit BLAKE2b digest of its bytes instead of the bytes, and the bytes are kept only
while the state waits in the frontier (`take` hands them to the search, which expands states
in id order, and drops them). Two states with one digest are taken for one, so a state may be
missed: `miss_probability` bounds the chance that any was, n(n - 1) / 2^(bits + 1) for n
states (every pair collides with probability 2^-bits). The BFS tree and the edges are kept as
in the exact store, so counterexamples replay as usual; an expanded state cannot be decoded.

Everything else is flat `array('i')` columns, about 30 bytes a state plus 8 an edge:
- the BFS tree: `parent[id]` and `via[id]`, the interned step that first reached the state;
- the edges in compressed sparse row form: states are expanded in id order, so a state's
  outgoing edges are contiguous, `edge_start[id]:edge_start[id + 1]` of `edge_dst` and
  `edge_step`, and no source column is needed. `expanded` counts the states whose successors
  were all recorded (the rest, if a limit stopped the search, have partial or empty rows).
Steps and label sets repeat a great deal, so they are interned (`Interner`).
"""

from __future__ import annotations

import hashlib
import sys
from array import array
from collections import deque
from collections.abc import Hashable
from itertools import count
from typing import Any, Generic, TypeVar

from gocheck.explore.codec import InterningCodec, MarshalCodec
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
    """States by id, the BFS tree and the edge table; the search fills it, graph.py reads it.

    The search reads states through bound methods: `encode(state)`, a state's bytes (its
    key), `lookup(key)`, the id of a state's bytes or None, `take(sid)`, the bytes of the next
    state to expand (ids in order), and `codec.decode(key)`, the state back.
    """

    __slots__ = ("codec", "edge_dst", "edge_start", "edge_step", "encode", "expanded",
                 "frontier", "hash_bits", "ids", "keys", "lookup", "parent", "steps", "take",
                 "via")

    def __init__(self, hash_bits: int | None = None, *,
                 codec: MarshalCodec | InterningCodec | None = None) -> None:
        if hash_bits is not None and not (hash_bits % 8 == 0 and 32 <= hash_bits <= 512):
            raise ValueError("hash_bits must be a multiple of 8 from 32 to 512")
        self.hash_bits = hash_bits
        self.codec = MarshalCodec() if codec is None else codec
        self.encode = self.codec.encode
        self.ids: dict[bytes, int] = {}
        self.keys: list[bytes] = []  # exact store: every state's bytes, by id
        self.frontier: deque[bytes] = deque()  # hash compaction: the bytes not yet taken
        self.parent = array("i")
        self.via = array("i")
        self.steps: Interner[Step] = Interner()
        self.edge_start = array("i", [0])
        self.edge_dst = array("i")
        self.edge_step = array("i")
        self.expanded = 0
        if hash_bits is None:
            self.lookup = self.ids.get
            self.take = self.keys.__getitem__
        else:
            self.lookup = self._lookup_digest
            self.take = self._take_frontier

    def __len__(self) -> int:
        return len(self.parent)

    def index_on_demand(self) -> None:
        """Leave the id dict of the keys put in `keys` directly to the first `lookup`: the
        parallel search fills `keys` alone, since nothing looks a state up after a search
        and the dict would cost a second table the size of the store."""
        self.lookup = self._index_then_lookup

    def _index_then_lookup(self, key: bytes) -> int | None:
        ids = self.ids
        ids.update(zip(self.keys[len(ids):], count(len(ids))))
        self.lookup = ids.get
        return ids.get(key)

    def add(self, key: bytes, parent: int, via: int) -> int:
        """Store a state not seen before (its key) and return its new id."""
        sid = len(self.parent)
        if self.hash_bits is None:
            self.ids[key] = sid
            self.keys.append(key)
        else:
            self.ids[self._digest(key)] = sid
            self.frontier.append(key)
        self.parent.append(parent)
        self.via.append(via)
        return sid

    def _digest(self, key: bytes) -> bytes:
        return hashlib.blake2b(key, digest_size=self.hash_bits // 8).digest()  # type: ignore

    def _lookup_digest(self, key: bytes) -> int | None:
        return self.ids.get(self._digest(key))

    def _take_frontier(self, _sid: int) -> bytes:
        return self.frontier.popleft()

    def decode(self, sid: int) -> Any:
        if self.hash_bits is None:
            return self.codec.decode(self.keys[sid])
        first = len(self.parent) - len(self.frontier)
        if sid < first:
            raise LookupError(f"state {sid} was expanded: a hash-compacted store keeps only "
                              "the frontier's states (replay the path to it instead)")
        return self.codec.decode(self.frontier[sid - first])

    def miss_probability(self) -> float:
        """An upper bound on the chance that hash compaction merged two distinct states
        (0 for the exact store): n(n - 1) / 2 pairs, each colliding with 2^-bits."""
        if self.hash_bits is None:
            return 0.0
        n = len(self.parent)
        return min(1.0, n * (n - 1) / 2 ** (self.hash_bits + 1))

    def close(self, expanded: int) -> None:
        """End the search: `expanded` states are complete; every other state gets a row of
        the edges recorded so far (a partly expanded one) or an empty one."""
        self.expanded = expanded
        self.edge_start.extend([len(self.edge_dst)] * (len(self) + 1 - len(self.edge_start)))

    def depth(self, sid: int) -> int:
        """Steps from the initial state (the BFS tree is a shortest-path tree)."""
        d = 0
        while sid > 0:
            sid = self.parent[sid]
            d += 1
        return d

    def nbytes(self) -> int:
        """Bytes the store holds, by `sys.getsizeof` (keys or digests, the frontier, the id
        dict, every column, the codec's table)."""
        columns = (self.parent, self.via, self.edge_start, self.edge_dst, self.edge_step)
        held = self.keys if self.hash_bits is None else [*self.ids, *self.frontier]
        return (sum(map(sys.getsizeof, held)) + sys.getsizeof(self.ids)
                + sys.getsizeof(self.keys) + sys.getsizeof(self.frontier)
                + sum(map(sys.getsizeof, columns))
                + sum(map(sys.getsizeof, self.steps.items)) + sys.getsizeof(self.steps.index)
                + self.codec.nbytes())


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
