"""Order a Go trace's per-thread batches into one stream, as Go's reader does.

Like Go's reader it keeps a frontier (each thread's next event) as a min-heap on time,
tries the earliest event first and, when that one must wait, the others in time order;
when none can advance the trace is inconsistent. The heap is managed exactly as Go's
(same sift rules, same fallback sort), so equal timestamps resolve the same way and the
output order is `go tool trace -d=parsed`'s.
"""

from __future__ import annotations

from collections.abc import Iterator

from gocheck.traces import spec as S
from gocheck.traces.errors import Broken, TraceFormatError
from gocheck.traces.event import Event
from gocheck.traces.gobinary import DECODE_ERROR, BinaryTrace, Generation, decode_error
from gocheck.traces.order import Ordering
from gocheck.traces.resource import MState, opt, thread_id


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


def order_binary(trace: BinaryTrace, o: Ordering) -> Iterator[list[Event]]:
    """Chunks of the canonical stream of `trace`, ordered and checked by `o`'s rules; a
    decoding error is located (byte offset) in the file."""
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
                frontier.append(_Cursor(thread_id(m), events))
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
                o.emit("CPUSample", t, MState(thread_id(m), thread_id(p), gid or None),
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
        lines.append(f"M{opt(c.m)} t={c.time} {_describe(c.ev)} [{rule}]: {why}")
        g, p = _named(c.ev)
        states.update(o.states(o.m.get(c.m) if c.m is not None else None, g, p))  # type: ignore[arg-type]
    head = frontier[0]
    _, why = o.why_waiting(head.ev, head.m)
    g, p = _named(head.ev)
    resource = f"G{g}" if g is not None else f"P{p}" if p is not None else f"M{opt(head.m)}"
    return Broken("stuck", f"failed to advance: no thread's next event can happen in gen"
                  f" {o.gen}; the earliest, {_describe(head.ev)} on M{opt(head.m)}, {why}."
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
