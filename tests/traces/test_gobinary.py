"""The binary reader: headers, batches, varints, and errors that name the byte at fault."""

from __future__ import annotations

import pytest
from trace_paths import SAMPLE_NAMES, SAMPLES

from gocheck.errors import InputError
from gocheck.traces.errors import TraceFormatError
from gocheck.traces.gobinary import DECODE_ERROR, BinaryTrace, read_header, uvarint
from gocheck.traces.replay import replay_binary


def _sample(name: str) -> bytes:
    return (SAMPLES / f"{name}.trace").read_bytes()


def _run(buf: bytes) -> tuple[int, object]:
    replay = replay_binary(BinaryTrace(buf))
    return sum(1 for _ in replay), replay.error


@pytest.mark.parametrize(("data", "offset", "words"), [
    (b"", 0, "not a Go execution trace"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", 0, "not a Go execution trace"),
    (b"go 1.26 tr", 10, "truncated header"),
    (b"go 1.26 trace\0\0X", 0, "bad trace header"),
    (b"go 1.21 trace\0\0\0", 0, "pre-1.22 format"),
    (b"go 1.99 trace\0\0\0", 0, "unknown trace version"),
])
def test_bad_headers_name_byte_offsets(data: bytes, offset: int, words: str) -> None:
    with pytest.raises(TraceFormatError) as info:
        read_header(data)
    assert info.value.offset == offset
    assert words in str(info.value)
    assert isinstance(info.value, InputError)


def test_supported_versions() -> None:
    for v in (22, 23, 25, 26):
        assert read_header(b"go 1.%d trace\0\0\0" % v) == v


@pytest.mark.parametrize(("data", "value", "end"), [
    (b"\x00", 0, 1), (b"\x7f", 127, 1), (b"\x80\x01", 128, 2),
    (b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", (1 << 64) - 1, 10),
])
def test_uvarint(data: bytes, value: int, end: int) -> None:
    assert uvarint(data, 0, len(data)) == (value, end)


@pytest.mark.parametrize(("data", "offset", "words"), [
    (b"\x80\x80", 2, "truncated varint"),
    (b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 0, "overflows"),
])
def test_bad_varints(data: bytes, offset: int, words: str) -> None:
    with pytest.raises(TraceFormatError) as info:
        uvarint(data, 0, len(data))
    assert info.value.offset == offset and words in str(info.value)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_fast_and_exact_decoders_agree(name: str) -> None:
    trace = BinaryTrace(_sample(name))
    for g in trace.generations():
        for m, batches in g.batches.items():
            fast, exact = [], []
            for b in batches:
                assert trace._decode_fast(g, b, fast), f"M{m}: fast decoder refused a batch"
                trace._decode_exact(g, b, exact)
            assert fast == exact


@pytest.mark.parametrize("cut", [17, 100, 1000, 3283])
def test_truncation_is_reported_with_an_offset(cut: int) -> None:
    buf = _sample("a_forkjoin")[:cut]
    with pytest.raises(TraceFormatError) as info:
        _run(buf)
    assert info.value.offset is not None and 16 <= info.value.offset <= cut
    assert "truncated" in str(info.value)


def test_half_a_multi_generation_trace_replays_complete_generations_first() -> None:
    buf = _sample("c_syscalls")
    replay = replay_binary(BinaryTrace(buf[: len(buf) // 2]))
    seen = []
    with pytest.raises(TraceFormatError) as info:
        for event in replay:
            seen.append(event)
    syncs = [e for e in seen if e.kind == "Sync"]
    assert len(syncs) >= 2, "complete generations come before the error"
    assert info.value.offset is not None and info.value.offset <= len(buf) // 2


def test_garbage_event_type_stops_at_its_byte() -> None:
    buf = bytearray(_sample("a_forkjoin"))
    g = next(BinaryTrace(bytes(buf)).generations())
    first_event = next(iter(g.batches.values()))[0].start
    buf[first_event] = 0  # type 0 is no event
    with pytest.raises(TraceFormatError) as info:
        _run(bytes(buf))
    assert info.value.offset == first_event
    assert "cannot appear" in str(info.value)


def test_decode_error_sentinel_is_lazy() -> None:
    """A bad byte in an M's batch is reported when the replay reaches it, like Go does."""
    trace = BinaryTrace(_sample("a_forkjoin"))
    g = next(trace.generations())
    m = next(iter(g.batches))
    events = trace.decode_events(g, m)
    assert events and all(ev[0] != DECODE_ERROR for ev in events)


def test_samples_decode_to_their_event_counts() -> None:
    counts = {"a_forkjoin": 91, "b_earlyexit": 75, "c_syscalls": 1374, "d_netpoll": 5724,
              "g_preempt_p1": 8212}
    for name, count in counts.items():
        assert _run(_sample(name)) == (count, None)
