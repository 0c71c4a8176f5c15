"""Check an already ordered canonical stream (JSONL from a simulator or a runtime).

Every event must be able to happen at its place: an event the rules would make wait is an
error here at once. Each canonical event is mapped back onto the wire arguments the rules
read, so JSONL goes through the same rules as Go's binary traces.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gocheck.traces import spec as S
from gocheck.traces.errors import Broken
from gocheck.traces.event import Event
from gocheck.traces.order import Ordering
from gocheck.traces.resource import opt

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


def check_ordered(events: Iterable[Event], o: Ordering) -> Iterator[list[Event]]:
    """Apply each event at its place (re-indexed from 0); yields them one by one."""
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
                     f" G{opt(ms.g)}", time=e.time, states=o.states(ms, e.target))
    if ms is not None and e.kind == "ProcStop" and e.target is not None and e.target != ms.p:
        raise Broken("proc-mismatch", f"ProcStop of P{e.target} on M{e.m}, which holds"
                     f" P{opt(ms.p)}", time=e.time, states=o.states(ms, p=e.target))
    if not o.advance(ev, e.m):
        rule, why = o.why_waiting(ev, e.m)
        raise Broken(rule, f"{e.kind} cannot happen here: {why}", time=e.time,
                     states=o.states(ms, g=e.target if e.resource == "goroutine" else None,
                                     p=e.target if e.resource == "proc" else None))
