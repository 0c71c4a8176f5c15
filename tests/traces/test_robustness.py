"""Bad input never gives a traceback: damaged traces end in a verdict or a format error."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from trace_paths import SAMPLES

from gocheck.errors import InputError
from gocheck.traces.check import check_file
from gocheck.traces.errors import TraceFormatError
from gocheck.traces.gobinary import BinaryTrace
from gocheck.traces.replay import replay_binary

SMALL = (SAMPLES / "b_earlyexit.trace").read_bytes()

_edits = st.lists(st.tuples(st.integers(16, len(SMALL) - 1), st.integers(0, 255),
                            st.sampled_from(("set", "delete", "insert"))), min_size=1,
                  max_size=4)


@settings(max_examples=300)
@given(_edits)
def test_damaged_binary_trace(edits: list[tuple[int, int, str]]) -> None:
    buf = bytearray(SMALL)
    for pos, byte, op in edits:
        pos = min(pos, len(buf) - 1)
        if op == "set":
            buf[pos] = byte
        elif op == "delete":
            del buf[pos]
        else:
            buf.insert(pos, byte)
    replay = replay_binary(BinaryTrace(bytes(buf)))
    try:
        for _ in replay:
            pass
    except TraceFormatError as err:
        assert err.offset is not None and 0 <= err.offset <= len(buf)
        return
    assert replay.error is None or replay.error.rule


@settings(max_examples=200)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_file_gets_a_verdict_or_an_input_error(
        tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path: Path = tmp_path_factory.mktemp("any") / "input"
    path.write_bytes(data)
    with contextlib.suppress(InputError):
        check_file(path)
