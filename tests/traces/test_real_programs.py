"""Real traces, recorded now from the programs in traces/programs, must validate.

Each program is built once per session with the installed Go toolchain and run offline;
its execution trace and its schedtrace log (same run) are checked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from trace_paths import PROGRAMS

from gocheck.traces.check import check_file
from gocheck.traces.gotool import record
from gocheck.verify import load

RUNS = {
    "forkjoin": ("forkjoin", (), {}),
    "earlyexit": ("earlyexit", (), {}),
    "syscalls": ("syscalls", (), {}),
    "netpoll": ("netpoll", (), {}),
    "channels": ("channels", (), {}),
    "mutex": ("mutex", (), {}),
    "rendezvous": ("rendezvous", (), {}),
    "preempt-p1": ("preempt", (), {"GOMAXPROCS": "1"}),
    "preempt-p2": ("preempt", (), {"GOMAXPROCS": "2"}),
    "many": ("many", ("2", "3000"), {}),
    "syscalls-short-generations": ("syscalls", (), {"GODEBUG": "traceadvanceperiod=2000000"}),
}


@pytest.mark.parametrize("run", sorted(RUNS))
def test_program_trace_and_schedtrace_log_are_consistent(
        run: str, program: Callable[[str], Path], tmp_path: Path) -> None:
    name, args, env = RUNS[run]
    trace = tmp_path / f"{run}.trace"
    godebug = ",".join(filter(None, [env.pop("GODEBUG", ""), "schedtrace=1,scheddetail=1"]))
    proc = record(program(name), trace, *args, GODEBUG=godebug, **env)
    report = check_file(trace)
    assert report.format == "go"
    assert report.valid, report.error
    assert report.summary.events > 20 and report.summary.goroutines >= 3
    if "GOMAXPROCS" in env:
        assert len(report.summary.procs) == int(env["GOMAXPROCS"])
    log = tmp_path / f"{run}.sched.log"
    log.write_text(proc.stderr)
    if "SCHED " in proc.stderr:  # a very short run can end before sysmon's first dump
        sched = check_file(log)
        assert sched.format == "schedtrace" and sched.valid, sched.error


def test_rendezvous_program_conforms_to_its_spec_with_its_channel_waits(
        program: Callable[[str], Path], tmp_path: Path) -> None:
    """A real trace of named goroutines on one unbuffered channel: each goroutine's
    operations match its spec function and the channel waits (both sides park, many times)
    interleave as a send and a receive must."""
    trace = tmp_path / "rendezvous.trace"
    record(program("rendezvous"), trace, GOMAXPROCS="2")
    spec = PROGRAMS / "rendezvous" / "rendezvous.gos"
    report = check_file(trace, prog=load(str(spec))[1].prog)
    assert report.valid, report.error
    result = report.conformance
    assert result is not None and result.holds, result
    assert result.checked == 5 and result.waits >= 100
