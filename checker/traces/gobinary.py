"""Read Go's binary execution-trace format (Go 1.22+: `go 1.22`..`go 1.26 trace`) natively.

The file is a 16-byte header and then, per generation, batches: `EventBatch gen m time size`
followed by `size` bytes of events (one type byte and unsigned LEB128 varints), plus in
Go 1.26+ one `EndOfGeneration` byte. Generations are read one at a time, as Go's reader
does, so a fault late in the file (a truncated last generation) is reported only after the
complete generations before it were replayed, and an earlier inconsistency wins.

Speed matters (traces have millions of events): batches are kept as offsets into the one
input buffer, and each M's events are decoded in one tight loop over the bytes into flat
lists `[type, time_ns, arg...]` only when the replay reaches that generation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from gocheck.traces import spec as S
from gocheck.traces.errors import Broken, TraceFormatError, at_byte

HEADER_LEN = 16
DECODE_ERROR = -1
"""Type of the sentinel event a decoder leaves where a batch stops making sense: the replay
raises its message (a `TraceFormatError`) when the M's cursor reaches it, as Go does."""


def read_header(buf: bytes) -> int:
    """The format version (22..26) from `go 1.NN trace\\0\\0\\0`; anything else is refused."""
    head = bytes(buf[:HEADER_LEN])
    if not head.startswith(b"go 1."):
        raise at_byte(0, "not a Go execution trace (the file does not start with 'go 1.')")
    digits = head[5:].split(b" ", 1)[0]
    if not digits.isdigit() or not head.startswith(b"go 1.%s trace\0\0\0" % digits):
        if len(buf) < HEADER_LEN:
            raise at_byte(len(buf), f"truncated header ({len(buf)} of {HEADER_LEN} bytes)")
        raise at_byte(0, f"bad trace header {head!r}")
    version = int(digits)
    if version in S.OLD_VERSIONS:
        raise at_byte(0, f"go 1.{version} traces use the pre-1.22 format, which is not supported;"
                         " re-record with Go 1.22 or later")
    if version not in S.VERSIONS:
        raise at_byte(0, f"unknown trace version go 1.{version}")
    return version


def uvarint(buf: bytes, pos: int, end: int) -> tuple[int, int]:
    """Decode one unsigned LEB128 varint at `pos` (the value, the next position).

    Go's rules: at most 10 bytes and no bits beyond 64; running into `end` is truncation.
    """
    value = shift = 0
    start = pos
    while True:
        if pos >= end:
            raise at_byte(pos, f"truncated varint (started at byte {start})")
        b = buf[pos]
        pos += 1
        if pos - start == 10 and b > 1:
            raise at_byte(start, "bad varint (overflows 64 bits)")
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7


@dataclass(slots=True)
class Batch:
    """One batch: its thread, base timestamp (ticks) and where its data lies in the buffer."""

    gen: int
    m: int
    time: int
    start: int
    end: int
    experiment: int = 0


@dataclass(slots=True)
class Generation:
    """The structural content of one generation: tables, clock, and per-M event batches."""

    gen: int
    ns_per_tick: float = 0.0
    min_ts: int = 0
    batches: dict[int, list[Batch]] = field(default_factory=dict)
    strings: dict[int, str] = field(default_factory=dict)
    stacks: dict[int, tuple[int, ...]] = field(default_factory=dict)
    frames: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    cpu_samples: list[tuple[int, int, int, int, int]] = field(default_factory=list)
    clock: tuple[int, int, int, int] | None = None  # trace ticks, mono ns, wall sec, nsec
    has_freq: bool = False

    def ns(self, ticks: int) -> int:
        """Ticks to nanoseconds the way Go's reader does (float64 multiply, truncate)."""
        return int(ticks * self.ns_per_tick)


class BinaryTrace:
    """A Go binary trace held in memory; `generations()` yields them lazily, in file order."""

    def __init__(self, buf: bytes):
        self.buf = buf
        self.version = read_header(buf)

    def locate(self, err: TraceFormatError) -> TraceFormatError:
        """The error as the user should see it (the wire-text reader maps bytes to lines)."""
        return err

    def generations(self) -> Iterator[Generation]:
        """Complete generations in order; raises where Go's reader would stop."""
        if self.version >= 26:
            yield from self._generations_with_end_marker()
        else:
            yield from self._generations_with_spill()

    # --- batches -------------------------------------------------------------------------

    def _read_batch(self, pos: int) -> tuple[Batch, int]:
        """The batch at `pos` and the position after it (an end-of-generation marker is a
        Batch with gen 0 and no data)."""
        buf, n = self.buf, len(self.buf)
        typ = buf[pos]
        if typ == S.EV_END_OF_GENERATION:
            return Batch(0, -1, 0, pos, pos + 1, -1), pos + 1
        if typ not in (S.EV_BATCH, S.EV_EXPERIMENTAL_BATCH):
            raise at_byte(pos, f"expected a batch (type 1) but found byte {typ}")
        start = pos
        pos += 1
        exp = 0
        if typ == S.EV_EXPERIMENTAL_BATCH:
            if pos >= n:
                raise at_byte(pos, "truncated batch header")
            exp = buf[pos]
            pos += 1
        gen, pos = uvarint(buf, pos, n)
        m, pos = uvarint(buf, pos, n)
        time, pos = uvarint(buf, pos, n)
        size, pos = uvarint(buf, pos, n)
        if size > S.MAX_BATCH_SIZE:
            raise at_byte(start, f"invalid batch size {size}, maximum is {S.MAX_BATCH_SIZE}")
        if pos + size > n:
            raise at_byte(n, f"truncated batch: the batch at byte {start} declares {size} bytes,"
                             f" {n - pos} present")
        return Batch(gen, m, time, pos, pos + size, exp), pos + size

    def _generations_with_end_marker(self) -> Iterator[Generation]:
        """Go 1.26+: each generation ends with an EndOfGeneration byte."""
        pos, n = HEADER_LEN, len(self.buf)
        while True:
            g: Generation | None = None
            while True:
                if pos >= n:
                    if g is not None and g.batches:
                        raise at_byte(n, "truncated trace: the last generation has no end marker")
                    return
                batch, pos = self._read_batch(pos)
                if g is None:
                    g = Generation(batch.gen)
                if batch.experiment == -1:
                    break
                if batch.gen == 0:
                    raise at_byte(batch.start, "invalid generation number 0")
                if batch.gen != g.gen:
                    raise Broken("generation", f"batch at byte {batch.start} belongs to generation"
                                 f" {batch.gen} inside generation {g.gen}: missing"
                                 " end-of-generation marker, or generations interleaved")
                self._add_batch(g, batch)
            yield self._finish(g)

    def _generations_with_spill(self) -> Iterator[Generation]:
        """Go 1.22-1.25: a generation ends where a batch of the next one starts (or at EOF).

        As in Go, an unreadable batch after some of a generation was read ends that
        generation; it is replayed first and the read error is raised after it.
        """
        pos, n = HEADER_LEN, len(self.buf)
        spill: Batch | None = None
        while spill is not None or pos < n:
            g = Generation(0)
            if spill is not None:
                g.gen = spill.gen
                self._add_batch(g, spill)
                spill = None
            deferred: TraceFormatError | None = None
            while pos < n:
                try:
                    batch, next_pos = self._read_batch(pos)
                except TraceFormatError as err:
                    if g.gen == 0:
                        raise
                    deferred, pos = err, n
                    break
                if batch.gen == 0:
                    raise at_byte(pos, "invalid generation number 0")
                pos = next_pos
                if g.gen == 0:
                    g.gen = batch.gen
                if batch.gen == g.gen + 1:
                    spill = batch
                    break
                if batch.gen != g.gen:
                    raise Broken("generation", f"batch at byte {batch.start} belongs to"
                                 f" generation {batch.gen} inside generation {g.gen}:"
                                 " generations out of order")
                self._add_batch(g, batch)
            yield self._finish(g)
            if deferred is not None:
                raise deferred

    # --- structural batches --------------------------------------------------------------

    def _add_batch(self, g: Generation, b: Batch) -> None:
        """File one batch: tables and clock are decoded now, M batches only recorded."""
        if g.min_ts == 0 or b.time < g.min_ts:
            g.min_ts = b.time
        if b.experiment:
            return  # experimental data (alloc/free experiment): not interpreted
        first = self.buf[b.start] if b.end > b.start else None
        if first == S.EV_STRINGS:
            self._add_strings(g, b)
        elif first == S.EV_STACKS:
            self._add_stacks(g, b)
        elif first == S.EV_CPU_SAMPLES:
            self._add_cpu_samples(g, b)
        elif (first == S.EV_SYNC and self.version >= 25) or (
                first == S.EV_FREQUENCY and self.version < 25):
            self._add_sync(g, b)
        elif first == S.EV_END_OF_GENERATION:
            raise at_byte(b.start, "end-of-generation marker inside a batch")
        else:
            g.batches.setdefault(b.m, []).append(b)

    def _add_strings(self, g: Generation, b: Batch) -> None:
        buf, pos, end = self.buf, b.start + 1, b.end
        while pos < end:
            if buf[pos] != S.EV_STRING:
                raise at_byte(pos, f"expected a string (type 5) in the string table,"
                                   f" got {buf[pos]}")
            sid, pos = uvarint(buf, pos + 1, end)
            size, pos = uvarint(buf, pos, end)
            if size > S.MAX_STRING_SIZE:
                raise at_byte(pos, f"invalid string size {size}, maximum is {S.MAX_STRING_SIZE}")
            if pos + size > end:
                raise at_byte(end, f"truncated string: {end - pos} of {size} bytes")
            if sid in g.strings or sid == 0:
                raise Broken("table", f"string ID {sid} defined twice in generation {g.gen}")
            g.strings[sid] = bytes(buf[pos:pos + size]).decode("utf-8", "replace")
            pos += size

    def _add_stacks(self, g: Generation, b: Batch) -> None:
        buf, pos, end = self.buf, b.start + 1, b.end
        while pos < end:
            if buf[pos] != S.EV_STACK:
                raise at_byte(pos, f"expected a stack (type 3) in the stack table, got {buf[pos]}")
            sid, pos = uvarint(buf, pos + 1, end)
            nframes, pos = uvarint(buf, pos, end)
            if nframes > S.MAX_FRAMES_PER_STACK:
                raise at_byte(pos, f"invalid stack size {nframes}, maximum is"
                                   f" {S.MAX_FRAMES_PER_STACK}")
            pcs = []
            for _ in range(nframes):
                pc, pos = uvarint(buf, pos, end)
                func, pos = uvarint(buf, pos, end)
                file, pos = uvarint(buf, pos, end)
                line, pos = uvarint(buf, pos, end)
                pcs.append(pc)
                g.frames.setdefault(pc, (func, file, line))
            if sid in g.stacks or sid == 0:
                raise Broken("table", f"stack ID {sid} defined twice in generation {g.gen}")
            g.stacks[sid] = tuple(pcs)

    def _add_cpu_samples(self, g: Generation, b: Batch) -> None:
        buf, pos, end = self.buf, b.start + 1, b.end
        while pos < end:
            if buf[pos] != S.EV_CPU_SAMPLE:
                raise at_byte(pos, f"expected a CPU sample (type 7), got {buf[pos]}")
            pos += 1
            fields = []
            for _ in range(5):
                value, pos = uvarint(buf, pos, end)
                fields.append(value)
            time, m, p, gid, stack = fields
            g.cpu_samples.append((time, m, p, gid, stack))

    def _add_sync(self, g: Generation, b: Batch) -> None:
        buf, pos, end = self.buf, b.start, b.end
        if self.version >= 25:
            pos += 1
        last = b.time
        while pos < end:
            typ = buf[pos]
            if typ == S.EV_FREQUENCY:
                if g.has_freq:
                    raise Broken("generation", f"two Frequency events in generation {g.gen}")
                freq, pos = uvarint(buf, pos + 1, end)
                if freq == 0:
                    raise Broken("generation", f"zero clock frequency in generation {g.gen}")
                g.has_freq = True
                g.ns_per_tick = 1.0 / (freq / 1e9)
            elif typ == S.EV_CLOCK_SNAPSHOT and self.version >= 25:
                if g.clock is not None:
                    raise Broken("generation", f"two ClockSnapshot events in generation {g.gen}")
                dt, pos = uvarint(buf, pos + 1, end)
                mono, pos = uvarint(buf, pos, end)
                sec, pos = uvarint(buf, pos, end)
                nsec, pos = uvarint(buf, pos, end)
                last += dt
                g.clock = (last, mono, sec, nsec)
            else:
                raise at_byte(pos, f"expected Frequency or ClockSnapshot in a sync batch,"
                                   f" got {typ}")

    def _finish(self, g: Generation) -> Generation:
        """Check what a generation must hold once all its batches are in."""
        if not g.has_freq:
            raise Broken("generation", f"no Frequency event in generation {g.gen}")
        if self.version >= 25 and g.clock is None:
            raise Broken("generation", f"no ClockSnapshot event in generation {g.gen}")
        for sid, pcs in sorted(g.stacks.items()):
            for pc in pcs:
                func, file, _ = g.frames[pc]
                for kind, str_id in (("func", func), ("file", file)):
                    if str_id and str_id not in g.strings:
                        raise Broken("table", f"stack {sid} names {kind} string {str_id},"
                                              f" which generation {g.gen} does not define")
        ns = g.ns
        g.cpu_samples = sorted(((ns(t), m, p, gid, stk) for t, m, p, gid, stk in g.cpu_samples),
                               key=lambda s: s[0])
        return g

    # --- per-M event decoding -----------------------------------------------------------

    def decode_events(self, g: Generation, m: int) -> list[list]:
        """All events of thread `m` in generation `g`, each `[type, time_ns, arg...]`.

        Times follow Go's reader: per batch, ns(batch time) plus ns(dt) per event. A batch
        that stops making sense ends the list with a `DECODE_ERROR` sentinel
        `[DECODE_ERROR, time, byte offset, message]`.
        """
        out: list[list] = []
        for b in g.batches[m]:
            if not self._decode_fast(g, b, out):
                self._decode_exact(g, b, out)
                if out and out[-1][0] == DECODE_ERROR:
                    break
        return out

    def _decode_fast(self, g: Generation, b: Batch, out: list[list]) -> bool:
        """Decode a well-formed batch: all varints first (one tight loop), then cut them
        into events by the argument counts. False (nothing appended) if anything is
        unusual (truncation, overlong or non-canonical varints, an unknown or experimental
        type): the exact decoder then finds and reports it."""
        seg = self.buf[b.start:b.end]
        vals: list[int] = []
        put = vals.append
        pos, end = 0, len(seg)
        try:
            while pos < end:
                v = seg[pos]
                pos += 1
                if v < 0x80:
                    put(v)
                    continue
                value, shift = v & 0x7F, 7
                while True:
                    v = seg[pos]
                    pos += 1
                    value |= (v & 0x7F) << shift
                    if v < 0x80:
                        break
                    shift += 7
                if v == 0 or shift > 63 or value >> 64:
                    return False  # non-canonical or too long: let the exact decoder judge
                put(value)
        except IndexError:
            return False
        nargs, per_tick = S.TIMED_NARGS, g.ns_per_tick
        tick = int(per_tick)
        if tick != per_tick:
            return False
        t = b.time * tick
        events: list[list] = []
        add = events.append
        i, n = 0, len(vals)
        while i < n:
            typ = vals[i]
            if typ >= 0x80 or not nargs[typ]:
                return False
            j = i + 1 + nargs[typ]
            if j > n:
                return False
            ev = vals[i:j]
            t += ev[1] * tick
            ev[1] = t
            add(ev)
            i = j
        out.extend(events)
        return True

    def _decode_exact(self, g: Generation, b: Batch, out: list[list]) -> None:
        """Decode one batch byte by byte, stopping at the first fault with its offset."""
        buf, nargs, per_tick = self.buf, S.TIMED_NARGS, g.ns_per_tick
        pos, end = b.start, b.end
        t = int(b.time * per_tick)
        while pos < end:
            start = pos
            typ = buf[pos]
            if not nargs[typ]:
                out.append([DECODE_ERROR, t, start, f"event type {typ} cannot appear in an M's"
                            " batch (not a timed event)"])
                return
            pos += 1
            ev = [typ]
            try:
                for _ in range(nargs[typ]):
                    v, pos = uvarint(buf, pos, end)
                    ev.append(v)
            except TraceFormatError as err:
                out.append([DECODE_ERROR, t, start, f"bad event (type {typ}): {err.detail}"])
                return
            t += int(ev[1] * per_tick)
            ev[1] = t
            out.append(ev)


def decode_error(ev: list[int]) -> TraceFormatError:
    """The error a `DECODE_ERROR` sentinel stands for."""
    return at_byte(ev[2], str(ev[3]))
