"""Breadth-first search over several processes that builds the very store `search` builds.

Each of `workers` processes (forked: the transition system and the predicates are inherited,
never pickled) owns the states whose bytes hash to it and keeps them in a local dict. The hash
is Python's own `hash(bytes)`, which the dict probe needs anyway and caches: it is salted per
interpreter, but forked workers share the lead's salt, so they agree on every owner (the
`fork` start method is required for that). Which worker owns a state only decides who does
the work, never a result: ids come from the discovery tags below. The search goes layer by
layer, with a barrier between layers:

1. every worker expands its share of the current layer, in global id order; a successor it
   owns is deduplicated at once, the others are buffered per owner;
2. the workers swap their buffers, one marshalled message per pair, the pairs taken in one
   global order so that no two processes wait on each other (deadlock-free without threads);
3. each owner deduplicates what it received and keeps, for every state new in this layer, its
   smallest *discovery tag* `(parent id << 16) | successor index`;
4. the lead (worker 0, the calling process) merges the sorted tags and hands out ids.

The one-process search numbers a layer's new states in the order they are first reached:
by the smallest (parent id, successor index) over the edges from the layer before. Sorting by
the discovery tag gives that order, so every state gets the id `search` would give it, its
parent and step too, and the verdicts, counts and counterexamples are identical, not merely
equally long.

Safety predicates and labellings are evaluated by the owner when it expands a state (it
decodes the state then anyway); a predicate's first violation is the smallest id found bad,
as in `search`. At the end the workers translate their edges to global ids and send their
states, rows and labels to the lead, which assembles the one `StateStore` the rest of the
engine (liveness, graph properties, reports) reads, exactly as after `search`; worker 1 lays
out the store's array columns meanwhile, so that the lead only interleaves the states.

Limits: the state limit is applied when a layer's ids are handed out: the store keeps the
first `max_states` states and the edges `search` would have recorded before it stopped (a
layer may be explored past the limit before it is cut). The time limit is checked while
expanding; the layer under way is then dropped, the states before it are kept, and states
left unexpanded are still checked against the predicates.

Not supported here (the caller uses `search`): partial-order reduction, whose cycle proviso
asks for ids during the expansion, and the hash-compacted store.
"""

from __future__ import annotations

import gc
import marshal
import multiprocessing
import sys
import time
import traceback
from array import array
from collections.abc import Callable, Hashable, Iterator, Sequence
from itertools import accumulate, chain, compress, count, repeat
from multiprocessing.connection import Connection
from typing import Any

from gocheck.explore.result import Stats
from gocheck.explore.search import PROGRESS_PERIOD, Progress, SearchOutcome
from gocheck.explore.store import Interner, Labelling, StateStore
from gocheck.model.system import Step, TransitionSystem

SHIFT = 16  # bits of the successor index in a discovery tag
MASK = (1 << SHIFT) - 1
CHECK_EVERY = 64  # states expanded between two looks at the clock

Bad = Callable[[Any], bool]
Labels = Callable[[Any], frozenset[Hashable]]
_Reply = tuple[bytes, int, bool, frozenset[int]]
_Bundle = tuple[list[bytes], bytes, bytes, bytes, list[int | None], list[tuple[list, bytes]]]


class WorkerError(RuntimeError):
    """A worker process failed; the message carries its traceback."""


class _Links:
    """One process's connections: to the lead (children only) and to every other worker."""

    def __init__(self, me: int, control: Connection | None, readers: list[Connection | None],
                 writers: list[Connection | None]):
        self.me = me
        self.control = control
        self.readers = readers
        self.writers = writers

    def swap(self, payloads: Sequence[bytes]) -> list[bytes]:
        """Send `payloads[o]` to every other worker o and receive theirs. Pairs go in
        lexicographic order, the lower one sending first: the smallest unfinished pair always
        has both ends at it, so the exchange cannot deadlock."""
        n = len(self.readers)
        got = [b""] * n
        for other in range(n):
            if other == self.me:
                continue
            reader, writer = self.readers[other], self.writers[other]
            assert reader is not None and writer is not None
            if self.me < other:
                writer.send_bytes(payloads[other])
                got[other] = reader.recv_bytes()
            else:
                got[other] = reader.recv_bytes()
                writer.send_bytes(payloads[other])
        return got


class _Partition:
    """The states one worker owns, its share of the edges, and its verdict bookkeeping."""

    def __init__(self, me: int, n: int, system: TransitionSystem, bad: Sequence[Bad],
                 labelers: Sequence[Labels], deadline: float):
        self.me, self.n = me, n
        self.successors = system.successors
        self.bad, self.labelers = bad, labelers
        self.deadline = deadline
        self.ids: dict[bytes, int] = {}
        self.keys: list[bytes] = []
        self.gid = array("q")  # global id per local id, -1 while unnumbered
        self.tag = array("q")  # smallest discovery tag per local id
        self.judged = bytearray()  # predicates and labels evaluated
        self.frontier: list[int] = []  # local ids of the layer to expand, in global id order
        self.new: list[int] = []  # local ids first seen in this layer
        self.rows = array("q")  # global ids of the expanded states, in order
        self.degree = array("i")
        self.refs = array("q")  # per edge: local id * n + me, or stream position * n + owner
        self.edge_step = array("i")  # per edge: local step id
        self.steps: Interner[Step] = Interner()
        self.step_first = array("q")  # per local step: the tag of its first edge
        self.sent = [0] * n  # successors sent to each worker so far (stream positions)
        self.streams = [array("i") for _ in range(n)]  # local ids of what each worker sent
        self.first_bad: list[int | None] = [None] * len(bad)
        self.label_sets: list[Interner[frozenset]] = [Interner() for _ in labelers]
        self.label_of = [array("i") for _ in labelers]
        key = marshal.dumps(system.initial_state(), 2)
        if hash(key) % n == me:
            self._add(key, -1)
            self.gid[0] = 0
            self.frontier = [0]

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

    def layer(self, violated: frozenset[int], links: _Links) -> _Reply:
        """Expand the frontier, swap successors, deduplicate; return the sorted tags of the
        new states (tag * n + me), the edges recorded, whether time ran out and which
        predicates this worker has found violated."""
        n, me = self.n, self.me
        out_keys: list[list[bytes]] = [[] for _ in range(n)]
        out_tags = [array("q") for _ in range(n)]
        edges_before = len(self.refs)
        timed_out = self._expand(violated, out_keys, out_tags)
        payloads = [marshal.dumps((k, t.tobytes())) for k, t in zip(out_keys, out_tags,
                                                                     strict=True)]
        for o in range(n):
            self.sent[o] += len(out_keys[o])
        for o, blob in enumerate(links.swap(payloads)):
            if o != me and not timed_out:  # after a timeout this layer is dropped anyway
                self._absorb(o, blob)
        new = self.new
        new.sort(key=self.tag.__getitem__)
        tags = array("q", [self.tag[j] * n + me for j in new])
        found = frozenset(p for p, b in enumerate(self.first_bad) if b is not None)
        return tags.tobytes(), len(self.refs) - edges_before, timed_out, found

    def _expand(self, violated: frozenset[int], out_keys: list[list[bytes]],
                out_tags: list[array]) -> bool:
        """The hot loop: per transition one `marshal.dumps`, one hash, and either a dict
        probe (a state this worker owns) or two appends to the owner's buffer."""
        n, me = self.n, self.me
        dumps, loads, clock = marshal.dumps, marshal.loads, time.monotonic
        ids, keys, gid, tag, judged, new = self.ids, self.keys, self.gid, self.tag, \
            self.judged, self.new
        ids_get, key_add, gid_add, tag_add, judged_add, new_add = (
            ids.get, keys.append, gid.append, tag.append, judged.append, new.append)
        step_id, add_step = self.steps.index.get, self.steps.add
        first_append = self.step_first.append
        ref_append, step_append = self.refs.append, self.edge_step.append
        row_append, degree_append = self.rows.append, self.degree.append
        key_appends = [k.append for k in out_keys]
        tag_appends = [t.append for t in out_tags]
        sent = self.sent
        outgoing: dict[bytes, int] = {}  # successors sent this layer: their stream positions
        sent_before = outgoing.get
        first_bad, labelled = self.first_bad, bool(self.labelers)
        pending = [(p, self.bad[p]) for p in range(len(self.bad))
                   if p not in violated and first_bad[p] is None]
        successors, deadline = self.successors, self.deadline
        for done, j in enumerate(self.frontier):
            if not done % CHECK_EVERY and clock() >= deadline:
                return True
            src = gid[j]
            base = src << SHIFT
            state = loads(keys[j])
            if pending:  # states are judged in id order: the first hit is this worker's least
                hits = [p for p, bad in pending if bad(state)]
                if hits:
                    for p in hits:
                        first_bad[p] = src
                    pending = [(p, bad) for p, bad in pending if first_bad[p] is None]
            if labelled:
                self._label(j, state)
            judged[j] = 1
            succ = successors(state)
            if len(succ) > MASK:
                raise ValueError(f"a state has {len(succ)} successors, more than {MASK}")
            for idx, (step, nxt) in enumerate(succ):
                k = step_id(step)
                if k is None:
                    k = add_step(step)
                    first_append(base | idx)
                key = dumps(nxt, 2)
                o = hash(key) % n
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

    def _absorb(self, sender: int, blob: bytes) -> None:
        """Deduplicate the successors another worker found for states this one owns."""
        keys, raw = marshal.loads(blob)
        tags = array("q")
        tags.frombytes(raw)
        ids_get, add, new, tag = self.ids.get, self._add, self.new, self.tag
        stream_append = self.streams[sender].append
        for key, t in zip(keys, tags, strict=True):
            j = ids_get(key)
            if j is None:
                j = add(key, t)
                new.append(j)
            elif t < tag[j]:
                tag[j] = t
            stream_append(j)

    def number(self, raw: bytes) -> None:
        """Take the global ids of this layer's new states (in the order `layer` sorted them);
        they are the next frontier."""
        gids = array("q")
        gids.frombytes(raw)
        gid = self.gid
        for j, g in zip(self.new, gids, strict=True):
            gid[j] = g
        self.frontier, self.new = self.new, []

    def stream_ids(self, links: _Links) -> list[array]:
        """Swap with every worker the global ids of the successors it sent here, so that each
        can translate its edges; entry o of the result maps this worker's stream to o."""
        gid = self.gid
        tables = links.swap([array("q", [gid[j] for j in s]).tobytes() for s in self.streams])
        out = []
        for o, raw in enumerate(tables):
            table = array("q")
            if o == self.me:
                table = gid
            else:
                table.frombytes(raw)
            out.append(table)
        return out

    def first_steps(self, step_limit: int) -> list[tuple[int, int, Step]]:
        """(tag of first edge, local step id, step) for the steps used before the limit."""
        return [(t, k, s) for k, (t, s) in enumerate(zip(self.step_first, self.steps.items,
                                                         strict=True)) if t < step_limit]

    def bundle(self, keep: int, edge_limit: int, tables: list[array],
               step_map: list[int]) -> _Bundle:
        """Everything the lead needs, for the states numbered below `keep` and the edges
        tagged below `edge_limit`, in global id order."""
        n = self.n
        mine = sorted((j for j, g in enumerate(self.gid) if 0 <= g < keep),
                      key=self.gid.__getitem__)
        gid, judged, first_bad = self.gid, self.judged, self.first_bad
        for j in mine:  # states left unexpanded by a limit: judged here, in id order
            if not judged[j]:
                state = marshal.loads(self.keys[j])
                for p, bad in enumerate(self.bad):
                    if first_bad[p] is None and bad(state):
                        first_bad[p] = gid[j]
                if self.labelers:
                    self._label(j, state)
        degree = array("i")
        kept = 0
        for src, d in zip(self.rows, self.degree, strict=True):
            if src << SHIFT >= edge_limit:
                break
            d = min(d, edge_limit - (src << SHIFT))
            degree.append(d)
            kept += d
        dst = array("q", [tables[r % n][r // n] for r in self.refs[:kept]])
        steps = array("i", [step_map[k] for k in self.edge_step[:kept]])
        labels = [(sets.items, array("i", [of[j] for j in mine]).tobytes())
                  for sets, of in zip(self.label_sets, self.label_of, strict=True)]
        firsts = [None if b is None or b >= keep else b for b in self.first_bad]
        return ([self.keys[j] for j in mine], degree.tobytes(), dst.tobytes(), steps.tobytes(),
                firsts, labels)


def _child(me: int, n: int, system: TransitionSystem, bad: Sequence[Bad],
           labelers: Sequence[Labels], deadline: float, links: _Links) -> None:
    """A worker process: obey the lead's orders until the final bundle is sent."""
    control = links.control
    assert control is not None
    try:
        part = _Partition(me, n, system, bad, labelers, deadline)
        while True:
            order = control.recv()
            if order[0] == "layer":
                control.send(part.layer(order[1], links))
            elif order[0] == "number":
                part.number(order[1])
            else:  # "finish"
                _, keep, edge_limit, step_limit = order
                tables = part.stream_ids(links)
                control.send(part.first_steps(step_limit))
                control.send(part.bundle(keep, edge_limit, tables, control.recv()))
                if me == 1:  # worker 1 lays out the store's columns while the lead does keys
                    control.send(_columns(*control.recv()))
                return
    except BaseException:  # reported to the lead, which raises it
        control.send(("error", traceback.format_exc()))


class _Team:
    """The forked workers 1..n-1 and the lead's own links; `close` always reaps them."""

    def __init__(self, n: int, system: TransitionSystem, bad: Sequence[Bad],
                 labelers: Sequence[Labels], deadline: float):
        ctx = multiprocessing.get_context("fork")
        pipes = [[ctx.Pipe(duplex=False) if a != b else None for b in range(n)]
                 for a in range(n)]  # pipes[a][b] = (reader at b, writer at a)
        controls = [ctx.Pipe() if w else None for w in range(n)]

        def links(w: int) -> _Links:
            readers = [pipes[a][w][0] if a != w else None for a in range(n)]  # type: ignore
            writers = [pipes[w][b][1] if b != w else None for b in range(n)]  # type: ignore
            c = controls[w]
            return _Links(w, c[1] if c else None, readers, writers)

        every = [c for row in pipes for p in row if p for c in p]
        every += [c for p in controls if p for c in p]
        self.procs = []
        gc.freeze()  # the children's collections then leave the inherited heap alone
        try:
            for w in range(1, n):
                own = links(w)
                proc = ctx.Process(target=_run_child, daemon=True,
                                   args=(w, n, system, bad, labelers, deadline, own, every))
                proc.start()
                self.procs.append(proc)
        finally:
            gc.unfreeze()
        self.links = links(0)
        self.controls = [c[0] for c in controls if c]
        keep = {id(c) for c in [*self.controls, *self.links.readers, *self.links.writers]}
        for c in every:
            if id(c) not in keep:
                c.close()

    def recv(self, w: int) -> Any:
        """A reply of worker w (1..n-1); a worker's failure is raised here."""
        reply = self.controls[w - 1].recv()
        if isinstance(reply, tuple) and reply and reply[0] == "error":
            raise WorkerError(f"worker {w} failed:\n{reply[1]}")
        return reply

    def send(self, w: int, order: Any) -> None:
        self.controls[w - 1].send(order)

    def failure(self) -> WorkerError:
        """Why the exchange broke: the first worker's own report, if it sent one."""
        for w, c in enumerate(self.controls, 1):
            try:
                reply = c.recv() if c.poll(1) else None
            except (EOFError, OSError):
                continue
            if isinstance(reply, tuple) and reply and reply[0] == "error":
                return WorkerError(f"worker {w} failed:\n{reply[1]}")
        return WorkerError("a worker process ended unexpectedly")

    def close(self, finished: bool) -> None:
        """Reap the workers: they exit by themselves after a finished search, and are
        terminated after a failed one (they may be waiting on the lead)."""
        for proc in self.procs:
            proc.join(timeout=5 if finished else 0)
            if proc.is_alive():
                proc.terminate()
                proc.join()
        for c in [*self.controls, *self.links.readers, *self.links.writers]:
            if c is not None:
                c.close()


def _run_child(me: int, n: int, system: TransitionSystem, bad: Sequence[Bad],
               labelers: Sequence[Labels], deadline: float, links: _Links,
               every: list[Connection]) -> None:
    """A child's entry point (after the fork): keep its own connections, then work."""
    own = {id(c) for c in [links.control, *links.readers, *links.writers]}
    for c in every:  # drop the other ends: a dead peer then reads as EOF, not a hang
        if id(c) not in own:
            c.close()
    _child(me, n, system, bad, labelers, deadline, links)


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
    if hasattr(system, "ample"):
        raise ValueError("partial-order reduction needs the one-process search")
    started = time.monotonic()
    deadline = started + max_seconds if max_seconds is not None else float("inf")
    cap = max_states if max_states is not None else sys.maxsize
    team = _Team(workers, system, bad, labelers, deadline)
    finished = False
    try:
        outcome = _lead(team, workers, system, store, bad, labelers, cap, max_seconds,
                        progress, started, deadline)
        finished = True
        return outcome
    except (EOFError, OSError) as err:  # a peer died mid-exchange
        raise team.failure() from err
    finally:
        team.close(finished)


def _lead(team: _Team, n: int, system: TransitionSystem, store: StateStore,
          bad: Sequence[Bad], labelers: Sequence[Labels], cap: int,
          max_seconds: float | None, progress: Progress | None, started: float,
          deadline: float) -> SearchOutcome:
    """Drive the layers, then gather the workers' shares into `store`."""
    part = _Partition(0, n, system, bad, labelers, deadline)
    owner = bytearray([hash(marshal.dumps(system.initial_state(), 2)) % n])
    tags = array("q", [-1])  # discovery tag by global id
    violated: frozenset[int] = frozenset()
    transitions, layer_start, depth = 0, 0, 0
    next_report = started + PROGRESS_PERIOD
    stop_reason: str | None = None
    while True:
        for w in range(1, n):
            team.send(w, ("layer", violated))
        replies = [part.layer(violated, team.links)] + [team.recv(w) for w in range(1, n)]
        if any(r[2] for r in replies):
            stop_reason = f"time limit of {max_seconds:g} s reached"
            keep, edge_limit, step_limit = len(owner), layer_start << SHIFT, layer_start << SHIFT
            break
        transitions += sum(r[1] for r in replies)
        violated = violated.union(*(r[3] for r in replies))
        merged = sorted(chain.from_iterable(_longs(r[0]) for r in replies))
        base = len(owner)
        layer_owner = bytes(map(n.__rmod__, merged))
        for w in range(n):
            gids = array("q", compress(count(base), map(w.__eq__, layer_owner))).tobytes()
            if w:
                team.send(w, ("number", gids))
            else:
                part.number(gids)
        owner += layer_owner
        tags.extend(map(n.__rfloordiv__, merged))
        layer_start = base
        if len(owner) > cap:
            stop_reason = f"state limit of {cap:,} states reached"
            keep, edge_limit, step_limit = cap, tags[cap], tags[cap] + 1
            break
        if not merged:
            keep, edge_limit, step_limit = len(owner), len(owner) << SHIFT, len(owner) << SHIFT
            break
        depth += 1
        now = time.monotonic()
        if progress is not None and now >= next_report:
            progress(len(owner), transitions, depth, len(owner) / max(now - started, 1e-9))
            next_report = now + PROGRESS_PERIOD
    for w in range(1, n):
        team.send(w, ("finish", keep, edge_limit, step_limit))
    tables = part.stream_ids(team.links)
    firsts = [part.first_steps(step_limit)] + [team.recv(w) for w in range(1, n)]
    maps: list[list[int]] = [[] for _ in range(n)]
    for _, w, k, step in sorted((t, w, k, s) for w, f in enumerate(firsts) for t, k, s in f):
        maps[w].extend([-1] * (k + 1 - len(maps[w])))
        maps[w][k] = store.steps.add(step)  # first seen in global edge order, as in `search`
    bundles = [part.bundle(keep, edge_limit, tables, maps[0])]
    part.ids.clear()  # the store's own dict replaces it: keep the peak down
    for w in range(1, n):
        team.send(w, maps[w])
        bundles.append(team.recv(w))
    team.send(1, (bytes(owner[:keep]), tags[:keep].tobytes(), edge_limit,
                  [b[1:4] for b in bundles]))
    first_bad, labellings = _assemble(store, owner[:keep], bundles, len(labelers))
    for column, raw in zip((store.edge_start, store.edge_dst, store.edge_step, store.parent,
                            store.via), team.recv(1), strict=True):
        column.frombytes(raw)
    store.close(expanded=edge_limit >> SHIFT)
    stats = Stats(keep, len(store.edge_dst), time.monotonic() - started,
                  store.depth(keep - 1), stop_reason)
    return SearchOutcome(first_bad, labellings, stats)


def _longs(raw: bytes, code: str = "q") -> array:
    a = array(code)
    a.frombytes(raw)
    return a


def _interleave(owner: bytes | bytearray, parts: Sequence[Sequence]) -> Iterator:
    """The items of per-worker sequences (each in global order) in global order: item i
    comes from `parts[owner[i]]`."""
    return map(next, map([iter(p) for p in parts].__getitem__, owner))


def _assemble(store: StateStore, owner: bytearray, bundles: list[_Bundle], labelers: int
              ) -> tuple[tuple[int | None, ...], tuple[Labelling, ...]]:
    """Fill the store's states in global id order from the workers' bundles; return the first
    violation of each predicate and the labellings, as `search` does."""
    keys = list(_interleave(owner, [b[0] for b in bundles]))
    store.keys.extend(keys)
    store.ids.update(zip(keys, range(len(keys)), strict=True))
    first_bad = tuple(min((b[4][p] for b in bundles if b[4][p] is not None), default=None)
                      for p in range(len(bundles[0][4])))
    labellings = []
    for lb in range(labelers):
        sets = [b[5][lb][0] for b in bundles]
        labelling = Labelling()
        for w, i in zip(owner, _interleave(owner, [_longs(b[5][lb][1], "i") for b in bundles]),
                        strict=True):
            labelling.add(sets[w][i])
        labellings.append(labelling)
    return first_bad, tuple(labellings)


def _columns(owner: bytes, raw_tags: bytes, edge_limit: int,
             edges: list[tuple[bytes, bytes, bytes]]) -> tuple[bytes, ...]:
    """The store's columns past the initial row of `edge_start`: the rows' ends, the edges'
    targets and steps, and each state's parent and step from it (the edge its discovery tag
    names), from every worker's (degrees, targets, steps) in global id order."""
    tags = _longs(raw_tags)
    rows = owner[:(edge_limit + MASK) >> SHIFT]
    degree = array("i", _interleave(rows, [_longs(d, "i") for d, _, _ in edges]))
    edge_owner = bytes(chain.from_iterable(map(repeat, rows, degree)))
    dst = array("i", _interleave(edge_owner, [_longs(t) for _, t, _ in edges]))
    step = array("i", _interleave(edge_owner, [_longs(k, "i") for _, _, k in edges]))
    start = array("i", [0])
    start.extend(accumulate(degree))
    parent = array("i", [t >> SHIFT for t in tags])
    via = array("i", [-1])
    via.extend([step[start[p] + (t & MASK)] for p, t in zip(parent[1:], tags[1:], strict=True)])
    return start[1:].tobytes(), dst.tobytes(), step.tobytes(), parent.tobytes(), via.tobytes()
