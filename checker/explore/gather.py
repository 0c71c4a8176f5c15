"""The end of the parallel search (parallel.py): the workers' shares, each in global id
order, interleaved into the one `StateStore` the one-process search builds (the lead has put
the states' keys in it already, layer by layer).

`owner[i]` names the worker that holds state i; a worker's share lists its rows, edges and
labels in global id order, so the store is a merge by that column and no sort is needed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from gocheck.explore.store import Labelling
from gocheck.explore.wire import longs

SHIFT = 16  # bits of the successor index in a discovery tag: (parent id << SHIFT) | index
MASK = (1 << SHIFT) - 1

# A worker's share: its row degrees, edge targets, edge steps (raw arrays), its first
# violation per predicate, and per labelling (its label sets, its states' set indices).
Bundle = tuple[bytes, bytes, bytes, list[int | None], list[tuple[list, bytes]]]


def interleave(owner: bytes | bytearray, parts: Sequence[Sequence]) -> Iterator:
    """The items of per-worker sequences (each in global order) in global order: item i
    comes from `parts[owner[i]]`."""
    return map(next, map([iter(p) for p in parts].__getitem__, owner))


def assemble(owner: bytes | bytearray, bundles: list[Bundle], labelers: int
             ) -> tuple[tuple[int | None, ...], tuple[Labelling, ...]]:
    """The first violation of each predicate and the labellings, as `search` returns them,
    from the workers' bundles."""
    first_bad = tuple(min((b[3][p] for b in bundles if b[3][p] is not None), default=None)
                      for p in range(len(bundles[0][3])))
    labellings = []
    for lb in range(labelers):
        sets = [b[4][lb][0] for b in bundles]
        labelling = Labelling()
        for w, i in zip(owner, interleave(owner, [longs(b[4][lb][1], "i") for b in bundles]),
                        strict=True):
            labelling.add(sets[w][i])
        labellings.append(labelling)
    return first_bad, tuple(labellings)


def columns(owner: bytes, raw_tags: bytes, edge_limit: int,
            edges: list[tuple[bytes, bytes, bytes]]) -> tuple[bytes, ...]:
    """The store's columns past the initial row of `edge_start`: the rows' ends, the edges'
    targets and steps, and each state's parent and step from it (the edge its discovery tag
    names), from every worker's (degrees, targets, steps) in global id order. Worked on as
    numpy arrays: a worker's share goes where its owner mask says, in order, with no Python
    loop over the edges."""
    tags = np.frombuffer(raw_tags, np.int64)
    rows = np.frombuffer(owner, np.uint8)[:(edge_limit + MASK) >> SHIFT]
    degree = _spread(rows, [np.frombuffer(d, np.int32) for d, _, _ in edges])
    edge_owner = np.repeat(rows, degree)
    dst = _spread(edge_owner, [np.frombuffer(t, np.int64) for _, t, _ in edges])
    step = _spread(edge_owner, [np.frombuffer(k, np.int32) for _, _, k in edges])
    start = np.zeros(len(degree) + 1, np.int64)
    np.cumsum(degree, out=start[1:])
    parent = (tags >> SHIFT).astype(np.int32)
    via = np.full(len(tags), -1, np.int32)
    via[1:] = step[start[parent[1:]] + (tags[1:] & MASK)]
    return (start[1:].astype(np.int32).tobytes(), dst.tobytes(), step.tobytes(),
            parent.tobytes(), via.tobytes())


def _spread(owner: np.ndarray, parts: Sequence[np.ndarray]) -> np.ndarray:
    """`interleave` for int columns: item i from `parts[owner[i]]`, as int32."""
    out = np.empty(len(owner), np.int32)
    for w, part in enumerate(parts):
        mine = owner == w
        out[mine] = part[:np.count_nonzero(mine)]
    return out
