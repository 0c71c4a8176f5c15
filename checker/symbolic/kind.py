"""What a path of the transition relation is: the step kind and its concrete actors.

Rules return a `Kind` for each path; decode.py turns it, with the concrete states before and
after, into the model's `Step`. The kind names are the step kinds the cross-check covers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    p: int | None = None   # the P the rule is instantiated for
    g: int | None = None   # the G slot
    f: int | None = None   # the G's function and pc
    pc: int | None = None
    m: int | None = None   # the M, where the rule is instantiated for one
    q: int | None = None   # a steal victim
    case: int | None = None  # a select case


RUNNING_KINDS = (
    "preempted", "work", "spin", "enter syscall", "netread", "sleep", "go", "gosched",
    "send", "recv", "range", "close", "lock", "unlock", "wg add", "wg wait",
    "select case", "select default", "select park",
)
SCHEDULE_KINDS = (
    "search global (fairness)", "search runnext", "search local", "search global batch",
    "search nothing found", "search steal", "search spinning nothing",
    "give up global batch", "give up needspinning", "give up release spinning",
    "give up release park", "give up release recheck", "give up recheck while spinning: work",
    "give up recheck while spinning: nothing", "stop after recheck",
    "recheck take", "recheck needspinning", "recheck park",
)
OTHER_KINDS = (
    "syscall tick", "exit syscall kept", "exit syscall idle P", "exit syscall no P",
    "sysmon retake", "sysmon preempt request", "netpoller", "timers",
)
KINDS = RUNNING_KINDS + SCHEDULE_KINDS + OTHER_KINDS
