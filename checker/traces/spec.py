"""The Go execution-trace wire vocabulary (trace format versions 1.22 to 1.26).

One table, indexed by the event type byte: name and argument names (the first is the
timestamp delta `dt` for timed events; `*_string` and `stack` arguments are IDs into the
generation's tables). The binary reader, the wire-text reader and the replay all read it,
so an event's layout is written down once.
"""

from __future__ import annotations

from dataclasses import dataclass

NO_ID = (1 << 64) - 1
"""The wire's "none" for threads and tasks (Go's -1 as a uint64)."""


@dataclass(frozen=True, slots=True)
class Spec:
    """Layout of one event type."""

    name: str
    args: tuple[str, ...] = ()
    timed: bool = False
    has_data: bool = False
    is_stack: bool = False


def _t(name: str, *args: str) -> Spec:
    return Spec(name, ("dt", *args), timed=True)


EV_BATCH, EV_STACKS, EV_STACK, EV_STRINGS, EV_STRING = 1, 2, 3, 4, 5
EV_CPU_SAMPLES, EV_CPU_SAMPLE, EV_FREQUENCY = 6, 7, 8
EV_EXPERIMENTAL_BATCH, EV_SYNC, EV_CLOCK_SNAPSHOT, EV_END_OF_GENERATION = 49, 50, 51, 52

SPECS: dict[int, Spec] = {
    EV_BATCH: Spec("EventBatch", ("gen", "m", "time", "size")),
    EV_STACKS: Spec("Stacks"),
    EV_STACK: Spec("Stack", ("id", "nframes"), is_stack=True),
    EV_STRINGS: Spec("Strings"),
    EV_STRING: Spec("String", ("id",), has_data=True),
    EV_CPU_SAMPLES: Spec("CPUSamples"),
    EV_CPU_SAMPLE: Spec("CPUSample", ("time", "m", "p", "g", "stack")),
    EV_FREQUENCY: Spec("Frequency", ("freq",)),
    9: _t("ProcsChange", "procs_value", "stack"),
    10: _t("ProcStart", "p", "p_seq"),
    11: _t("ProcStop"),
    12: _t("ProcSteal", "p", "p_seq", "m"),
    13: _t("ProcStatus", "p", "pstatus"),
    14: _t("GoCreate", "new_g", "new_stack", "stack"),
    15: _t("GoCreateSyscall", "new_g"),
    16: _t("GoStart", "g", "g_seq"),
    17: _t("GoDestroy"),
    18: _t("GoDestroySyscall"),
    19: _t("GoStop", "reason_string", "stack"),
    20: _t("GoBlock", "reason_string", "stack"),
    21: _t("GoUnblock", "g", "g_seq", "stack"),
    22: _t("GoSyscallBegin", "p_seq", "stack"),
    23: _t("GoSyscallEnd"),
    24: _t("GoSyscallEndBlocked"),
    25: _t("GoStatus", "g", "m", "gstatus"),
    26: _t("STWBegin", "kind_string", "stack"),
    27: _t("STWEnd"),
    28: _t("GCActive", "gc_seq"),
    29: _t("GCBegin", "gc_seq", "stack"),
    30: _t("GCEnd", "gc_seq"),
    31: _t("GCSweepActive", "p"),
    32: _t("GCSweepBegin", "stack"),
    33: _t("GCSweepEnd", "swept_value", "reclaimed_value"),
    34: _t("GCMarkAssistActive", "g"),
    35: _t("GCMarkAssistBegin", "stack"),
    36: _t("GCMarkAssistEnd"),
    37: _t("HeapAlloc", "heapalloc_value"),
    38: _t("HeapGoal", "heapgoal_value"),
    39: _t("GoLabel", "label_string"),
    40: _t("UserTaskBegin", "task", "parent_task", "name_string", "stack"),
    41: _t("UserTaskEnd", "task", "stack"),
    42: _t("UserRegionBegin", "task", "name_string", "stack"),
    43: _t("UserRegionEnd", "task", "name_string", "stack"),
    44: _t("UserLog", "task", "key_string", "value_string", "stack"),
    45: _t("GoSwitch", "g", "g_seq"),
    46: _t("GoSwitchDestroy", "g", "g_seq"),
    47: _t("GoCreateBlocked", "new_g", "new_stack", "stack"),
    48: _t("GoStatusStack", "g", "m", "gstatus", "stack"),
    EV_EXPERIMENTAL_BATCH: Spec("ExperimentalBatch", ("exp", "gen", "m", "time"), has_data=True),
    EV_SYNC: Spec("Sync"),
    EV_CLOCK_SNAPSHOT: _t("ClockSnapshot", "mono", "sec", "nsec"),
    EV_END_OF_GENERATION: Spec("EndOfGeneration"),
    # The alloc/free experiment (GODEBUG=traceallocfree=1): accepted, not interpreted.
    128: _t("Span", "id", "npages_value", "kindclass"),
    129: _t("SpanAlloc", "id", "npages_value", "kindclass"),
    130: _t("SpanFree", "id"),
    131: _t("HeapObject", "id", "type"),
    132: _t("HeapObjectAlloc", "id", "type"),
    133: _t("HeapObjectFree", "id"),
    134: _t("GoroutineStack", "id", "order"),
    135: _t("GoroutineStackAlloc", "id", "order"),
    136: _t("GoroutineStackFree", "id"),
}

BY_NAME: dict[str, int] = {spec.name: typ for typ, spec in SPECS.items()}

# The last event type each format version defines (the text reader only knows those names).
LAST_TYPE = {22: 44, 23: EV_EXPERIMENTAL_BATCH, 25: EV_CLOCK_SNAPSHOT, 26: 136}
VERSIONS = tuple(LAST_TYPE)
OLD_VERSIONS = (11, 19, 21)  # the pre-1.22 format, which this reader does not decode

# Number of varint arguments after the type byte of a timed event (dt included); 0 = not a
# timed event. The binary decoder's hot loop indexes this instead of the table above; the
# replay rejects the timed types it has no rule for (a ClockSnapshot inside an M's batch).
TIMED_NARGS: list[int] = [0] * 256
for _typ, _spec in SPECS.items():
    if _spec.timed:
        TIMED_NARGS[_typ] = len(_spec.args)

# Wire status codes.
G_RUNNABLE, G_RUNNING, G_SYSCALL, G_WAITING = 1, 2, 3, 4
P_RUNNING, P_IDLE, P_SYSCALL, P_SYSCALL_ABANDONED = 1, 2, 3, 4
GSTATUS_NAMES = {G_RUNNABLE: "Runnable", G_RUNNING: "Running", G_SYSCALL: "Syscall",
                 G_WAITING: "Waiting"}
PSTATUS_NAMES = {P_RUNNING: "Running", P_IDLE: "Idle", P_SYSCALL: "Syscall",
                 P_SYSCALL_ABANDONED: "SyscallAbandoned"}

MAX_BATCH_SIZE = 64 << 10
MAX_FRAMES_PER_STACK = 128
MAX_STRING_SIZE = 1 << 10
