"""Breadth-first search of a transition system into a `StateStore`.

Invariants the engine relies on:
- States get ids in discovery order and are expanded in id order, so the store's id order is
  BFS order: the first bad state found for a safety property is one of the shallowest, and
  its parent chain is a shortest counterexample.
- Safety predicates and labellings see each state once, when it is discovered (while the
  state object is at hand; later it exists only as bytes). A violated predicate is not asked
  again.
- Everything is a function of the system alone: the same system gives the same ids, edges,
  violations and counts. Only `max_seconds` and the progress calls depend on the clock.
- A system that offers `ample(state, settled)` (por.PartialOrder) is expanded through it:
  `settled(nxt)` tells it whether a successor was discovered no later than the state being
  expanded, the breadth-first cycle proviso of partial-order reduction (por.py); if it also
  takes `stored`, `stored(nxt)` gives it a successor's id if it has one (or None). Not with
  hash compaction: there an id found for a digest is not proof that the state is stored.

The loop is the hot path: per transition it costs one encoding (the store's codec), one dict
probe for the state and one for the step, and two array appends; per state one decoding and
one clock read. Names are bound to locals for that reason; the keys `settled` and `stored`
made during an expansion are kept for it (by object), and a step object the interner holds is
found by identity, not by hashing its fields.
"""

from __future__ import annotations

import inspect
import sys
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from gocheck.explore.result import Stats
from gocheck.explore.store import Labelling, StateStore
from gocheck.model.system import TransitionSystem

PROGRESS_PERIOD = 0.2  # seconds between progress calls: at most 5 a second
Progress = Callable[[int, int, int, float], None]  # states, transitions, depth, states/s


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    """What the search found: the first bad state per safety predicate, the labels of every
    state per liveness labelling, and the statistics (with why it stopped, if it did)."""

    first_bad: tuple[int | None, ...]
    labellings: tuple[Labelling, ...]
    stats: Stats


class _Observer:
    """Evaluates the properties on each new state."""

    def __init__(self, bad: Sequence[Callable[[Any], bool]],
                 labelers: Sequence[Callable[[Any], frozenset[Hashable]]]):
        self.first_bad: list[int | None] = [None] * len(bad)
        self.pending = list(enumerate(bad))
        self.labelers = [(labels, Labelling()) for labels in labelers]

    def __call__(self, state: Any, sid: int) -> None:
        hit = False
        for p, bad in self.pending:
            if bad(state):
                self.first_bad[p] = sid
                hit = True
        if hit:
            self.pending = [(p, bad) for p, bad in self.pending if self.first_bad[p] is None]
        for labels, labelling in self.labelers:
            labelling.add(labels(state))


def search(system: TransitionSystem, store: StateStore,
           bad: Sequence[Callable[[Any], bool]] = (),
           labelers: Sequence[Callable[[Any], frozenset[Hashable]]] = (), *,
           max_states: int | None = None, max_seconds: float | None = None,
           progress: Progress | None = None) -> SearchOutcome:
    """Enumerate every reachable state and transition (or stop at a limit)."""
    if max_states is not None and max_states < 1:
        raise ValueError("max_states must be at least 1")
    clock = time.perf_counter
    started = clock()
    deadline = started + max_seconds if max_seconds is not None else float("inf")
    cap = max_states if max_states is not None else sys.maxsize
    observe = _Observer(bad, labelers)
    watching = bool(bad or labelers)

    encode, decode = store.encode, store.codec.decode
    count, ids_get, add, take = store.parent.__len__, store.lookup, store.add, store.take
    step_id, add_step, held = store.steps.index.get, store.steps.add, store.steps.items
    dst_append, step_append = store.edge_dst.append, store.edge_step.append
    row_append, dst = store.edge_start.append, store.edge_dst
    i = 0
    made: dict[int, tuple[Any, bytes]] = {}  # id(state) -> (state, key), this expansion's
    made_get, forget = made.get, made.clear
    by_identity: dict[int, int] = {}  # id(step) -> index, for step objects `held` keeps alive
    step_of = by_identity.get

    def stored(state: Any) -> int | None:
        key = encode(state)
        made[id(state)] = (state, key)
        return ids_get(key)

    def settled(state: Any) -> bool:
        j = stored(state)
        return j is not None and j <= i

    ample = getattr(system, "ample", None)
    if ample is None:
        successors = system.successors
    elif store.hash_bits is None and "stored" in inspect.signature(ample).parameters:
        successors = partial(ample, settled=settled, stored=stored)
    else:
        successors = partial(ample, settled=settled)

    initial = system.initial_state()
    add(encode(initial), -1, -1)
    if watching:
        observe(initial, 0)
    stop_reason: str | None = None
    next_report = started + PROGRESS_PERIOD if progress else float("inf")
    next_tick = min(deadline, next_report)
    while i < count():
        if clock() >= next_tick:
            now = clock()
            if now >= deadline:
                stop_reason = f"time limit of {max_seconds:g} s reached"
                break
            if now >= next_report and progress is not None:
                progress(count(), len(dst), store.depth(count() - 1), count() / (now - started))
                next_report = now + PROGRESS_PERIOD
            next_tick = min(deadline, next_report)
        forget()
        for step, nxt in successors(decode(take(i))):
            k = step_of(id(step))
            if k is None:
                k = step_id(step)
                if k is None:
                    k = add_step(step)
                if held[k] is step:
                    by_identity[id(step)] = k
            known = made_get(id(nxt))
            key = known[1] if known is not None and known[0] is nxt else encode(nxt)
            j = ids_get(key)
            if j is None:
                if count() >= cap:
                    stop_reason = f"state limit of {cap:,} states reached"
                    break
                j = add(key, i, k)
                if watching:
                    observe(nxt, j)
            dst_append(j)
            step_append(k)
        else:
            row_append(len(dst))
            i += 1
            continue
        break
    store.close(expanded=i)
    stats = Stats(count(), len(dst), clock() - started, store.depth(count() - 1), stop_reason)
    return SearchOutcome(tuple(observe.first_bad), tuple(lab for _, lab in observe.labelers),
                         stats)
