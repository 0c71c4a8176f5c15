"""Counts and utilisation over a canonical stream."""

from __future__ import annotations

from trace_paths import SAMPLES

from gocheck.traces.check import check_file
from gocheck.traces.event import Event
from gocheck.traces.summary import summarize


def _e(time: int, kind: str, target: int, old: str, new: str, p: int | None = 0) -> Event:
    return Event(0, time, kind, 1, p, None, "goroutine", target, old, new)


def test_busy_time_counts_running_intervals_per_p() -> None:
    events = [_e(0, "GoStart", 1, "Runnable", "Running"),
              _e(40, "GoSyscallBegin", 1, "Running", "Syscall"),
              _e(60, "GoSyscallEnd", 1, "Syscall", "Running"),
              _e(100, "GoStatus", 1, "Running", "Running"),  # a generation boundary
              _e(80, "GoStart", 2, "Runnable", "Running", p=1),
              _e(200, "GoStop", 1, "Running", "Runnable")]
    s = summarize(events)
    assert (s.events, s.goroutines, s.procs, s.duration) == (6, 2, [0, 1], 200)
    assert s.busy == {0: 40 + 140, 1: 120}  # G2 still runs at the end of the trace
    assert s.utilisation() == {0: 0.9, 1: 0.6}


def test_empty_span() -> None:
    s = summarize([Event(0, 5, "Sync")])
    assert s.duration == 0 and s.utilisation() == {}


def test_sample_summary() -> None:
    report = check_file(SAMPLES / "a_forkjoin.trace")
    s = report.summary
    assert report.valid and s.events == 91 and s.procs == [0, 1]
    assert all(0.9 < u <= 1.0 for u in s.utilisation().values())  # 8 CPU-bound workers
