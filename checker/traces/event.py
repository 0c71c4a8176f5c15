"""The canonical event: what every reader produces and what the replay and properties consume.

The vocabulary is Go's own (`GoCreate`, `GoStart`, `ProcSteal`, ...; see `KINDS`), so a
runtime trace, a simulator and the model's runs can all say the same thing. A simulator
emits, per scheduler step, one event with the acting thread `m`, the resource it changes
(`resource`/`target`) and, optionally, the sequence numbers the replay would otherwise count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

NO_ARGS: Mapping[str, object] = MappingProxyType({})

GOROUTINE = "goroutine"
PROC = "proc"

# States as Go's parser reports them (`internal/trace` GoState / ProcState). A P inside a
# syscall shows as Running and an abandoned one as Idle, exactly as `go tool trace` prints.
G_STATES = ("Undetermined", "NotExist", "Runnable", "Running", "Waiting", "Syscall")
P_STATES = ("Undetermined", "NotExist", "Running", "Idle")

# Scheduler events: the ones the replay's state machine interprets.
GOROUTINE_KINDS = (
    "GoCreate", "GoCreateBlocked", "GoCreateSyscall", "GoStart", "GoStop", "GoBlock",
    "GoUnblock", "GoDestroy", "GoDestroySyscall", "GoSyscallBegin", "GoSyscallEnd",
    "GoSyscallEndBlocked", "GoStatus", "GoSwitch", "GoSwitchDestroy",
)
PROC_KINDS = ("ProcStart", "ProcStop", "ProcSteal", "ProcStatus")
# Everything else Go traces: generation boundaries, GC and STW ranges, metrics, annotations.
OTHER_KINDS = (
    "Sync", "ProcsChange", "STWBegin", "STWEnd", "GCActive", "GCBegin", "GCEnd",
    "GCSweepActive", "GCSweepBegin", "GCSweepEnd", "GCMarkAssistActive", "GCMarkAssistBegin",
    "GCMarkAssistEnd", "HeapAlloc", "HeapGoal", "GoLabel", "UserTaskBegin", "UserTaskEnd",
    "UserRegionBegin", "UserRegionEnd", "UserLog", "CPUSample", "Experimental",
)
KINDS = GOROUTINE_KINDS + PROC_KINDS + OTHER_KINDS


@dataclass(slots=True)
class Event:
    """One event of the canonical stream, in replay order.

    `time` is in nanoseconds of the trace clock and is the raw value (batch time plus
    deltas, times the tick length): never clamped or reordered, unlike `go tool trace`'s
    printed Time. `m`, `p`, `g` are the thread, P and goroutine of the acting thread just
    before the event (None: none). A state change names its `resource` ("goroutine" or
    "proc"), its `target` id and the states `from_state` -> `to_state`. `stack` holds
    function names, innermost first. `args` holds the rest, by Go's argument names with
    strings resolved (`g_seq`, `p_seq`, `reason`, `status`, `new_stack`, ...); treat it as
    read-only (events without arguments share one empty mapping).
    """

    index: int
    time: int
    kind: str
    m: int | None = None
    p: int | None = None
    g: int | None = None
    resource: str | None = None
    target: int | None = None
    from_state: str | None = None
    to_state: str | None = None
    stack: tuple[str, ...] = ()
    args: Mapping[str, object] = field(default_factory=lambda: NO_ARGS)
