"""Happens-before between chosen events of a replayed stream, as Go's trace orders them.

The trace's total order is one interleaving among many: events of different threads are
ordered only through a resource both touch (a goroutine, a P, a thread, the GC sequence)
and whose sequence numbers the replay follows. Any order that keeps every resource's own
order replays the same way. So event a happens before event b iff a chain of
per-resource successions leads from a to b. Generation boundaries (Sync) order nothing
more: a thread may write the next generation's first events before another thread
writes the previous one's last, and a weaker order only lets the search accept more.

Only a few events matter to the cross-goroutine checks (the marked ones), so each
resource keeps a bitset (a Python int) of the marked events known to precede its latest
event: one pass, a few dictionary lookups and integer ORs per event, nothing at all before
the first mark.
"""

from __future__ import annotations

from gocheck.traces.event import GOROUTINE, PROC, Event

_GC = frozenset({"GCActive", "GCBegin", "GCEnd"})  # ordered by the trace's GC sequence
_ENDS = frozenset({"GoDestroy", "GoDestroySyscall"})


def resources(e: Event) -> list[tuple[str, int]]:
    """The resources whose order `e` takes part in."""
    out: list[tuple[str, int]] = []
    if e.m is not None:
        out.append(("M", e.m))
    if e.p is not None:
        out.append(("P", e.p))
    if e.g is not None:
        out.append(("G", e.g))
    if e.target is not None and e.resource in (GOROUTINE, PROC):
        out.append(("G" if e.resource == GOROUTINE else "P", e.target))
    for key in ("victim", "thread"):  # ProcSteal's victim, GoStatus's syscall thread
        other = e.args.get(key)
        if isinstance(other, int):
            out.append(("M", other))
    if e.kind in _GC:
        out.append(("GC", 0))
    return out


class HappensBefore:
    """Feed every event of the stream in order with `see`; marked events get ids 0, 1, ...
    and `before(a, b)` says whether marked event a happens before marked event b."""

    def __init__(self) -> None:
        self._clock: dict[tuple[str, int], int] = {}
        self._marked = False
        self.preds: list[int] = []  # per marked event, the bitset of its marked predecessors
        self.events: list[Event] = []  # the marked events

    def see(self, e: Event, mark: bool = False) -> int | None:
        """Account for `e`; returns its id when `mark` is set."""
        if not (mark or self._marked):
            return None
        keys = resources(e)
        clock = self._clock
        pred = 0
        for k in keys:
            pred |= clock.get(k, 0)
        rid = None
        if mark:
            rid = len(self.preds)
            self.preds.append(pred)
            self.events.append(e)
            self._marked = True
            pred |= 1 << rid
        for k in keys:
            clock[k] = pred
        if e.kind in _ENDS:  # nothing follows a goroutine's end: forget it
            clock.pop(("G", e.target), None)  # type: ignore[arg-type]
        return rid

    def before(self, a: int, b: int) -> bool:
        return bool(self.preds[b] >> a & 1)
