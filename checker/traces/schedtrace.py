"""`GODEBUG=schedtrace=N,scheddetail=1` logs: periodic scheduler snapshots, coarse checks.

sysmon prints a `SCHED <ms>ms: key=value ...` line, then (with scheddetail) one line per P,
M and G. The fields are read without the scheduler's locks, so a snapshot is approximate:
only what no race can break is checked (times never go back; the P lines are exactly
P0..P<gomaxprocs-1>; counts within their bounds; ids unique; known status codes). Parsing is
lenient: older Go versions print fewer fields, unknown fields are kept, and lines that are
not part of a dump (the program's own stderr) are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gocheck.traces.errors import TraceFormatError
from gocheck.traces.result import Inconsistency

_HEADER = re.compile(r"SCHED (\d+)ms:(.*)")
_ENTITY = re.compile(r"  ([PMG])(\d+): (.*)")
_KEY = re.compile(r"(\w+)=")
_LIST = re.compile(r"(?:(\w+)=)?\[([\d ]*)\]")

G_STATUS = {0: "idle", 1: "runnable", 2: "running", 3: "syscall", 4: "waiting", 5: "moribund",
            6: "dead", 7: "enqueue", 8: "copystack", 9: "preempted", 10: "leaked",
            11: "deadextra"}
P_STATUS = {0: "idle", 1: "running", 2: "syscall", 3: "gcstop", 4: "dead"}
_SCAN_BIT = 0x1000


@dataclass(slots=True)
class Snapshot:
    """One dump: `ms` since the first, header fields, and per-id P, M and G fields."""

    index: int
    line: int
    ms: int
    fields: dict[str, str]
    procs: dict[int, dict[str, str]] = field(default_factory=dict)
    threads: dict[int, dict[str, str]] = field(default_factory=dict)
    goroutines: dict[int, dict[str, str]] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)

    def number(self, key: str) -> int | None:
        value = self.fields.get(key, "")
        return int(value) if value.isdigit() else None


def _pairs(text: str) -> dict[str, str]:
    """`a=1 b=x y c=` -> {a: "1", b: "x y", c: ""} (values may hold spaces)."""
    keys = list(_KEY.finditer(text))
    out = {}
    for i, k in enumerate(keys):
        end = keys[i + 1].start() if i + 1 < len(keys) else len(text)
        out[k.group(1)] = text[k.end():end].strip()
    return out


def read_schedtrace(text: str) -> list[Snapshot]:
    """All dumps in a log (raises `TraceFormatError` if there is none)."""
    snaps: list[Snapshot] = []
    for n, line in enumerate(text.splitlines(), 1):
        head = _HEADER.match(line)
        if head:
            rest = head.group(2)
            fields = _pairs(_LIST.sub("", rest))
            for lst in _LIST.finditer(rest):
                fields[lst.group(1) or "runqsizes"] = lst.group(2).strip()
            snaps.append(Snapshot(len(snaps), n, int(head.group(1)), fields))
            continue
        ent = _ENTITY.match(line)
        if ent and snaps:
            kind, ident, values = ent.group(1), int(ent.group(2)), _pairs(ent.group(3))
            table = {"P": snaps[-1].procs, "M": snaps[-1].threads,
                     "G": snaps[-1].goroutines}[kind]
            if ident in table:
                snaps[-1].duplicates.append(f"{kind}{ident}")
            table[ident] = values
    if not snaps:
        raise TraceFormatError("line 1", "no 'SCHED <n>ms:' line: not a schedtrace log")
    return snaps


def g_status(fields: dict[str, str]) -> int | None:
    """The status code of a G line (`status=4(chan receive)` -> 4), scan bit removed."""
    m = re.match(r"(\d+)", fields.get("status", ""))
    return int(m.group(1)) & ~_SCAN_BIT if m else None


def check_snapshots(snaps: list[Snapshot]) -> Inconsistency | None:
    """The first snapshot that breaks a race-proof rule, or None."""
    last_ms = -1
    for s in snaps:
        problem = _check_one(s, last_ms, s is snaps[-1])
        if problem is not None:
            rule, message = problem
            return Inconsistency(s.index, s.ms * 1_000_000, rule,
                                 f"SCHED {s.ms}ms (line {s.line}): {message}")
        last_ms = s.ms
    return None


def _check_one(s: Snapshot, last_ms: int, last: bool) -> tuple[str, str] | None:
    if s.ms < last_ms:
        return "sched-time", f"time goes back from {last_ms}ms"
    # The program's exit can cut the last dump short (sysmon prints while main returns):
    # then it ends before its M and G lines, maybe inside its P lines or its header.
    cut = last and not s.threads and not s.goroutines
    procs = s.number("gomaxprocs")
    if procs is None or procs < 1:
        return None if cut and not s.procs else ("sched-header", "no valid gomaxprocs field")
    for key, bound in (("idleprocs", "gomaxprocs"), ("spinningthreads", "threads"),
                       ("idlethreads", "threads")):
        value, limit = s.number(key), s.number(bound)
        if value is not None and limit is not None and value > limit:
            return "sched-counts", f"{key}={value} exceeds {bound}={limit}"
    if s.duplicates:
        return "sched-ids", f"{s.duplicates[0]} listed twice"
    listed = sorted(s.procs)
    if listed and listed != list(range(procs)) and not (
            cut and listed == list(range(len(listed))) and len(listed) < procs):
        return "sched-procs", f"P lines {listed} do not match gomaxprocs={procs}"
    for pid, fields in sorted(s.procs.items()):
        status = fields.get("status", "")
        if status.isdigit() and int(status) not in P_STATUS:
            return "sched-status", f"P{pid} has unknown status {status}"
    for gid, fields in sorted(s.goroutines.items()):
        status = g_status(fields)
        if status is not None and status not in G_STATUS:
            return "sched-status", f"G{gid} has unknown status {fields.get('status')}"
    return None
