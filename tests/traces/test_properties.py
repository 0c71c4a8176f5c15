"""Scheduler properties over a timeline: windows, thresholds, system goroutines ignored."""

from __future__ import annotations

import pytest
from trace_paths import SAMPLES

from gocheck.errors import InputError
from gocheck.traces.check import check_file
from gocheck.traces.event import Event
from gocheck.traces.properties import (
    Window,
    check_properties,
    parse_check,
    system_goroutines,
)

MS = 1_000_000


def g(t: int, kind: str, gid: int, old: str, new: str, p: int | None = 0, m: int = 1,
      cur: int | None = None, **args: object) -> Event:
    return Event(0, t * MS, kind, m, p, cur, "goroutine", gid, old, new, (), args)


def proc(t: int, kind: str, pid: int, m: int = 1) -> Event:
    return Event(0, t * MS, kind, m, None, None, "proc", pid, "Running", "Idle")


# Two Ps. G1 (main) runs on P0 from 0 to 50 ms and forks G2 at 1 ms; G2 waits, runnable,
# from 1 to 31 ms while P1 idles; then runs on P1 until 41 ms. G3 (a runtime goroutine)
# is runnable from 2 ms and never runs: it must not count as work. G1 enters a syscall at
# 50 ms, holding P0 while G4 (forked at 49 ms) is runnable until P0 is stolen at 58 ms.
STREAM = [
    Event(0, 0, "ProcsChange", 1, 0, 1, args={"procs_value": 2}),
    g(0, "GoStatus", 1, "Undetermined", "Running", status="Running"),
    g(1, "GoCreate", 2, "NotExist", "Runnable", cur=1, new_stack=("main.main.func1",)),
    g(2, "GoCreate", 3, "NotExist", "Runnable", cur=1, new_stack=("runtime.bgsweep",)),
    g(31, "GoStart", 2, "Runnable", "Running", p=1, m=2),
    g(41, "GoDestroy", 2, "Running", "NotExist", p=1, m=2, cur=2),
    g(49, "GoCreate", 4, "NotExist", "Runnable", cur=1, new_stack=("main.main.func2",)),
    g(50, "GoSyscallBegin", 1, "Running", "Syscall", cur=1),
    proc(58, "ProcSteal", 0, m=2),
    g(59, "GoStart", 4, "Runnable", "Running", p=0, m=2),
    g(60, "GoSyscallEndBlocked", 1, "Syscall", "Runnable", p=None, cur=1),
    g(61, "GoBlock", 4, "Running", "Waiting", p=0, m=2, cur=4),
]


def results(**checks: int | None) -> dict:
    return {r.name: r for r in check_properties(STREAM, list(checks.items()))}


def test_system_goroutines_are_recognised_by_outermost_frame() -> None:
    assert system_goroutines(STREAM) == {3}


def test_work_conserving_window() -> None:
    r = results(work_conserving=10 * MS)["work_conserving"]
    assert not r.holds and r.worst == Window(1 * MS, 30 * MS, ("P1", "G2"))
    assert results(work_conserving=30 * MS)["work_conserving"].holds


def test_syscall_handoff_window() -> None:
    r = results(syscall_handoff=5 * MS)["syscall_handoff"]
    assert not r.holds and r.worst == Window(50 * MS, 8 * MS, ("P0", "G1"))


def test_preemption_window_ignores_system_goroutines() -> None:
    r = results(preemption=45 * MS)["preemption"]
    assert not r.holds and r.worst == Window(0, 50 * MS, ("G1", "P0"))
    assert results(preemption=50 * MS)["preemption"].holds


def test_fork_join() -> None:
    r = results(fork_join=None)["fork_join"]
    assert not r.holds and r.worst == Window(49 * MS, 12 * MS, ("G4",))


def test_fork_join_on_samples() -> None:
    checks = [parse_check("fork_join")]
    assert check_file(SAMPLES / "a_forkjoin.trace", checks=checks).holds
    early = check_file(SAMPLES / "b_earlyexit.trace", checks=checks)
    assert early.valid and not early.holds
    assert early.checks[0].worst is not None and len(early.checks[0].worst.resources) >= 4


@pytest.mark.parametrize(("text", "parsed"), [
    ("preemption", ("preemption", 30 * MS)), ("work_conserving=2ms", ("work_conserving", 2 * MS)),
    ("syscall_handoff=500us", ("syscall_handoff", 500_000)), ("preemption=1.5s", ("preemption",
                                                                                  1_500_000_000)),
    ("preemption=42", ("preemption", 42)), ("fork_join", ("fork_join", None)),
])
def test_parse_check(text: str, parsed: tuple) -> None:
    assert parse_check(text) == parsed


@pytest.mark.parametrize("bad", ["latency=1ms", "preemption=fast", "fork_join=1ms"])
def test_parse_check_rejects(bad: str) -> None:
    with pytest.raises(InputError):
        parse_check(bad)


def test_properties_need_an_execution_trace() -> None:
    with pytest.raises(InputError, match="schedtrace"):
        check_file(SAMPLES / "a_forkjoin.sched.log", checks=[("preemption", MS)])
