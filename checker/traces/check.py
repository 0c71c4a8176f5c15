"""Check one trace file end to end: read, replay once, summarise, and feed the same events
to the properties and to the conformance check. Returns data; prints nothing."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from gocheck.errors import InputError
from gocheck.model.program import Program
from gocheck.traces.conformance import Conformance, Conformer
from gocheck.traces.errors import TraceFormatError
from gocheck.traces.event import Event
from gocheck.traces.gobinary import BinaryTrace
from gocheck.traces.load import detect, read_bytes, read_source
from gocheck.traces.properties import PropertyResult, check_properties
from gocheck.traces.replay import replay_binary, replay_events
from gocheck.traces.result import Inconsistency
from gocheck.traces.schedtrace import Snapshot, check_snapshots, g_status
from gocheck.traces.summary import Summary, summarize
from gocheck.traces.wire import Expectation


@dataclass(slots=True)
class TraceReport:
    """The outcome for one file: its format, what it holds, the first inconsistency."""

    file: str
    format: str
    summary: Summary
    error: Inconsistency | None = None
    expectation: Expectation | None = None  # set for Go's txtar test cases
    checks: list[PropertyResult] = field(default_factory=list)
    conformance: Conformance | None = None  # with a spec, for a consistent trace

    @property
    def valid(self) -> bool:
        return self.error is None

    @property
    def holds(self) -> bool:
        """Consistent, and every requested property holds."""
        return self.valid and all(c.holds for c in self.checks) and (
            self.conformance is None or self.conformance.holds)


def check_file(path: str | Path, fmt: str | None = None,
               checks: Sequence[tuple[str, int | None]] = (),
               prog: Program | None = None) -> TraceReport:
    """Read and check a trace, and with `prog` its conformance to that spec; unreadable
    input raises `InputError` (a `TraceFormatError` with the file, and a byte offset or
    line, when the content is at fault). A spec none of whose functions the trace's
    goroutines run is bad input too: nothing to check, most likely the wrong spec."""
    try:
        report = _check(path, fmt, list(checks), prog)
    except TraceFormatError as err:
        raise TraceFormatError(f"{path}: {err.where}", err.detail, err.offset) from None
    if prog is not None and report.conformance is not None and not report.conformance.checked:
        names = ", ".join(f.name for f in prog.functions)
        raise InputError(f"{path}: no goroutine of the trace runs a function of the spec"
                         f" ({names}): nothing to check")
    return report


def _check(path: str | Path, fmt: str | None, checks: list[tuple[str, int | None]],
           prog: Program | None) -> TraceReport:
    data = read_bytes(path)
    fmt = fmt or detect(data)
    source, expectation = read_source(data, fmt)
    if isinstance(source, BinaryTrace):
        replay = replay_binary(source)
    elif source and isinstance(source[0], Snapshot):
        if prog is not None:
            raise InputError(f"{path}: conformance needs an execution trace (go, wire or"
                             " jsonl format), not a schedtrace log")
        if checks:
            raise InputError("properties need an execution trace (go, wire or jsonl format);"
                             " a schedtrace log only gets the snapshot checks")
        snaps: list[Snapshot] = source  # type: ignore[assignment]
        return TraceReport(str(path), fmt, _snapshot_summary(snaps), check_snapshots(snaps))
    else:
        replay = replay_events(source)  # type: ignore[arg-type]
    conformer = None if prog is None else Conformer(prog)
    stream: Iterable[Event] = replay if conformer is None else _feeding(replay, conformer)
    with _collector_paused():
        if not checks:
            report = TraceReport(str(path), fmt, summarize(stream), replay.error, expectation)
        else:
            events = list(stream)
            report = TraceReport(str(path), fmt, summarize(events), replay.error, expectation)
            if report.valid:  # properties of an inconsistent trace would mean nothing
                report.checks = check_properties(events, checks)
        if report.valid and conformer is not None:
            report.conformance = conformer.result()
    return report


def _feeding(events: Iterable[Event], conformer: Conformer) -> Iterator[Event]:
    """The events, each handed to `conformer` on the way: one replay serves both."""
    feed = conformer.feed
    for e in events:
        feed(e)
        yield e


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector during a replay: the replay creates millions of
    acyclic objects and the collector's rescans of them took a third of the run time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _snapshot_summary(snaps: list[Snapshot]) -> Summary:
    """Counts for a schedtrace log: snapshots as events, ms as ns, and per P the share of
    snapshots in which it was running (status 1) as its utilisation."""
    gids = {gid for s in snaps for gid, f in s.goroutines.items() if g_status(f) != 6}
    pids = sorted({pid for s in snaps for pid in s.procs})
    n = len(snaps)
    span = (snaps[-1].ms - snaps[0].ms) * 1_000_000
    running = {p: sum(1 for s in snaps if s.procs.get(p, {}).get("status") == "1") for p in pids}
    return Summary(n, len(gids), pids, snaps[0].ms * 1_000_000, snaps[-1].ms * 1_000_000,
                   {p: int(span * running[p] / n) for p in pids})
