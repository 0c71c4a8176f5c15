"""Format detection from content, and the errors for files that are no trace at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from trace_paths import SAMPLES

from gocheck.errors import InputError
from gocheck.traces.errors import TraceFormatError
from gocheck.traces.load import detect, read_bytes, read_source


@pytest.mark.parametrize(("data", "fmt"), [
    (b"go 1.26 trace\0\0\0", "go"),
    (b"Trace Go1.22\n", "wire"),
    (b"# comment\n\nTrace Go1.23\n", "wire"),
    (b"-- expect --\nSUCCESS\n-- trace --\nTrace Go1.22\n", "wire"),
    (b'{"time": 0, "kind": "Sync"}\n', "jsonl"),
    (b"program says hi\nSCHED 0ms: gomaxprocs=1\n", "schedtrace"),
])
def test_detect(data: bytes, fmt: str) -> None:
    assert detect(data) == fmt


def test_samples_are_detected() -> None:
    assert detect((SAMPLES / "a_forkjoin.trace").read_bytes()) == "go"
    assert detect((SAMPLES / "a_forkjoin.sched.log").read_bytes()) == "schedtrace"


@pytest.mark.parametrize(("data", "where"), [
    (b"", "byte 0"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "byte 0"),
    (b"hello world\n", "line 1"),
])
def test_unrecognised_input(data: bytes, where: str) -> None:
    with pytest.raises(TraceFormatError) as info:
        detect(data)
    assert info.value.where == where


def test_format_override_and_unknown_format() -> None:
    source, expectation = read_source(b"Trace Go1.22\n", "wire")
    assert expectation is None and source.version == 22  # type: ignore[union-attr]
    with pytest.raises(InputError, match="unknown trace format"):
        read_source(b"", "pcap")
    with pytest.raises(TraceFormatError, match="not UTF-8"):
        read_source(b"\xff\xfe", "jsonl")


def test_unreadable_paths(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_bytes(tmp_path / "missing.trace")
    with pytest.raises(InputError, match="is a directory"):
        read_bytes(tmp_path)
