"""Scheduler properties measured on a consistent canonical stream, with real-time bounds.

Each property names a condition that should not last; the checker finds every maximal
window in which it holds and reports the worst (longest) one, which violates the property
when it is longer than the threshold:

* `work_conserving=T` (W1 relaxed to a bound): some P runs nothing while a user goroutine
  is runnable. Transient windows are legitimate (the samples show up to ~1 ms on a loaded
  machine); the default bound is 5 ms.
* `syscall_handoff=T` (H2/H3): a P stays attached to a goroutine in a syscall while user
  work is runnable, instead of being handed off (ProcSteal/ProcStop). Default 20 ms, about
  sysmon's 10 ms retake plus one sysmon tick.
* `preemption=T` (PR1): a user goroutine runs without interruption. Default 30 ms: the
  10 ms time slice, up to 10 ms until sysmon looks, and the signal's delivery (the samples
  show slices of 20-23 ms); not a hard guarantee (PR3).
* `fork_join`: goroutines created during the trace by user code still exist at its end
  (F2, a program property); the window runs from the oldest such creation to the end.

The tracer's and the runtime's own goroutines are ignored: a goroutine whose outermost
frame (creation stack, else any stack seen for it) is in `runtime` or `runtime/...` is a
system goroutine. Times are the raw trace times, made monotonic for the window arithmetic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from gocheck.errors import InputError
from gocheck.traces.event import GOROUTINE, PROC, Event

DEFAULTS_NS = {"work_conserving": 5_000_000, "syscall_handoff": 20_000_000,
               "preemption": 30_000_000, "fork_join": None}
_UNITS = {"ns": 1, "us": 1_000, "µs": 1_000, "ms": 1_000_000, "s": 1_000_000_000, "": 1}


@dataclass(frozen=True, slots=True)
class Window:
    """A maximal interval in which a property's bad condition held."""

    start: int
    length: int
    resources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PropertyResult:
    name: str
    threshold: int | None  # ns; None for fork_join
    holds: bool
    worst: Window | None
    windows: int  # how many windows were seen (of any length)

    def to_json(self) -> dict[str, object]:
        worst = None if self.worst is None else {
            "start": self.worst.start, "length": self.worst.length,
            "resources": list(self.worst.resources)}
        return {"name": self.name, "threshold_ns": self.threshold,
                "verdict": "holds" if self.holds else "violated", "windows": self.windows,
                "worst": worst}


def parse_check(text: str) -> tuple[str, int | None]:
    """`name` or `name=T` with T like `500us`, `2ms`, `1s` or plain nanoseconds."""
    name, _, value = text.partition("=")
    name = name.strip()
    if name not in DEFAULTS_NS:
        raise InputError(f"unknown property {name!r} (choose from {', '.join(DEFAULTS_NS)})")
    if not value:
        return name, DEFAULTS_NS[name]
    if name == "fork_join":
        raise InputError("fork_join takes no threshold")
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|)\s*", value)
    if m is None:
        raise InputError(f"bad threshold {value!r} for {name} (e.g. 500us, 2ms, 1s)")
    return name, int(float(m.group(1)) * _UNITS[m.group(2)])


def system_goroutines(events: Iterable[Event]) -> set[int]:
    """Goroutines of the runtime and the tracer, recognised by their outermost frame."""
    outer: dict[int, str] = {}
    created: set[int] = set()
    for e in events:
        if e.resource != GOROUTINE or e.target is None:
            continue
        if e.kind in ("GoCreate", "GoCreateBlocked"):
            new_stack = e.args.get("new_stack") or ()
            if new_stack:
                outer[e.target] = new_stack[-1]  # type: ignore[index]
                created.add(e.target)
        elif e.stack and e.target not in created and (e.kind == "GoStatus" or e.g == e.target):
            outer.setdefault(e.target, e.stack[-1])
    return {g for g, frame in outer.items() if frame.startswith(("runtime.", "runtime/"))}


class _Windows:
    """Maximal intervals per key of a condition re-evaluated after every event."""

    def __init__(self) -> None:
        self.open: dict[object, tuple[int, tuple[str, ...]]] = {}
        self.worst: Window | None = None
        self.count = 0

    def update(self, key: object, on: bool, now: int, resources: Callable[[], tuple[str, ...]]
               ) -> None:
        if on and key not in self.open:
            self.open[key] = (now, resources())
        elif not on and key in self.open:
            self._close(key, now)

    def _close(self, key: object, now: int) -> None:
        start, res = self.open.pop(key)
        self.count += 1
        if self.worst is None or now - start > self.worst.length:
            self.worst = Window(start, now - start, res)

    def finish(self, now: int) -> None:
        for key in sorted(self.open, key=str):
            self._close(key, now)


def check_properties(events: list[Event], checks: list[tuple[str, int | None]]
                     ) -> list[PropertyResult]:
    """Evaluate the requested properties over a consistent stream."""
    system = system_goroutines(events)
    idle, handoff, running_long = _Windows(), _Windows(), _Windows()
    state: dict[int, str] = {}  # goroutine -> API state
    runnable: set[int] = set()  # user goroutines
    holder: dict[int, int] = {}  # P -> goroutine running on it or syscalling with it
    runs_on: dict[int, int] = {}  # goroutine -> P it holds
    procs: set[int] = set()
    gomaxprocs = 0
    forked: dict[int, int] = {}  # user-created goroutine -> creation time
    now = events[0].time if events else 0
    for e in events:
        now = max(now, e.time)
        if e.p is not None:
            procs.add(e.p)
        if e.kind == "ProcsChange":
            gomaxprocs = int(e.args.get("procs_value", 0))  # type: ignore[call-overload]
        if e.resource == PROC and e.target is not None:
            procs.add(e.target)
            if e.kind in ("ProcSteal", "ProcStop"):
                lost = holder.pop(e.target, None)
                if lost is not None:
                    runs_on.pop(lost, None)
        elif e.resource == GOROUTINE and e.target is not None:
            gid, new = e.target, e.to_state
            state[gid] = new  # type: ignore[assignment]
            if gid not in system:
                (runnable.add if new == "Runnable" else runnable.discard)(gid)
                if e.kind in ("GoCreate", "GoCreateBlocked") and e.g not in system:
                    forked[gid] = e.time
            # A status record of a goroutine in a syscall carries the reporting thread's P,
            # not its own: only transitions into Running (or a syscall begun here) bind.
            binds = new == "Running" or (new == "Syscall" and e.kind == "GoSyscallBegin")
            if binds and e.p is not None and gid not in runs_on:
                holder[e.p] = gid
                runs_on[gid] = e.p
            elif new not in ("Running", "Syscall"):
                p = runs_on.pop(gid, None)
                if p is not None and holder.get(p) == gid:
                    del holder[p]
            if gid not in system:
                running_long.update(gid, new == "Running", now,
                                    lambda g=gid: (f"G{g}", f"P{runs_on.get(g, '-')}"))
        nprocs = gomaxprocs or len(procs)
        free = nprocs - len(holder)
        idle.update("idle", bool(runnable) and free > 0, now,
                    lambda n=nprocs: (*(f"P{p}" for p in sorted((procs | set(range(n)))
                                                               - set(holder))),
                             *(f"G{g}" for g in sorted(runnable)[:8])))
        for p, gid in holder.items():
            handoff.update(p, state.get(gid) == "Syscall" and bool(runnable), now,
                           lambda p=p, g=gid: (f"P{p}", f"G{g}"))
        for p in [k for k in handoff.open if holder.get(k) is None]:  # type: ignore[call-overload]
            handoff.update(p, False, now, tuple)
    for w in (idle, handoff, running_long):
        w.finish(now)
    found = {"work_conserving": idle, "syscall_handoff": handoff, "preemption": running_long}
    results = []
    for name, threshold in checks:
        if name == "fork_join":
            alive = sorted(g for g in forked if state.get(g) != "NotExist")
            worst = None if not alive else Window(
                min(forked[g] for g in alive), now - min(forked[g] for g in alive),
                tuple(f"G{g}" for g in alive))
            results.append(PropertyResult(name, None, not alive, worst, len(alive)))
            continue
        w = found[name]
        holds = w.worst is None or threshold is None or w.worst.length <= threshold
        results.append(PropertyResult(name, threshold, holds, w.worst, w.count))
    return results
