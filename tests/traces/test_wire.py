"""Go's raw text form and Go's own accept/reject test cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from trace_paths import go_test_cases

from gocheck.traces.errors import TraceFormatError
from gocheck.traces.replay import replay_binary
from gocheck.traces.wire import Expectation, go_unquote, read_wire, split_test_case

MINIMAL = """\
Trace Go1.22
EventBatch gen=1 m=0 time=0 size=9
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=0 gstatus=2
EventBatch gen=1 m=18446744073709551615 time=0 size=5
Frequency freq=15625000
EventBatch gen=1 m=18446744073709551615 time=0 size=1
Stacks
EventBatch gen=1 m=18446744073709551615 time=0 size=10
Strings
String id=1
\tdata="hello\\x00"
"""


def _verdict(text: str, first_line: int = 1) -> str | None:
    replay = replay_binary(read_wire(text, first_line))
    for _ in replay:
        pass
    return None if replay.error is None else replay.error.message


@pytest.mark.parametrize("case", go_test_cases())
def test_go_test_case_verdicts_agree_with_go(case: Path) -> None:
    """Each of Go's cases is accepted or rejected as its `-- expect --` part says, and a
    rejection's message matches Go's expected-error pattern."""
    expectation, text, first = split_test_case(case.read_text())
    assert expectation is not None
    try:
        outcome = _verdict(text, first)
    except TraceFormatError as err:
        outcome = str(err)
    assert expectation.matches(outcome), outcome


def test_minimal_wire_trace_is_consistent() -> None:
    assert _verdict(MINIMAL) is None


@pytest.mark.parametrize(("text", "line", "words"), [
    ("", 1, "empty wire trace"),
    ("Trace Go1.99\n", 1, "unsupported Go version"),
    ("Nonsense\n", 1, "expected a header"),
    ("Trace Go1.22\nBogus dt=1\n", 2, "unidentified event: Bogus"),
    ("Trace Go1.22\n# comment\nGoStart dt=1 g=2\n", 3, "expected arguments"),
    ("Trace Go1.22\nGoStart dt=1 x=2 g_seq=1\n", 2, "expected argument 'g'"),
    ("Trace Go1.22\nGoStart dt=1 g=-2 g_seq=1\n", 2, "failed to parse argument"),
    ("Trace Go1.22\nString id=1\n", 2, "needs a data line"),
    ("Trace Go1.22\nString id=1\n  data=hello\n", 3, "failed to parse data"),
    ("Trace Go1.22\nStack id=1 nframes=2\n  pc=1 func=2 file=3 line=4\n", 2,
     "inside a stack"),
    ("Trace Go1.22\nGoSwitch dt=1 g=2 g_seq=1\n", 2, "unidentified event: GoSwitch"),
])
def test_wire_errors_name_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(TraceFormatError) as info:
        read_wire(text)
    assert str(info.value).startswith(f"line {line}:")
    assert words in str(info.value)


def test_binary_errors_in_wire_text_are_mapped_to_lines() -> None:
    text = ("Trace Go1.22\nEventBatch gen=1 m=0 time=0 size=200\n"
            "GoStop dt=1 reason_string=0 stack=0\n")
    with pytest.raises(TraceFormatError) as info:
        _verdict(text)
    assert str(info.value).startswith("line 3:") and "truncated" in str(info.value)


@pytest.mark.parametrize(("quoted", "raw"), [
    ('"hello"', b"hello"), ('"a\\x00b"', b"a\x00b"), ('"\\t\\n\\\\\\""', b'\t\n\\"'),
    ('"\\u00e9"', "é".encode()), ('"\\101"', b"A"), ("`raw\\n`", b"raw\\n"), ('""', b""),
])
def test_go_unquote(quoted: str, raw: bytes) -> None:
    assert go_unquote(quoted) == raw


@pytest.mark.parametrize("bad", ['"abc', "abc", '"\\q"', '"\\x4"', '"a"b"', '"\\400"'])
def test_go_unquote_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        go_unquote(bad)


def test_split_test_case() -> None:
    text = '-- expect --\nFAILURE ".*no proc.*"\n-- trace --\n' + MINIMAL
    expectation, body, first = split_test_case(text)
    assert expectation == Expectation(False, ".*no proc.*")
    assert body == MINIMAL and first == 4
    assert expectation.matches("GoStart: no proc here") and not expectation.matches(None)
    assert split_test_case(MINIMAL) == (None, MINIMAL, 1)
    assert Expectation(True).matches(None) and not Expectation(True).matches("x")


GO126 = """\
Trace Go1.26
EventBatch gen=1 m=0 time=0 size=9
ProcStatus dt=1 p=0 pstatus=1
SpanAlloc dt=1 id=5 npages_value=2 kindclass=3
EventBatch gen=1 m=18446744073709551615 time=0 size=11
Sync
Frequency freq=15625000
ClockSnapshot dt=1 mono=1 sec=1 nsec=1
EndOfGeneration
"""


def test_go126_wire_with_an_experimental_event() -> None:
    """Go 1.26 framing (sync batch, end-of-generation marker) and an alloc/free event, whose
    type byte (129) sends the batch through the exact decoder."""
    replay = replay_binary(read_wire(GO126))
    events = list(replay)
    assert replay.error is None
    assert [e.kind for e in events] == ["Sync", "ProcStatus", "Experimental", "Sync"]
    assert events[2].args == {"name": "SpanAlloc", "id": 5, "npages_value": 2, "kindclass": 3}
    assert events[0].args["mono"] == 1 and events[1].time == 64


def test_go126_missing_end_marker_is_truncation() -> None:
    text = GO126.replace("EndOfGeneration\n", "")
    with pytest.raises(TraceFormatError, match="no end marker"):
        _verdict(text)
