"""One worker's share of the parallel search (parallel.py): the states it owns, its expansion
of each layer, its share of the edges, and what it sends the lead at the end.

A worker expands its frontier in global id order. A successor it owns is deduplicated in its
own dict at once; another's is buffered for its owner (wire.py), once per layer: the first
sending carries the least discovery tag `(parent id << 16) | successor index`. After the swap
(team.py) each owner deduplicates what it received, keeping the least tag of every new state,
and sorts the layer's new states by tag for the lead, which hands out the ids.

Partial-order reduction (a system with `ample(state, settled)`, por.py): the cycle proviso
asks whether a successor is *settled*, i.e. has an id no larger than the state expanded. Every
id of the current layer and the ones before is known when the layer starts (the lead hands
them out between layers) and a state found in this layer will get a larger one, so the answer
is fixed before the layer starts, only held by the successor's owner. A worker answers
`settled` itself for a state it owns; for another's it answers "no" and marks the expansion
*tentative*: the one successor `ample` then takes alone is sent as usual, with a question to
its owner. After the swap the owners answer with the global ids they hold (-1: new), and a
tentative expansion whose successor proves settled is redone knowing it, in a further round
of the same layer (rare: on vs_spin's family about 4% of expansions ask, 0.5% are redone).
A refuted successor was already known, so it discovered nothing; every other expansion is
the one `search` makes, and the store is again identical. Rounds end when nobody asks. This
relies on `ample` asking `settled` only until the first "no" and then taking that successor
alone, as por.py does (checked: anything else is an error). If `ample` takes `stored`, it
gets a worker's own states (representatives already, so not canonicalized again).

Steps are interned per worker, with the least tag of an edge using each step, so that the
lead can intern them in the order `search` first meets them. A model hands out one object per
step, so a step is found by identity before it is hashed.
"""

from __future__ import annotations

import inspect
import marshal
import sys
import time
from array import array
from bisect import bisect_left
from collections.abc import Callable, Hashable, Sequence
from functools import partial
from typing import Any

import numpy as np

from gocheck.explore.gather import MASK, SHIFT, Bundle
from gocheck.explore.store import Interner
from gocheck.explore.team import Links
from gocheck.explore.wire import ASKS, TIMED_OUT, longs, pack, unpack
from gocheck.model.system import Step, TransitionSystem

CHECK_EVERY = 64  # states expanded between two looks at the clock
SLOTS = 240  # a state's owner is owners[hash(key) % SLOTS]
UNUSED = sys.maxsize  # the first tag of a step no kept edge uses (yet)

Bad = Callable[[Any], bool]
Labels = Callable[[Any], frozenset[Hashable]]
Reply = tuple[bytes, int, bool, frozenset[int]]  # a child adds its CPU seconds


def slot_owners(n: int, lead_weight: float) -> tuple[int, ...]:
    """The owner of each hash slot among n workers: the lead (0) gets `lead_weight` times
    another worker's share (at least one slot), the others share the rest evenly."""
    lead = max(1, round(SLOTS * lead_weight / (lead_weight + n - 1)))
    return (0,) * lead + tuple(1 + i % (n - 1) for i in range(SLOTS - lead))


class _Outbox:
    """What one worker sends in one round: per owner the keys, their tags and its questions;
    and, per owner, the tentative expansions waiting for the answers."""

    def __init__(self, n: int):
        self.keys: list[list[bytes]] = [[] for _ in range(n)]
        self.tags = [array("q") for _ in range(n)]
        self.asks = [array("q") for _ in range(n)]
        # per owner, in question order: (local id, row, key, step, tag) of a tentative edge
        self.waiting: list[list[tuple[int, int, bytes, int, int]]] = [[] for _ in range(n)]


class Partition:
    """The states one worker owns, its share of the edges, and its verdict bookkeeping."""

    def __init__(self, me: int, owners: tuple[int, ...], system: TransitionSystem,
                 bad: Sequence[Bad], labelers: Sequence[Labels], deadline: float):
        n = max(owners) + 1
        self.me, self.n, self.owners = me, n, owners
        self.successors = system.successors
        self.ample = getattr(system, "ample", None)
        self.bad, self.labelers = bad, labelers
        self.deadline = deadline
        self.ids: dict[bytes, int] = {}
        self.keys: list[bytes] = []
        self.gid = array("q")  # global id per local id, -1 while unnumbered
        self.tag = array("q")  # smallest discovery tag per local id
        self.judged = bytearray()  # predicates and labels evaluated
        self.frontier: list[int] = []  # local ids of the layer to expand, in global id order
        self.new: list[int] = []  # local ids first seen in this layer
        self.order = array("i")  # local ids of the numbered states, in global id order
        self.rows = array("q")  # global ids of the expanded states, in order
        self.degree = array("i")
        self.refs = array("q")  # per edge: local id * n + me, or stream position * n + owner
        self.edge_step = array("i")  # per edge: local step id
        self.steps: Interner[Step] = Interner()
        self.step_of_object: dict[int, int] = {}  # id(step) -> index, for the objects held
        self.step_first = array("q")  # per local step: the least tag of an edge using it
        self.sent = [0] * n  # successors sent to each worker so far (stream positions)
        self.streams = [array("i") for _ in range(n)]  # local ids of what each worker sent
        self.first_bad: list[int | None] = [None] * len(bad)
        self.label_sets: list[Interner[frozenset]] = [Interner() for _ in labelers]
        self.label_of = [array("i") for _ in labelers]
        key = marshal.dumps(system.initial_state(), 2)
        if owners[hash(key) % SLOTS] == me:
            self._add(key, -1)
            self.gid[0] = 0
            self.frontier = [0]
            self.order.append(0)

    def _add(self, key: bytes, tag: int) -> int:
        j = self.ids[key] = len(self.keys)
        self.keys.append(key)
        self.gid.append(-1)
        self.tag.append(tag)
        self.judged.append(0)
        for of in self.label_of:
            of.append(-1)
        return j

    def _label(self, j: int, state: Any) -> None:
        for labels, sets, of in zip(self.labelers, self.label_sets, self.label_of,
                                    strict=True):
            of[j] = sets.add(labels(state))

    def layer(self, violated: frozenset[int], links: Links,
              idle: Callable[[], None] | None = None) -> Reply:
        """Expand the frontier, swap successors, deduplicate (in rounds under partial-order
        reduction, module doc); return the sorted tags of the new states (tag * n + me),
        the edges recorded, whether time ran out and which predicates this worker has found
        violated. `idle` runs between the expansion and the swap (the lead fills the store
        then, while the others may still be expanding)."""
        n, me = self.n, self.me
        rows_before, edges_before = len(self.rows), len(self.refs)
        redo: dict[int, tuple[int, int]] = {}  # row -> (start, degree) in redo_edges
        redo_edges = (array("q"), array("i"))  # refs, steps of the redone expansions
        answered: dict[bytes, int] = {}  # this layer's answers: key -> global id or -1
        todo = [(j, -1) for j in self.frontier]  # (local id, row to redo or -1)
        timed_out = False
        while True:
            out = _Outbox(n)
            if self.ample is None:
                timed_out = self._expand(violated, out)
            else:
                timed_out = self._expand_reduced(todo, violated, out, answered, redo,
                                                 redo_edges)
            if idle is not None:
                idle()
                idle = None
            asking = any(out.asks)
            flags = (ASKS if asking else 0) | (TIMED_OUT if timed_out else 0)
            blobs = links.swap([pack(k, t, a, flags)
                                for k, t, a in zip(out.keys, out.tags, out.asks, strict=True)])
            batches = [unpack(b) if o != me else None for o, b in enumerate(blobs)]
            for o in range(n):
                self.sent[o] += len(out.keys[o])
            if any(b.flags & TIMED_OUT for b in batches if b is not None) or timed_out:
                timed_out = True  # everyone drops this layer
                break
            for o, batch in enumerate(batches):
                if batch is not None:
                    self._absorb(o, batch.keys, batch.tags)
            if not asking and not any(b.flags & ASKS for b in batches if b is not None):
                break
            gid, streams = self.gid, self.streams
            answers = links.swap([b"" if b is None else array(
                "q", [gid[streams[o][q]] for q in b.asks]).tobytes()
                for o, b in enumerate(batches)])
            todo = self._resolve(out, answers, answered)
        if redo and not timed_out:
            self._splice(rows_before, edges_before, redo, redo_edges)
        new = self.new
        new.sort(key=self.tag.__getitem__)
        tags = array("q", [self.tag[j] * n + me for j in new])
        found = frozenset(p for p, b in enumerate(self.first_bad) if b is not None)
        return tags.tobytes(), len(self.refs) - edges_before, timed_out, found

    def _expand(self, violated: frozenset[int], out: _Outbox) -> bool:
        """The hot loop (no reduction): per transition one `marshal.dumps`, one hash, and
        either a dict probe (a state this worker owns) or two appends to the owner's
        buffer."""
        n, me, owners = self.n, self.me, self.owners
        dumps, loads, clock = marshal.dumps, marshal.loads, time.monotonic
        ids, keys, gid, tag, judged, new = self.ids, self.keys, self.gid, self.tag, \
            self.judged, self.new
        ids_get, key_add, gid_add, tag_add, judged_add, new_add = (
            ids.get, keys.append, gid.append, tag.append, judged.append, new.append)
        step_id, add_step, held = self.steps.index.get, self.steps.add, self.steps.items
        by_identity = self.step_of_object
        step_of = by_identity.get
        first_append = self.step_first.append
        ref_append, step_append = self.refs.append, self.edge_step.append
        row_append, degree_append = self.rows.append, self.degree.append
        key_appends = [k.append for k in out.keys]
        tag_appends = [t.append for t in out.tags]
        out_keys, sent = out.keys, self.sent
        outgoing: dict[bytes, int] = {}  # successors sent this layer: their stream positions
        sent_before = outgoing.get
        labelled = bool(self.labelers)
        judge = self._judge_all(violated)
        successors, deadline = self.successors, self.deadline
        for done, j in enumerate(self.frontier):
            if not done % CHECK_EVERY and clock() >= deadline:
                return True
            src = gid[j]
            base = src << SHIFT
            state = loads(keys[j])
            judge(j, state)
            succ = successors(state)
            if len(succ) > MASK:
                raise ValueError(f"a state has {len(succ)} successors, more than {MASK}")
            for idx, (step, nxt) in enumerate(succ):
                k = step_of(id(step))  # models hand out one object per step: no hashing
                if k is None:
                    k = step_id(step)
                    if k is None:
                        k = add_step(step)
                        first_append(base | idx)
                    if held[k] is step:  # alive as long as the interner: its id stays its own
                        by_identity[id(step)] = k
                key = dumps(nxt, 2)
                o = owners[hash(key) % SLOTS]
                if o == me:
                    t = ids_get(key)
                    if t is None:  # as `_add`, inlined
                        t = ids[key] = len(keys)
                        key_add(key)
                        gid_add(-1)
                        tag_add(base | idx)
                        judged_add(0)
                        new_add(t)
                        if labelled:
                            for of in self.label_of:
                                of.append(-1)
                    ref_append(t * n + me)
                else:  # sent once per layer: the first sending carries the least tag
                    t = sent_before(key)
                    if t is None:
                        t = outgoing[key] = sent[o] + len(out_keys[o])
                        key_appends[o](key)
                        tag_appends[o](base | idx)
                    ref_append(t * n + o)
                step_append(k)
            row_append(src)
            degree_append(len(succ))
        return False

    def _judge_all(self, violated: frozenset[int]) -> Callable[[int, Any], None]:
        """Evaluate the predicates not yet violated and the labellings on state j, once.
        States are judged in id order, so a worker's first hit is its least."""
        first_bad, labelled, judged = self.first_bad, bool(self.labelers), self.judged
        pending = [(p, self.bad[p]) for p in range(len(self.bad))
                   if p not in violated and first_bad[p] is None]

        def judge(j: int, state: Any) -> None:
            nonlocal pending
            if judged[j]:
                return
            if pending:
                hits = [p for p, bad in pending if bad(state)]
                if hits:
                    for p in hits:
                        first_bad[p] = self.gid[j]
                    pending = [(p, bad) for p, bad in pending if first_bad[p] is None]
            if labelled:
                self._label(j, state)
            judged[j] = 1

        return judge

    def _expand_reduced(self, todo: list[tuple[int, int]], violated: frozenset[int],
                        out: _Outbox, answered: dict[bytes, int],
                        redo: dict[int, tuple[int, int]],
                        redo_edges: tuple[array, array]) -> bool:
        """Expand `todo` through `ample` (module doc): (local id, -1) in the first round,
        whose rows are appended; (local id, row) when a tentative expansion is redone, whose
        edges go to `redo_edges`. Successors are sent at every finding (no once-per-layer
        saving: a redone expansion may carry a smaller tag), since expansion through `ample`
        costs far more than the extra bytes."""
        n, me, owners = self.n, self.me, self.owners
        dumps, loads, clock = marshal.dumps, marshal.loads, time.monotonic
        ids_get, gid, tag, new = self.ids.get, self.gid, self.tag, self.new
        step_id, add_step, first = self.steps.index.get, self.steps.add, self.step_first
        held, by_identity = self.steps.items, self.step_of_object
        step_of = by_identity.get
        sent = self.sent
        judge = self._judge_all(violated)
        ample, deadline = self.ample, self.deadline
        assert ample is not None
        src = -1  # the global id of the state being expanded
        asked: list[bytes] = []  # the keys `settled` assumed new for it
        made: dict[int, tuple[Any, bytes]] = {}  # id(state) -> (state, key) made for it

        def settled(image: Any) -> bool:
            key = dumps(image, 2)
            made[id(image)] = (image, key)
            o = owners[hash(key) % SLOTS]
            if o == me:
                t = ids_get(key)
                return t is not None and 0 <= gid[t] <= src
            g = answered.get(key)
            if g is None:  # the owner knows: assume new, ask it after the swap
                asked.append(key)
                return False
            return 0 <= g <= src

        def stored(state: Any) -> int | None:
            """A local id if this worker holds `state` (then a representative already, as
            por.py uses it), else None (it may still be another worker's)."""
            key = dumps(state, 2)
            made[id(state)] = (state, key)
            return ids_get(key) if owners[hash(key) % SLOTS] == me else None

        if "stored" in inspect.signature(ample).parameters:
            ample = partial(ample, stored=stored)

        for done, (j, row) in enumerate(todo):
            if not done % CHECK_EVERY and clock() >= deadline:
                return True
            src = gid[j]
            base = src << SHIFT
            state = loads(self.keys[j])
            judge(j, state)
            asked.clear()
            made.clear()
            succ = ample(state, settled)
            if len(succ) > MASK:
                raise ValueError(f"a state has {len(succ)} successors, more than {MASK}")
            if asked and (len(asked) > 1 or len(succ) != 1
                          or dumps(succ[0][1], 2) != asked[0]):
                raise RuntimeError("ample must stop at the first unsettled successor and "
                                   "take it alone (parallel search relies on it)")
            refs, steps = (self.refs, self.edge_step) if row < 0 else redo_edges
            start = len(refs)
            for idx, (step, nxt) in enumerate(succ):
                k = step_of(id(step))
                if k is None:
                    k = step_id(step)
                    if k is None:
                        k = add_step(step)
                        first.append(UNUSED)
                    if held[k] is step:
                        by_identity[id(step)] = k
                known = made.get(id(nxt))
                key = known[1] if known is not None and known[0] is nxt else dumps(nxt, 2)
                tg = base | idx
                o = owners[hash(key) % SLOTS]
                if o == me:
                    t = ids_get(key)
                    if t is None:
                        t = self._add(key, tg)
                        new.append(t)
                    elif gid[t] < 0 and tg < tag[t]:
                        tag[t] = tg
                    refs.append(t * n + me)
                else:
                    pos = sent[o] + len(out.keys[o])
                    out.keys[o].append(key)
                    out.tags[o].append(tg)
                    refs.append(pos * n + o)
                    if asked:
                        out.asks[o].append(pos)
                        out.waiting[o].append((j, len(self.rows) if row < 0 else row, key,
                                               k, tg))
                if not asked and tg < first[k]:
                    first[k] = tg
                steps.append(k)
            if row < 0:
                self.rows.append(src)
                self.degree.append(len(succ))
            else:
                redo[row] = (start, len(succ))
        return False

    def _resolve(self, out: _Outbox, answers: list[bytes],
                 answered: dict[bytes, int]) -> list[tuple[int, int]]:
        """Read the owners' answers: a tentative edge to an unsettled state stands, one to a
        settled state is redone (returned, in global id order) knowing the answer."""
        gid, first, again = self.gid, self.step_first, []
        for o, waiting in enumerate(out.waiting):
            if not waiting:
                continue
            for (j, row, key, k, tg), g in zip(waiting, longs(answers[o]), strict=True):
                answered[key] = g
                if 0 <= g <= gid[j]:
                    again.append((j, row))
                elif tg < first[k]:
                    first[k] = tg
        again.sort(key=lambda item: gid[item[0]])
        return again

    def _splice(self, rows_before: int, edges_before: int, redo: dict[int, tuple[int, int]],
                redo_edges: tuple[array, array]) -> None:
        """Put the redone expansions of this layer in place of the refuted ones."""
        refs, steps, degree = self.refs, self.edge_step, self.degree
        redo_refs, redo_steps = redo_edges
        new_refs, new_steps = array("q"), array("i")
        e = edges_before
        for r in range(rows_before, len(self.rows)):
            d = degree[r]
            if r in redo:
                s, c = redo[r]
                new_refs.extend(redo_refs[s:s + c])
                new_steps.extend(redo_steps[s:s + c])
                degree[r] = c
            else:
                new_refs.extend(refs[e:e + d])
                new_steps.extend(steps[e:e + d])
            e += d
        del refs[edges_before:], steps[edges_before:]
        refs.extend(new_refs)
        steps.extend(new_steps)

    def _absorb(self, sender: int, keys: list[bytes], tags: array) -> None:
        """Deduplicate the successors another worker found for states this one owns."""
        ids_get, add, new, tag, gid = self.ids.get, self._add, self.new, self.tag, self.gid
        stream_append = self.streams[sender].append
        for key, t in zip(keys, tags, strict=True):
            j = ids_get(key)
            if j is None:
                j = add(key, t)
                new.append(j)
            elif t < tag[j] and gid[j] < 0:
                tag[j] = t
            stream_append(j)

    def number(self, raw: bytes) -> None:
        """Take the global ids of this layer's new states (in the order `layer` sorted them);
        they are the next frontier."""
        gid = self.gid
        for j, g in zip(self.new, longs(raw), strict=True):
            gid[j] = g
        self.order.extend(self.new)
        self.frontier, self.new = self.new, []

    def stream_ids(self, links: Links) -> list[array]:
        """Swap with every worker the global ids of the successors it sent here, so that each
        can translate its edges; entry o of the result maps this worker's stream to o."""
        gid = self.gid
        tables = links.swap([array("q", [gid[j] for j in s]).tobytes() for s in self.streams])
        return [gid if o == self.me else longs(raw) for o, raw in enumerate(tables)]

    def first_steps(self, step_limit: int) -> list[tuple[int, int, Step]]:
        """(tag of first edge, local step id, step) for the steps used before the limit."""
        return [(t, k, s) for k, (t, s) in enumerate(zip(self.step_first, self.steps.items,
                                                         strict=True)) if t < step_limit]

    def bundle(self, keep: int, edge_limit: int, tables: list[array],
               step_map: list[int]) -> Bundle:
        """Everything the lead needs, for the states numbered below `keep` and the edges
        tagged below `edge_limit`, in global id order."""
        n = self.n
        mine = self.order[:bisect_left(self.order, keep, key=self.gid.__getitem__)]
        gid, judged, first_bad = self.gid, self.judged, self.first_bad
        for j in mine:  # states left unexpanded by a limit: judged here, in id order
            if not judged[j]:
                state = marshal.loads(self.keys[j])
                for p, bad in enumerate(self.bad):
                    if first_bad[p] is None and bad(state):
                        first_bad[p] = gid[j]
                if self.labelers:
                    self._label(j, state)
        rows = bisect_left(self.rows, (edge_limit + MASK) >> SHIFT)  # those with an edge kept
        degree = self.degree[:rows]
        if rows:  # the last one may be cut by the state limit
            degree[-1] = min(degree[-1], edge_limit - (self.rows[rows - 1] << SHIFT))
        kept = sum(degree)
        refs = np.frombuffer(self.refs, np.int64)[:kept]
        by, at = refs % n, refs // n  # per edge: whose stream, and where in it
        dst = np.empty(kept, np.int64)
        for o, table in enumerate(tables):
            sent = by == o
            dst[sent] = np.frombuffer(table, np.int64)[at[sent]]
        steps = np.asarray(step_map, np.int32)[np.frombuffer(self.edge_step, np.int32)[:kept]]
        labels = [(sets.items, array("i", [of[j] for j in mine]).tobytes())
                  for sets, of in zip(self.label_sets, self.label_of, strict=True)]
        firsts = [None if b is None or b >= keep else b for b in self.first_bad]
        return degree.tobytes(), dst.tobytes(), steps.tobytes(), firsts, labels
