"""Find out what a trace file is, from its content, and read it.

Formats: "go" (the binary `go 1.NN trace` header), "wire" (Go's raw text, `Trace Go1.NN`,
or one of Go's txtar test cases), "schedtrace" (`SCHED <n>ms:` lines), "jsonl" (canonical
events, one JSON object per line). An explicit format overrides the detection.
"""

from __future__ import annotations

from pathlib import Path

from gocheck.errors import InputError
from gocheck.traces.errors import TraceFormatError, at_byte
from gocheck.traces.event import Event
from gocheck.traces.gobinary import BinaryTrace
from gocheck.traces.jsonl import read_jsonl
from gocheck.traces.schedtrace import Snapshot, read_schedtrace
from gocheck.traces.wire import Expectation, read_wire, split_test_case

FORMATS = ("go", "wire", "schedtrace", "jsonl")

Source = BinaryTrace | list[Event] | list[Snapshot]


def read_bytes(path: str | Path) -> bytes:
    """The file's bytes; a missing or unreadable file is an `InputError`."""
    try:
        return Path(path).read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a trace") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from None


def detect(data: bytes) -> str:
    """The format of `data`, judged from its first bytes and lines."""
    if not data:
        raise at_byte(0, "empty file: no trace header")
    if data.startswith(b"go 1."):
        return "go"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise at_byte(0, f"not a trace: wrong magic {data[:8]!r} (a Go trace starts with"
                      f" 'go 1.'), and not text either (byte {err.start} is not UTF-8)"
                      ) from None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("{"):
            return "jsonl"
        if stripped.startswith(("Trace Go1.", "-- expect --", "-- trace --")):
            return "wire"
        break
    if "SCHED " in text and any(line.startswith("SCHED ") for line in text.splitlines()):
        return "schedtrace"
    raise TraceFormatError("line 1", "unrecognised trace format (not a Go trace, wire text,"
                           " schedtrace log or canonical JSONL); use --format to say which")


def _text(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise at_byte(err.start, f"neither {what}: byte 0x{data[err.start]:02x} is not"
                      " UTF-8") from None


def read_source(data: bytes, fmt: str) -> tuple[Source, Expectation | None]:
    """Parse `data` as `fmt`; a Go test case also gives its expected verdict."""
    if fmt == "go":
        return BinaryTrace(data), None
    if fmt not in FORMATS:
        raise InputError(f"unknown trace format {fmt!r} (choose from {', '.join(FORMATS)})")
    text = _text(data, f"a {fmt} trace")
    if fmt == "wire":
        expectation, body, first = split_test_case(text)
        return read_wire(body, first), expectation
    if fmt == "jsonl":
        return read_jsonl(text), None
    return read_schedtrace(text), None
