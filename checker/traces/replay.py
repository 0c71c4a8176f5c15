"""Replay a trace through the state machine of `order.py`, yielding the canonical stream.

Two drivers share the rules:

* `replay_binary` recovers the order of a Go trace, whose events come in per-thread
  batches. Like Go's reader it keeps a frontier (each thread's next event) as a min-heap on
  time, tries the earliest event first and, when that one must wait, the others in time
  order; when none can advance the trace is inconsistent. The heap is managed exactly as
  Go's (same sift rules, same fallback sort), so equal timestamps resolve the same way and
  the output order is `go tool trace -d=parsed`'s.
* `replay_events` checks an already ordered stream (canonical JSONL from a simulator or a
  runtime): every event must be able to happen at its place, so a wait is an error there.

Both are `Replay` objects: iterate them for the events; after the iteration `error` holds
the first `Inconsistency` (None if the trace is consistent). A trace that cannot be decoded
raises `TraceFormatError` from the iteration, after the events of complete generations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from gocheck.traces import spec as S
from gocheck.traces.errors import Broken, TraceFormatError
from gocheck.traces.event import Event
from gocheck.traces.gobinary import DECODE_ERROR, BinaryTrace, Generation, decode_error
from gocheck.traces.order import MState, Ordering, _thread
from gocheck.traces.result import Inconsistency


class Replay:
    """An iterable canonical stream whose `error` is set when a rule stops it."""

    def __init__(self, run: Callable[[Ordering], Iterator[list[Event]]]):
        self._run = run
        self.order = Ordering()
        self.error: Inconsistency | None = None

    def __iter__(self) -> Iterator[Event]:
        try:
            for chunk in self._run(self.order):
                yield from chunk
        except Broken as err:
            yield from self._pending()
            self.error = _inconsistency(self.order.count, err)
        except TraceFormatError:
            yield from self._pending()
            raise

    def _pending(self) -> list[Event]:
        """The events replayed before the run stopped but not yet handed out."""
        pending = self.order.queue[:]
        self.order.queue.clear()
        return pending


def _inconsistency(index: int, err: Broken) -> Inconsistency:
    resource = err.resource or next((k for k in err.states if k[0] in "GP"), None)
    resource = resource or next(iter(err.states), None)
    return Inconsistency(index, err.time, err.rule, err.message, resource, err.states)


# --- ordering per-thread batches ------------------------------------------------------


class _Cursor:
    """One thread's position in its events of the current generation."""

    __slots__ = ("ev", "events", "i", "m", "ms", "time")

    def __init__(self, m: int | None, events: list[list]):
        self.m, self.events, self.i = m, events, 0
        self.ms: MState | None = None  # the thread's state, once the replay created it
        self.ev = events[0]
        self.time = self.ev[1]


def _sift_up(h: list[_Cursor], i: int) -> int:
    while i > 0:
        parent = (i - 1) // 2
        if h[parent].time <= h[i].time:
            break
        h[parent], h[i] = h[i], h[parent]
        i = parent
    return i


def _sift_down(h: list[_Cursor], i: int) -> None:
    n = len(h)
    while True:
        least, left = i, 2 * i + 1
        least_t = h[i].time
        if left < n and h[left].time < least_t:
            least, least_t = left, h[left].time
        if left + 1 < n and h[left + 1].time < least_t:
            least = left + 1
        if least == i:
            return
        h[i], h[least] = h[least], h[i]
        i = least


def _heap_remove(h: list[_Cursor], i: int) -> None:
    while i > 0:
        parent = (i - 1) // 2
        h[parent], h[i] = h[i], h[parent]
        i = parent
    h[0] = h[-1]
    h.pop()
    if h:
        _sift_down(h, 0)


class _Tables:
    """String and stack lookups of one generation; a missing ID breaks the trace."""

    def __init__(self, g: Generation):
        self.g = g
        self.stacks: dict[int, tuple[str, ...]] = {0: ()}

    def string(self, sid: object) -> str:
        if sid == 0:
            return ""
        try:
            return self.g.strings[sid]  # type: ignore[index]
        except KeyError:
            raise Broken("table", f"found invalid string ID {sid} (generation {self.g.gen})"
                         ) from None

    def stack(self, sid: object) -> tuple[str, ...]:
        names = self.stacks.get(sid)  # type: ignore[arg-type]
        if names is None:
            pcs = self.g.stacks.get(sid)  # type: ignore[arg-type]
            if pcs is None:
                raise Broken("table", f"found invalid stack ID {sid} (generation {self.g.gen})")
            strings, frames = self.g.strings, self.g.frames
            names = self.stacks[sid] = tuple(strings.get(frames[pc][0], "") for pc in pcs)  # type: ignore[index]
        return names


def replay_binary(trace: BinaryTrace) -> Replay:
    """The ordered, checked canonical stream of a Go binary (or wire-text) trace."""
    return Replay(lambda order: _order_binary(trace, order))


def _order_binary(trace: BinaryTrace, o: Ordering) -> Iterator[list[Event]]:
    try:
        yield from _frontier(trace, o)
    except TraceFormatError as err:
        raise trace.locate(err) from None


_CHUNK = 4096  # events handed out together: one generator step per chunk, not per event


def _frontier(trace: BinaryTrace, o: Ordering) -> Iterator[list[Event]]:
    queue, syncs, last = o.queue, 0, 0
    none = MState(None)
    handlers = o.handlers
    for g in trace.generations():
        syncs += 1
        sync_args: dict[str, object] = {"n": syncs, "gen": g.gen}
        if g.clock is not None:
            sync_args.update(trace_time=g.ns(g.clock[0]), mono=g.clock[1],
                             wall_sec=g.clock[2], wall_nsec=g.clock[3])
        o.emit("Sync", g.ns(g.min_ts), none, args=sync_args)
        tables = _Tables(g)
        o.string, o.stack = tables.string, tables.stack
        o.start_generation(g.gen)
        frontier: list[_Cursor] = []
        for m in g.batches:
            events = trace.decode_events(g, m)
            if events:
                if events[0][0] == DECODE_ERROR:
                    raise decode_error(events[0])
                frontier.append(_Cursor(_thread(m), events))
                _sift_up(frontier, len(frontier) - 1)
        samples, si = g.cpu_samples, 0
        while True:
            if len(queue) >= _CHUNK:
                last = queue[-1].time
                yield queue[:]
                queue.clear()
            if si < len(samples) and (not frontier or samples[si][0] < frontier[0].time):
                t, m, p, gid, stk = samples[si]
                si += 1
                o.emit("CPUSample", t, MState(_thread(m), _thread(p), gid or None),
                       stack=tables.stack(stk) if stk in g.stacks else ())
                continue
            if not frontier:
                break
            i, cur = 0, frontier[0]
            ev = cur.ev
            handler = handlers[ev[0]]
            ms = cur.ms or o.thread(cur.m)
            if handler is None or not handler(ev, ms):
                frontier.sort(key=lambda c: c.time)
                for i in range(1, len(frontier)):
                    cur = frontier[i]
                    if o.advance(cur.ev, cur.m):
                        break
                else:
                    if handler is None:
                        o.advance(ev, frontier[0].m)  # raises: no rule for this type
                    raise _stuck(o, frontier)
            elif cur.m is not None:
                cur.ms = ms
            cur.i += 1
            if cur.i < len(cur.events):
                ev = cur.ev = cur.events[cur.i]
                if ev[0] == DECODE_ERROR:
                    raise decode_error(ev)
                cur.time = ev[1]
                if i == 0 or _sift_up(frontier, i) == i:
                    _sift_down(frontier, i)
            else:
                _heap_remove(frontier, i)
    syncs += 1
    if queue:
        last = queue[-1].time
    o.emit("Sync", last, none, args={"n": syncs})
    yield queue[:]
    queue.clear()


def _stuck(o: Ordering, frontier: list[_Cursor]) -> Broken:
    """No thread's next event can happen: say what each one waits for, with the states of
    the threads, goroutines and Ps those events involve."""
    lines, states = [], {}
    for c in frontier:
        rule, why = o.why_waiting(c.ev, c.m)
        lines.append(f"M{_opt(c.m)} t={c.time} {_describe(c.ev)} [{rule}]: {why}")
        g, p = _named(c.ev)
        states.update(o.states(o.m.get(c.m) if c.m is not None else None, g, p))  # type: ignore[arg-type]
    head = frontier[0]
    _, why = o.why_waiting(head.ev, head.m)
    g, p = _named(head.ev)
    resource = f"G{g}" if g is not None else f"P{p}" if p is not None else f"M{_opt(head.m)}"
    return Broken("stuck", f"failed to advance: no thread's next event can happen in gen"
                  f" {o.gen}; the earliest, {_describe(head.ev)} on M{_opt(head.m)}, {why}."
                  " Waiting: " + "; ".join(lines), time=head.time, states=states,
                  resource=resource)


def _named(ev: list) -> tuple[int | None, int | None]:
    """The goroutine and P an event names in its arguments (for GoStart, ProcSteal...)."""
    names = S.SPECS[ev[0]].args[1:]
    g = ev[2 + names.index("g")] if "g" in names else None
    p = ev[2 + names.index("p")] if "p" in names else None
    return g, p


def _describe(ev: list) -> str:
    spec = S.SPECS[ev[0]]
    args = " ".join(f"{n}={v}" for n, v in zip(spec.args[1:], ev[2:], strict=False))
    return f"{spec.name} {args}".strip()


def _opt(x: int | None) -> str:
    return "-" if x is None else str(x)


# --- checking an ordered stream -------------------------------------------------------

# Per kind, how a canonical event maps back onto the wire arguments the rules read:
# "target", "stack", "thread"/"victim" (None for no thread), "status" (a wire status code) or
# an `args` key.
_WIRE_ARGS: dict[str, tuple[str, ...]] = {
    "ProcsChange": ("procs_value", "stack"), "ProcStart": ("target", "p_seq"),
    "ProcStop": (), "ProcSteal": ("target", "p_seq", "victim"),
    "ProcStatus": ("target", "status"),
    "GoCreate": ("target", "new_stack", "stack"), "GoCreateBlocked": ("target", "new_stack",
                                                                      "stack"),
    "GoCreateSyscall": ("target",), "GoStart": ("target", "g_seq"), "GoDestroy": (),
    "GoDestroySyscall": (), "GoStop": ("reason", "stack"), "GoBlock": ("reason", "stack"),
    "GoUnblock": ("target", "g_seq", "stack"), "GoSyscallBegin": ("p_seq", "stack"),
    "GoSyscallEnd": (), "GoSyscallEndBlocked": (),
    "GoStatus": ("target", "thread", "status", "stack"),
    "GoSwitch": ("target", "g_seq"), "GoSwitchDestroy": ("target", "g_seq"),
    "STWBegin": ("kind", "stack"), "STWEnd": (), "GCActive": ("gc_seq",),
    "GCBegin": ("gc_seq", "stack"), "GCEnd": ("gc_seq",), "GCSweepActive": ("p",),
    "GCSweepBegin": ("stack",), "GCSweepEnd": ("swept_value", "reclaimed_value"),
    "GCMarkAssistActive": ("g",), "GCMarkAssistBegin": ("stack",), "GCMarkAssistEnd": (),
    "HeapAlloc": ("heapalloc_value",), "HeapGoal": ("heapgoal_value",),
    "GoLabel": ("label",), "UserTaskBegin": ("task", "parent", "name", "stack"),
    "UserTaskEnd": ("task", "stack"), "UserRegionBegin": ("task", "name", "stack"),
    "UserRegionEnd": ("task", "name", "stack"), "UserLog": ("task", "key", "value", "stack"),
}
_STATUS_CODES = {"goroutine": {v: k for k, v in S.GSTATUS_NAMES.items()},
                 "proc": {v: k for k, v in S.PSTATUS_NAMES.items()}}
# Events that name their goroutine or P only through the thread's context.
_CURRENT_G = frozenset({"GoStop", "GoBlock", "GoDestroy", "GoDestroySyscall", "GoSyscallBegin",
                        "GoSyscallEnd", "GoSyscallEndBlocked"})


def replay_events(events: Iterable[Event]) -> Replay:
    """Check an ordered canonical stream; yields its events (re-indexed from 0)."""
    return Replay(lambda order: _check_ordered(events, order))


def _check_ordered(events: Iterable[Event], o: Ordering) -> Iterator[list[Event]]:
    o.string = lambda s: "" if s is None else str(s)
    o.stack = lambda names: tuple(names) if names else ()  # type: ignore[arg-type,assignment]
    syncs = 0
    o.start_generation(1)
    for index, e in enumerate(events):
        o.count = index
        e.index = index
        if e.kind == "Sync":
            syncs += 1
            if syncs > 1:
                o.start_generation(syncs)
        elif e.kind in _WIRE_ARGS and "implied_by" not in e.args:
            _apply(o, e)
            o.queue.clear()
        yield [e]


def _apply(o: Ordering, e: Event) -> None:
    typ = 48 if e.kind == "GoStatus" else S.BY_NAME[e.kind]
    ev: list = [typ, e.time]
    for name in _WIRE_ARGS[e.kind]:
        if name == "target":
            ev.append(e.target)
        elif name == "stack":
            ev.append(e.stack)
        elif name == "status":
            status = e.args.get("status", e.to_state)
            code = _STATUS_CODES[e.resource or "goroutine"].get(status)  # type: ignore[arg-type]
            if code is None:
                raise Broken("status-invalid", f"{e.kind}: unknown status {status!r}",
                             time=e.time)
            ev.append(code)
        else:
            ev.append(e.args.get(name))
    ms = o.m.get(e.m) if e.m is not None else None  # type: ignore[arg-type]
    if ms is not None and e.kind in _CURRENT_G and e.target is not None and e.target != ms.g:
        raise Broken("goroutine-mismatch", f"{e.kind} of G{e.target} on M{e.m}, which runs"
                     f" G{_opt(ms.g)}", time=e.time, states=o.states(ms, e.target))
    if ms is not None and e.kind == "ProcStop" and e.target is not None and e.target != ms.p:
        raise Broken("proc-mismatch", f"ProcStop of P{e.target} on M{e.m}, which holds"
                     f" P{_opt(ms.p)}", time=e.time, states=o.states(ms, p=e.target))
    if not o.advance(ev, e.m):
        rule, why = o.why_waiting(ev, e.m)
        raise Broken(rule, f"{e.kind} cannot happen here: {why}", time=e.time,
                     states=o.states(ms, g=e.target if e.resource == "goroutine" else None,
                                     p=e.target if e.resource == "proc" else None))
