"""Break real binary traces on purpose: list every event with its byte span, delete one.

Independent of the reader under test except for the varint primitive and the event table,
so a bug in batch handling would show as a disagreement rather than hide itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from gocheck.traces import spec as S
from gocheck.traces.gobinary import uvarint

_SPECIAL = (S.EV_STACKS, S.EV_STRINGS, S.EV_CPU_SAMPLES, S.EV_SYNC, S.EV_FREQUENCY)


@dataclass(frozen=True)
class Located:
    """One event of an M's batch: where its batch header and the event itself lie."""

    gen: int
    m: int
    name: str
    args: tuple[int, ...]  # without dt
    batch_start: int  # offset of the batch's type byte
    data_start: int
    data_end: int
    start: int
    end: int


def locate_events(buf: bytes) -> list[Located]:
    """Every event of every M batch, in file order."""
    out: list[Located] = []
    pos, n = 16, len(buf)
    while pos < n:
        batch_start = pos
        if buf[pos] == S.EV_END_OF_GENERATION:
            pos += 1
            continue
        experimental = buf[pos] == S.EV_EXPERIMENTAL_BATCH
        pos += 2 if experimental else 1
        gen, pos = uvarint(buf, pos, n)
        m, pos = uvarint(buf, pos, n)
        _, pos = uvarint(buf, pos, n)
        size, pos = uvarint(buf, pos, n)
        data_start, data_end = pos, pos + size
        pos = data_end
        if experimental or buf[data_start] in _SPECIAL:
            continue
        p = data_start
        while p < data_end:
            typ, start = buf[p], p
            p += 1
            args = []
            for _ in range(S.TIMED_NARGS[typ]):
                v, p = uvarint(buf, p, data_end)
                args.append(v)
            out.append(Located(gen, m, S.SPECS[typ].name, tuple(args[1:]), batch_start,
                               data_start, data_end, start, p))
    return out


def _put(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def delete_event(buf: bytes, ev: Located) -> bytes:
    """The trace without `ev` (its batch's size field rewritten to match)."""
    header = bytearray(buf[ev.batch_start:ev.data_start])
    pos = 1 + (header[0] == S.EV_EXPERIMENTAL_BATCH)
    fields = []
    for _ in range(4):
        v, pos = uvarint(bytes(header), pos, len(header))
        fields.append(v)
    fields[3] -= ev.end - ev.start
    new_header = bytes(header[:1 + (header[0] == S.EV_EXPERIMENTAL_BATCH)])
    new_header += b"".join(_put(v) for v in fields)
    return (buf[:ev.batch_start] + new_header + buf[ev.data_start:ev.start]
            + buf[ev.end:])


def must_break(events: list[Located], kind: str, limit: int = 3) -> list[Located]:
    """Up to `limit` events of `kind` whose deletion provably makes the trace inconsistent.

    GoStart followed in its batch by GoStop/GoBlock/GoDestroy/GoSyscallBegin: that event
    then finds no goroutine on its thread. ProcStart followed in its batch by a GoStart:
    the GoStart then finds no P. GoSyscallBegin followed by GoSyscallEnd: the end finds a
    Running goroutine. GoCreate of a goroutine started in the same generation, GoUnblock
    whose successor GoStart (seq+1) is in the same generation: that GoStart waits forever.
    """
    follow = {"GoStart": {"GoStop", "GoBlock", "GoDestroy", "GoSyscallBegin"},
              "ProcStart": {"GoStart"}, "GoSyscallBegin": {"GoSyscallEnd"}}
    starts = {(e.gen, e.args[0], e.args[1]) for e in events if e.name == "GoStart"}
    chosen = []
    for i, e in enumerate(events):
        if e.name != kind:
            continue
        if kind in follow:
            nxt = events[i + 1] if i + 1 < len(events) else None
            ok = nxt is not None and nxt.batch_start == e.batch_start and nxt.name in follow[kind]
        elif kind == "GoCreate":
            ok = (e.gen, e.args[0], 1) in starts
        elif kind == "GoUnblock":
            ok = (e.gen, e.args[0], e.args[1] + 1) in starts
        else:
            raise ValueError(kind)
        if ok:
            chosen.append(e)
            if len(chosen) == limit:
                break
    return chosen
