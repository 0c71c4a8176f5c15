"""The end of the parallel search (parallel.py): the workers' shares, each in global id
order, interleaved into the one `StateStore` the one-process search builds (the lead has put
the states' keys in it already, layer by layer).

`owner[i]` names the worker that holds state i; a worker's share lists its rows, edges and
labels in global id order, so the store is a merge by that column and no sort is needed.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from itertools import accumulate, chain, repeat

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
    names), from every worker's (degrees, targets, steps) in global id order."""
    tags = longs(raw_tags)
    rows = owner[:(edge_limit + MASK) >> SHIFT]
    degree = array("i", interleave(rows, [longs(d, "i") for d, _, _ in edges]))
    edge_owner = bytes(chain.from_iterable(map(repeat, rows, degree)))
    dst = array("i", interleave(edge_owner, [longs(t) for _, t, _ in edges]))
    step = array("i", interleave(edge_owner, [longs(k, "i") for _, _, k in edges]))
    start = array("i", [0])
    start.extend(accumulate(degree))
    parent = array("i", [t >> SHIFT for t in tags])
    via = array("i", [-1])
    via.extend([step[start[p] + (t & MASK)] for p, t in zip(parent[1:], tags[1:], strict=True)])
    return start[1:].tobytes(), dst.tobytes(), step.tobytes(), parent.tobytes(), via.tobytes()
