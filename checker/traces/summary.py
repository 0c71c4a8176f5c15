"""Counts over a canonical stream: events, goroutines, Ps, duration, utilisation per P."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from gocheck.traces.event import PROC, Event


@dataclass(slots=True)
class Summary:
    """What a stream contains. `busy[p]` is the time (ns) some goroutine was Running on P
    `p` (a goroutine in a syscall is not counted); `duration` spans the first to the last
    raw timestamp."""

    events: int = 0
    goroutines: int = 0
    procs: list[int] = field(default_factory=list)
    start: int | None = None
    end: int | None = None
    busy: dict[int, int] = field(default_factory=dict)

    @property
    def duration(self) -> int:
        return 0 if self.start is None or self.end is None else self.end - self.start

    def utilisation(self) -> dict[int, float]:
        """Share of the duration each P ran a goroutine (0.0 for an empty span)."""
        span = self.duration
        return {p: (self.busy.get(p, 0) / span if span else 0.0) for p in self.procs}


def summarize(events: Iterable[Event]) -> Summary:
    """One pass over the stream (written as a single loop: it runs per event)."""
    count = 0
    start = end = None
    gs: set[int] = set()
    ps: set[int] = set()
    running: dict[int, tuple[int, int | None]] = {}
    busy: dict[int, int] = {}
    for e in events:
        count += 1
        t = e.time
        if start is None or t < start:
            start = t
        if end is None or t > end:
            end = t
        if e.p is not None:
            ps.add(e.p)
        res = e.resource
        if res is None:
            continue
        target = e.target
        if res == PROC:
            ps.add(target)  # type: ignore[arg-type]
            continue
        gs.add(target)  # type: ignore[arg-type]
        old, new = e.from_state, e.to_state
        if old == new:
            continue
        if old == "Running":
            began = running.pop(target, None)  # type: ignore[arg-type]
            if began is not None and began[1] is not None and t > began[0]:
                busy[began[1]] = busy.get(began[1], 0) + t - began[0]
        if new == "Running":
            running[target] = (t, e.p)  # type: ignore[index]
    if end is not None:
        for began, p in running.values():
            if p is not None and end > began:
                busy[p] = busy.get(p, 0) + end - began
    return Summary(count, len(gs), sorted(ps), start, end, busy)
