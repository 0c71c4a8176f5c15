"""`gocheck trace`: exit codes, the JSON document, and golden text output."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from trace_mutations import delete_event, locate_events, must_break
from trace_paths import REPO, SAMPLES

from gocheck.cli import main

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("GOCHECK_REGEN_GOLDEN") == "1"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["trace", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # golden output names files relative to the repository


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """a_forkjoin without its first must-break GoStart."""
    buf = (SAMPLES / "a_forkjoin.trace").read_bytes()
    path = tmp_path / "broken.trace"
    path.write_bytes(delete_event(buf, must_break(locate_events(buf), "GoStart")[0]))
    return path


def test_valid_trace_exits_0_with_a_json_document() -> None:
    code, out, _ = run("--json", "traces/go/c_syscalls.trace")
    assert code == 0
    doc = json.loads(out)
    assert list(doc) == ["file", "format", "verdict", "events", "goroutines", "error", "checks"]
    assert doc == {"file": "traces/go/c_syscalls.trace", "format": "go", "verdict": "valid",
                   "events": 1374, "goroutines": doc["goroutines"], "error": None,
                   "checks": []}


def test_inconsistent_trace_exits_1_naming_event_time_and_rule(broken: Path) -> None:
    code, out, _ = run("--json", str(broken))
    assert code == 1
    doc = json.loads(out)
    assert doc["verdict"] == "invalid"
    assert set(doc["error"]) == {"event", "time", "rule", "message"}
    assert doc["error"]["rule"] == "goroutine-required"
    assert isinstance(doc["error"]["event"], int) and isinstance(doc["error"]["time"], int)


@pytest.mark.parametrize(("content", "words"), [
    (b"", "byte 0: empty file"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "byte 0: not a trace: wrong magic"),
    (b"go 1.26 trace\0\0\0\x01\x01\xff", "byte 19: truncated varint"),
    (b"go 1.26 trace\0\0\0\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", "byte 17: bad varint"),
])
def test_unreadable_input_exits_2_with_an_offset(tmp_path: Path, content: bytes,
                                                 words: str) -> None:
    path = tmp_path / "bad.trace"
    path.write_bytes(content)
    code, out, err = run(str(path))
    assert code == 2 and out == ""
    assert words in err and "Traceback" not in err


def test_half_a_trace_exits_2_with_an_offset(tmp_path: Path) -> None:
    buf = (SAMPLES / "c_syscalls.trace").read_bytes()
    path = tmp_path / "half.trace"
    path.write_bytes(buf[: len(buf) // 2])
    code, _, err = run(str(path))
    assert code == 2 and "byte " in err and "truncated" in err


def test_missing_file_and_bad_format_option(tmp_path: Path) -> None:
    assert run(str(tmp_path / "nope.trace"))[0] == 2
    assert run("--format", "pcap", "traces/go/a_forkjoin.trace")[0] == 2


def test_format_override() -> None:
    code, _, err = run("--format", "jsonl", "traces/go/a_forkjoin.sched.log")
    assert code == 2 and "line 1: not JSON" in err


GOLDEN_CASES = {
    "a_forkjoin.txt": ["traces/go/a_forkjoin.trace"],
    "g_preempt_p1.sched.txt": ["traces/go/g_preempt_p1.sched.log"],
    "broken.txt": ["BROKEN"],
}


@pytest.mark.parametrize("golden", sorted(GOLDEN_CASES))
def test_golden_text_output(golden: str, broken: Path) -> None:
    args = [str(broken) if a == "BROKEN" else a for a in GOLDEN_CASES[golden]]
    _, out, _ = run(*args)
    out = out.replace(str(broken), "broken.trace")
    path = GOLDEN / golden
    if REGEN:
        path.write_text(out)
    assert out == path.read_text()


def test_every_golden_file_is_used() -> None:
    files = sorted(p.name for p in GOLDEN.glob("*.txt"))
    assert files, "no golden files found"
    assert files == sorted(GOLDEN_CASES)


def test_checks_in_json_and_exit_code() -> None:
    code, out, _ = run("--json", "--check", "fork_join", "--check", "preemption=1s",
                       "traces/go/b_earlyexit.trace")
    assert code == 1  # consistent, but main returned without joining its goroutines
    doc = json.loads(out)
    assert doc["verdict"] == "valid"
    fork, preempt = doc["checks"]
    assert fork["name"] == "fork_join" and fork["verdict"] == "violated"
    assert set(fork["worst"]) == {"start", "length", "resources"}
    assert preempt == {**preempt, "name": "preemption", "threshold_ns": 10**9,
                       "verdict": "holds"}


def test_bad_check_is_a_usage_error() -> None:
    code, _, err = run("--check", "speed=1ms", "traces/go/a_forkjoin.trace")
    assert code == 2 and "unknown property" in err
