"""Breadth-first search over several processes that builds the very store `search` builds.

Each of `workers` processes (team.py: forked, so the transition system and the predicates are
inherited, never pickled) owns the states whose bytes hash to it and keeps them in a local
dict. The hash is Python's own `hash(bytes)`, which the dict probe needs anyway and caches:
it is salted per interpreter, but forked workers share the lead's salt, so they agree on
every owner. A table of hash slots (`slot_owners`) sets the lead's share against the
others' (`LEAD_WEIGHT`). Which worker owns a state only decides who does the work, never a
result: ids come from the discovery tags below. The search goes layer by layer, with a
barrier between layers:

1. every worker expands its share of the current layer, in global id order; a successor it
   owns is deduplicated at once, the others are buffered per owner (partition.py);
2. the workers swap their buffers, one message per pair (team.Links.swap, wire.py);
3. each owner deduplicates what it received and keeps, for every state new in this layer, its
   smallest *discovery tag* `(parent id << 16) | successor index`;
4. the lead (worker 0, the calling process) merges the sorted tags and hands out ids; the
   others send it the keys of their newly numbered states (through the team's spool, so
   that they need not wait until it reads them), which it puts in the store during the next
   layer, between its own expansion and the swap (`_Keys`).

The one-process search numbers a layer's new states in the order they are first reached:
by the smallest (parent id, successor index) over the edges from the layer before. Sorting by
the discovery tag gives that order, so every state gets the id `search` would give it, its
parent and step too, and the verdicts, counts and counterexamples are identical, not merely
equally long.

Partial-order reduction works too (partition.py decides the cycle proviso with the ids the
one-process search would have), so does symmetry (the system's successors are canonical).

Safety predicates and labellings are evaluated by the owner when it expands a state (it
decodes the state then anyway); a predicate's first violation is the smallest id found bad,
as in `search`. At the end the workers translate their edges to global ids and send their
rows and labels to the lead, which completes the one `StateStore` the rest of the engine
(liveness, graph properties, reports) reads, exactly as after `search` (gather.py), but for
the id dict, which its first lookup builds (nothing looks a state up after a search). The
store's keys are marshal bytes (the codec any process makes alike), so it holds more bytes
than a one-process interning store. Columns of ints are merged as numpy arrays: per state
and per edge, a Python loop would cost seconds on millions of states.

Each layer's and the gathering's CPU seconds per worker give the critical path, logged at
DEBUG level (`_Clock`): benchmarks/parallel.py reads it as a load-independent estimate of
the wall time on idle cores.

Limits: the state limit is applied when a layer's ids are handed out: the store keeps the
first `max_states` states and the edges `search` would have recorded before it stopped (a
layer may be explored past the limit before it is cut). The time limit is checked while
expanding; the layer under way is then dropped, the states before it are kept, and states
left unexpanded are still checked against the predicates.

Not supported here (the caller uses `search`): the hash-compacted store.
"""

from __future__ import annotations

import logging
import marshal
import sys
import time
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gocheck.explore.gather import SHIFT, assemble, columns, interleave
from gocheck.explore.partition import SLOTS, Bad, Labels, Partition, slot_owners
from gocheck.explore.result import Stats
from gocheck.explore.search import PROGRESS_PERIOD, Progress, SearchOutcome
from gocheck.explore.store import Labelling, StateStore
from gocheck.explore.team import Links, Team, WorkerError
from gocheck.model.system import TransitionSystem

__all__ = ["WorkerError", "parallel_search"]

logger = logging.getLogger(__name__)

LEAD_WEIGHT = 1.0  # the lead's share of the states, relative to another worker's. It also
# merges each layer's tags and puts the others' keys in the store, while the others write
# those keys out: on benchmarks/parallel.py's procs 2 k 3 row with 2 workers the two
# processes' layers came out even at 1.0 (0.8 and 0.9 left worker 1 the busier).


def _child(owners: tuple[int, ...], system: TransitionSystem, bad: Sequence[Bad],
           labelers: Sequence[Labels], deadline: float, links: Links) -> None:
    """A worker process: obey the lead's orders until the final bundle is sent."""
    control = links.control
    assert control is not None
    part = Partition(links.me, owners, system, bad, labelers, deadline)
    cpu = time.process_time
    mark = cpu()  # a layer's CPU, for the lead's estimate, counts the numbering before it
    while True:
        order = control.recv()
        if order[0] == "layer":
            reply = part.layer(order[1], links)
            now = cpu()
            control.send((*reply, now - mark))
            mark = now
        elif order[0] == "number":  # the lead puts their keys in the store during the next layer
            part.number(order[1])
            keys = part.keys
            control.send(links.spool.put(marshal.dumps([keys[j] for j in part.frontier])))
        else:  # "finish"
            _, keep, edge_limit, step_limit = order
            tables = part.stream_ids(links)
            control.send(part.first_steps(step_limit))
            control.send(part.bundle(keep, edge_limit, tables, control.recv()))
            control.send(cpu() - mark)
            return


def parallel_search(system: TransitionSystem, store: StateStore, bad: Sequence[Bad] = (),
                    labelers: Sequence[Labels] = (), *, workers: int,
                    max_states: int | None = None, max_seconds: float | None = None,
                    progress: Progress | None = None) -> SearchOutcome:
    """`search` over `workers` processes: fills `store` (an empty exact one) as `search`
    would and returns the same outcome."""
    if workers < 2:
        raise ValueError("parallel_search needs at least 2 workers")
    if max_states is not None and max_states < 1:
        raise ValueError("max_states must be at least 1")
    if store.hash_bits is not None or len(store):
        raise ValueError("parallel_search fills an empty exact StateStore")
    encode = getattr(store, "encode", None)  # the store's codec, where it has one
    if encode is not None and encode(0) != marshal.dumps(0, 2):
        raise ValueError("parallel_search keys states by their marshal bytes, as every "
                         "process makes them: the store must use that codec")
    started = time.monotonic()
    deadline = started + max_seconds if max_seconds is not None else float("inf")
    cap = max_states if max_states is not None else sys.maxsize

    owners = slot_owners(workers, LEAD_WEIGHT)

    def work(links: Links) -> None:
        _child(owners, system, bad, labelers, deadline, links)

    team = Team(workers, work)
    finished = False
    try:
        outcome = _lead(team, owners, system, store, bad, labelers, cap, max_seconds,
                        progress, started, deadline)
        finished = True
        return outcome
    except (EOFError, OSError) as err:  # a peer died mid-exchange
        raise team.failure() from err
    finally:
        team.close(finished)


@dataclass(slots=True)
class _Clock:
    """CPU seconds on the search's critical path, an estimate of its time on idle cores: per
    layer the busiest worker, then the lead's serial work between layers (handing out ids),
    then the busiest worker of the final gathering."""

    layers: float = 0.0
    between: float = 0.0
    finish: float = 0.0
    lead: float = 0.0  # the lead's own CPU in the search, for comparison

    def log(self, depth: int) -> None:
        logger.debug("parallel search: %d layers, critical-path CPU %.3f s (layers %.3f, "
                     "between layers %.3f, gathering %.3f), lead CPU %.3f s", depth,
                     self.layers + self.between + self.finish, self.layers, self.between,
                     self.finish, self.lead)


class _Keys:
    """The store's keys, filled by the lead one layer behind the search: after a
    layer is numbered every other worker sends the keys of its new states (in id order), and
    the lead interleaves them with its own during the next layer, between its expansion and
    the swap, where it would otherwise wait for a busier worker."""

    def __init__(self, team: Team, part: Partition, store: StateStore, cap: int, key: bytes):
        self.team, self.part, self.store, self.cap = team, part, store, cap
        self.pending: list[tuple[int, bytes, list[bytes]]] = []  # (base, owners, lead's keys)
        store.keys.append(key)
        store.index_on_demand()

    def numbered(self, base: int, layer_owner: bytes) -> None:
        """The lead's part has just numbered the states `base`.. of a layer."""
        keys = self.part.keys
        self.pending.append((base, layer_owner, [keys[j] for j in self.part.frontier]))

    def fill(self) -> None:
        """Put every numbered layer's keys in the store (below the state limit)."""
        store, team = self.store, self.team
        for base, layer_owner, own in self.pending:
            parts = [own] + [marshal.loads(team.links.spool.take(team.recv(w)))
                             for w in range(1, self.part.n)]
            store.keys.extend(interleave(layer_owner[:max(0, self.cap - base)], parts))
        self.pending.clear()


def _lead(team: Team, owners: tuple[int, ...], system: TransitionSystem, store: StateStore,
          bad: Sequence[Bad], labelers: Sequence[Labels], cap: int,
          max_seconds: float | None, progress: Progress | None, started: float,
          deadline: float) -> SearchOutcome:
    """Drive the layers, then gather the workers' shares into `store`."""
    cpu = time.process_time
    clock = _Clock()
    lead_started = cpu()
    part = Partition(0, owners, system, bad, labelers, deadline)
    n = part.n
    initial = marshal.dumps(system.initial_state(), 2)
    owner = bytearray([owners[hash(initial) % SLOTS]])
    keys = _Keys(team, part, store, cap, initial)
    tags = array("q", [-1])  # discovery tag by global id
    violated: frozenset[int] = frozenset()
    transitions, layer_start, depth = 0, 0, 0
    next_report = started + PROGRESS_PERIOD
    stop_reason: str | None = None
    while True:
        for w in range(1, n):
            team.send(w, ("layer", violated))
        mark = cpu()
        replies = [part.layer(violated, team.links, keys.fill)]
        own = cpu() - mark
        replies += [team.recv(w) for w in range(1, n)]
        mark = cpu()
        clock.layers += max([own] + [r[4] for r in replies[1:]])
        if any(r[2] for r in replies):
            stop_reason = f"time limit of {max_seconds:g} s reached"
            keep, edge_limit, step_limit = len(owner), layer_start << SHIFT, layer_start << SHIFT
            break
        transitions += sum(r[1] for r in replies)
        violated = violated.union(*(r[3] for r in replies))
        merged = np.sort(np.concatenate([np.frombuffer(r[0], np.int64) for r in replies]))
        base = len(owner)
        by = (merged % n).astype(np.uint8)
        layer_owner = by.tobytes()
        for w in range(n):
            gids = (np.flatnonzero(by == w) + base).astype(np.int64).tobytes()
            if w:
                team.send(w, ("number", gids))
            else:
                part.number(gids)
        keys.numbered(base, layer_owner)
        owner += layer_owner
        tags.frombytes((merged // n).tobytes())
        layer_start = base
        clock.between += cpu() - mark
        if len(owner) > cap:
            stop_reason = f"state limit of {cap:,} states reached"
            keep, edge_limit, step_limit = cap, tags[cap], tags[cap] + 1
            break
        if not len(merged):
            keep, edge_limit, step_limit = len(owner), len(owner) << SHIFT, len(owner) << SHIFT
            break
        depth += 1
        now = time.monotonic()
        if progress is not None and now >= next_report:
            progress(len(owner), transitions, depth, len(owner) / max(now - started, 1e-9))
            next_report = now + PROGRESS_PERIOD
    mark = cpu()
    keys.fill()
    first_bad, labellings = _gather(team, part, store, owner[:keep], tags[:keep], edge_limit,
                                    step_limit, len(labelers))
    finish = [cpu() - mark] + [team.recv(w) for w in range(1, n)]
    clock.finish, clock.lead = max(finish), cpu() - lead_started
    clock.log(depth)
    stats = Stats(keep, len(store.edge_dst), time.monotonic() - started,
                  store.depth(keep - 1), stop_reason)
    return SearchOutcome(first_bad, labellings, stats)


def _gather(team: Team, part: Partition, store: StateStore, owner: bytearray, tags: array,
            edge_limit: int, step_limit: int, labelers: int
            ) -> tuple[tuple[int | None, ...], tuple[Labelling, ...]]:
    """Have every worker send its share of the first `len(owner)` states and of the edges
    before `edge_limit`, and fill `store` (gather.py); return the first violations and the
    labellings."""
    n = part.n
    for w in range(1, n):
        team.send(w, ("finish", len(owner), edge_limit, step_limit))
    tables = part.stream_ids(team.links)
    firsts = [part.first_steps(step_limit)] + [team.recv(w) for w in range(1, n)]
    maps: list[list[int]] = [[] for _ in range(n)]
    for _, w, k, step in sorted((t, w, k, s) for w, f in enumerate(firsts) for t, k, s in f):
        maps[w].extend([-1] * (k + 1 - len(maps[w])))
        maps[w][k] = store.steps.add(step)  # first seen in global edge order, as in `search`
    bundles = [part.bundle(len(owner), edge_limit, tables, maps[0])]
    part.ids.clear()  # no longer needed: keep the peak down
    for w in range(1, n):
        team.send(w, maps[w])
        bundles.append(team.recv(w))
    found = assemble(owner, bundles, labelers)
    laid_out = columns(bytes(owner), tags.tobytes(), edge_limit, [b[:3] for b in bundles])
    for column, raw in zip((store.edge_start, store.edge_dst, store.edge_step, store.parent,
                            store.via), laid_out, strict=True):
        column.frombytes(raw)
    store.close(expanded=edge_limit >> SHIFT)
    return found
