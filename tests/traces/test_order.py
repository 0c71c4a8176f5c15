"""The scheduler rules, one broken stream each: the catalogue of inconsistencies.

Streams are canonical JSONL as a simulator would write them (no sequence numbers unless a
case is about them), replayed in order; each must stop at the expected event with the
expected rule.
"""

from __future__ import annotations

import json

import pytest

from gocheck.traces.jsonl import read_jsonl
from gocheck.traces.replay import replay_events
from gocheck.traces.result import Inconsistency


def g(kind: str, m: int | None, target: int | None = None, **args: object) -> dict:
    line: dict = {"kind": kind, "m": m}
    if target is not None:
        line.update(resource="goroutine", target=target)
    if args:
        line["args"] = args
    return line


def p(kind: str, m: int | None, target: int | None = None, **args: object) -> dict:
    line = g(kind, m, None, **args)
    if target is not None:
        line.update(resource="proc", target=target)
    return line


# M1 holds P0 and runs G1; P1 is idle; G1 has created G5 (runnable).
PRELUDE = [
    {"kind": "Sync", "args": {"n": 1}},
    p("ProcStatus", 1, 0, status="Running"),
    p("ProcStatus", 2, 1, status="Idle"),
    g("GoStatus", 1, 1, status="Running", thread=1),
    g("GoCreate", 1, 5),
]
START = len(PRELUDE)


def check(lines: list[dict]) -> Inconsistency | None:
    text = "".join(json.dumps({"time": 10 * i, **line}) + "\n" for i, line in enumerate(lines))
    replay = replay_events(read_jsonl(text))
    for _ in replay:
        pass
    return replay.error


CATALOGUE = {
    "goroutine started on two Ps": (
        [p("ProcStart", 2, 1), g("GoStart", 2, 5), g("GoStop", 1, 1), g("GoStart", 1, 5)],
        3, "goroutine-not-runnable", "G5 is Running"),
    "P stolen while running (not in a syscall)": (
        [p("ProcSteal", 2, 0, victim=1)], 0, "proc-not-in-syscall", "P0 is Running"),
    "syscall end without a begin": (
        [g("GoSyscallEnd", 1, 1)], 0, "goroutine-state", "not Syscall"),
    "blocked syscall end before its P was taken": (
        [g("GoSyscallBegin", 1, 1), g("GoSyscallEndBlocked", 1, 1)], 1,
        "syscall-end-before-steal", "still in its syscall"),
    "start without a P": (
        [g("GoStart", 3, 5)], 0, "proc-required", "expected a proc"),
    "start on a thread already running a goroutine": (
        [g("GoStart", 1, 5)], 0, "goroutine-forbidden", "expected no goroutine"),
    "goroutine created twice": (
        [g("GoCreate", 1, 5)], 0, "goroutine-exists", "already exists"),
    "second P on one thread": (
        [p("ProcStart", 1, 1)], 0, "proc-held", "M1 still holds P0"),
    "unblock of a goroutine that is not waiting": (
        [g("GoUnblock", 1, 5)], 0, "goroutine-not-waiting", "G5 is Runnable"),
    "sequence number skipped": (
        [p("ProcStart", 2, 1), g("GoStart", 2, 5, g_seq=2)], 1, "seq", "seq 1"),
    "stop of a goroutine the thread does not run": (
        [g("GoStop", 1, 7)], 0, "goroutine-mismatch", "M1, which runs G1"),
    "status contradicting the replayed state": (
        [g("GoStatus", 1, 5, status="Waiting", thread=1)], 0, "goroutine-status",
        "old Runnable vs. new Waiting"),
    "P stopped by a thread without one": (
        [p("ProcStop", 2)], 0, "proc-unknown", "doesn't exist"),
    "new goroutine announced after the first generation": (
        [{"kind": "Sync", "args": {"n": 2}}, g("GoStatus", None, 9, status="Waiting")], 1,
        "goroutine-status-late", "after the first generation"),
    "GC ended in an undetermined state": (
        [{"kind": "GCEnd", "m": 1, "args": {"gc_seq": 1}}], 0, "gc", "undetermined"),
    "task begun twice": (
        [{"kind": "UserTaskBegin", "m": 1, "args": {"task": 3, "name": "t"}},
         {"kind": "UserTaskBegin", "m": 1, "args": {"task": 3, "name": "t"}}], 1, "task",
        "conflict"),
}


@pytest.mark.parametrize("name", CATALOGUE)
def test_broken_stream_is_caught_at_its_event(name: str) -> None:
    tail, at, rule, words = CATALOGUE[name]
    error = check(PRELUDE + tail)
    assert error is not None, name
    assert (error.event, error.rule) == (START + at, rule), error
    assert words in error.message + " ".join(error.states.values()), error
    assert error.time == 10 * (START + at)


def test_prelude_alone_is_consistent() -> None:
    assert check(PRELUDE) is None


def test_syscall_handoff_story_is_consistent() -> None:
    """G1 enters a syscall, M2 takes P0 away (ProcSteal), G1's syscall ends blocked, and
    G5 then runs on P0 under M2."""
    story = [g("GoSyscallBegin", 1, 1), p("ProcSteal", 2, 0, victim=1),
             g("GoSyscallEndBlocked", 1, 1), p("ProcStart", 2, 0), g("GoStart", 2, 5),
             g("GoBlock", 2, 5, reason="chan receive"), p("ProcStop", 2, 0),
             g("GoUnblock", None, 5), p("ProcStart", 1, 1), g("GoStart", 1, 1),
             g("GoDestroy", 1, 1)]
    assert check(PRELUDE + story) is None


def test_states_of_involved_resources_are_reported() -> None:
    tail, *_ = CATALOGUE["goroutine started on two Ps"]
    error = check(PRELUDE + tail)
    assert error is not None
    assert error.resource == "G5"
    assert error.states["G5"].startswith("Running")
    assert error.states["M1"] == "holds P0, runs G-"
