"""schedtrace/scheddetail logs: lenient parsing, coarse race-proof checks."""

from __future__ import annotations

import pytest
from trace_paths import SAMPLE_NAMES, SAMPLES

from gocheck.traces.errors import TraceFormatError
from gocheck.traces.schedtrace import check_snapshots, g_status, read_schedtrace

DETAIL = "\n".join([
    "program output before tracing",
    "SCHED 0ms: gomaxprocs=2 idleprocs=1 threads=3 spinningthreads=0 needspinning=0"
    " idlethreads=1 runqueue=0 gcwaiting=false nmidlelocked=0 stopwait=0 sysmonwait=false",
    "  P0: status=1 schedtick=1 syscalltick=0 m=0 runqsize=0 gfreecnt=0 timerslen=0",
    "  P1: status=0 schedtick=0 syscalltick=0 m=nil runqsize=0 gfreecnt=0 timerslen=0",
    "  M0: p=0 curg=1 mallocing=0 throwing=0 preemptoff=start trace locks=1 dying=0"
    " spinning=false blocked=false lockedg=nil",
    "  G1: status=2() m=0 lockedm=nil",
    "  G2: status=4100(force gc (idle)) m=nil lockedm=nil",
    "",
])


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_logs_pass(name: str) -> None:
    snaps = read_schedtrace((SAMPLES / f"{name}.sched.log").read_text())
    assert snaps and check_snapshots(snaps) is None


def test_fields_and_lenient_values() -> None:
    (snap,) = read_schedtrace(DETAIL)
    assert snap.ms == 0 and snap.number("gomaxprocs") == 2 and snap.line == 2
    assert snap.threads[0]["preemptoff"] == "start trace"
    assert g_status(snap.goroutines[2]) == 4  # scan bit removed
    assert check_snapshots([snap]) is None


def test_old_format_without_detail_is_accepted() -> None:
    text = ("SCHED 14ms: gomaxprocs=2 idleprocs=0 threads=4 idlethreads=1 runqueue=0 [ 4 5 ]\n"
            "SCHED 25ms: gomaxprocs=2 idleprocs=2 threads=4 runqueue=0 [ 0 0 ] "
            "schedticks=[ 3 5 ]\n")
    snaps = read_schedtrace(text)
    assert [s.ms for s in snaps] == [14, 25]
    assert snaps[0].fields["runqsizes"] == "4 5" and snaps[1].fields["schedticks"] == "3 5"
    assert check_snapshots(snaps) is None


@pytest.mark.parametrize(("edit", "rule"), [
    (lambda t: t + t, None),  # two dumps at the same ms
    (lambda t: t.replace("SCHED 0ms", "SCHED 9ms") + t.split("\n", 1)[1], "sched-time"),
    (lambda t: t.replace("gomaxprocs=2", "gomaxprocs=3"), "sched-procs"),
    (lambda t: t.replace("idleprocs=1", "idleprocs=5"), "sched-counts"),
    (lambda t: t.replace("gomaxprocs=2 ", ""), "sched-header"),
    (lambda t: t + "  G1: status=1() m=nil lockedm=nil\n", "sched-ids"),
    (lambda t: t.replace("G1: status=2()", "G1: status=77()"), "sched-status"),
])
def test_violations(edit, rule: str | None) -> None:  # type: ignore[no-untyped-def]
    error = check_snapshots(read_schedtrace(edit(DETAIL)))
    assert (error.rule if error else None) == rule


def cut_after(text: str, marker: str) -> str:
    return text[:text.index(marker) + len(marker)]


@pytest.mark.parametrize("marker", ["  P0: status=1 sched", "gomaxp", "SCHED 0ms:"])
def test_a_last_dump_cut_short_by_the_exit_is_accepted(marker: str) -> None:
    """sysmon may be printing when the program exits: the last dump ends early."""
    text = DETAIL + cut_after(DETAIL.split("\n", 1)[1], marker)
    snaps = read_schedtrace(text)
    assert len(snaps) == 2 and check_snapshots(snaps) is None
    # the same dump, not the last one, is missing P lines or its header
    error = check_snapshots(read_schedtrace(text + "\n" + DETAIL))
    assert error is not None and error.event == 1
    assert error.rule == ("sched-procs" if marker.startswith("  P0") else "sched-header")


def test_a_log_without_dumps_is_refused() -> None:
    with pytest.raises(TraceFormatError, match="no 'SCHED"):
        read_schedtrace("hello\nworld\n")
