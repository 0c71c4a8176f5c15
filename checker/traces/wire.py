"""Go's raw text form of a trace (`go tool trace -d=wire`, and Go's own test cases).

The text is a header line `Trace Go1.NN`, then one event per line, `Name arg=value ...`
with the arguments in table order; a Stack is followed by one line per frame
(`pc= func= file= line=`) and a String by a line `data="..."` (a Go-quoted string); `#`
starts a comment. Go's test cases wrap it in a txtar archive with an `-- expect --` part
(`SUCCESS`, or `FAILURE "regexp"`) and a `-- trace --` part.

The text is encoded to the binary form (exactly what Go's test harness does), so the one
binary reader and replay check both; errors are reported by line instead of byte offset.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from gocheck.traces import spec as S
from gocheck.traces.errors import TraceFormatError
from gocheck.traces.gobinary import BinaryTrace

_FRAME_FIELDS = ("pc", "func", "file", "line")


@dataclass(frozen=True, slots=True)
class Expectation:
    """The verdict a Go test case expects: success, or failure matching `pattern`."""

    success: bool
    pattern: str | None = None

    def matches(self, message: str | None) -> bool:
        """Does an outcome (None: accepted, else the error message) meet the expectation?"""
        if self.success or message is None:
            return self.success == (message is None)
        return re.search(self.pattern or "", message) is not None


class WireTrace(BinaryTrace):
    """A wire-text trace encoded to binary; errors point at lines of the text."""

    def __init__(self, buf: bytes, line_starts: list[tuple[int, int]], first_line: int):
        super().__init__(buf)
        self._offsets = [off for off, _ in line_starts]
        self._lines = [line for _, line in line_starts]
        self._first_line = first_line

    def locate(self, err: TraceFormatError) -> TraceFormatError:
        if err.offset is None:
            return err
        i = bisect.bisect_right(self._offsets, err.offset) - 1
        line = self._lines[i] if i >= 0 else self._first_line
        return TraceFormatError(f"line {line}", err.detail)


def split_test_case(text: str) -> tuple[Expectation | None, str, int]:
    """A txtar test case's expectation, its trace text and the trace's first line number;
    plain wire text comes back whole with no expectation."""
    parts = re.split(r"(?m)^-- (\S+) --[ \t]*\n", text)
    if len(parts) == 1:
        return None, text, 1
    files = dict(zip(parts[1::2], parts[2::2], strict=False))
    if "trace" not in files:
        raise TraceFormatError("line 1", "txtar archive without a '-- trace --' section")
    first_line = text[:text.index("-- trace --")].count("\n") + 2
    expect = files.get("expect", "").strip().splitlines()
    expectation = None
    if expect:
        word, _, rest = expect[0].partition(" ")
        if word == "SUCCESS":
            expectation = Expectation(True)
        elif word == "FAILURE":
            expectation = Expectation(False, go_unquote(rest.strip()).decode("utf-8", "replace"))
        else:
            raise TraceFormatError("expect", f"bad expectation {expect[0]!r}")
    return expectation, files["trace"], first_line


def read_wire(text: str, first_line: int = 1) -> WireTrace:
    """Encode wire text into a binary trace (raises `TraceFormatError` with a line)."""
    out = bytearray()
    starts: list[tuple[int, int]] = []
    lines = [(n, _strip_comment(line)) for n, line in enumerate(text.splitlines(), first_line)]
    lines = [(n, line) for n, line in lines if line]
    if not lines:
        raise TraceFormatError(f"line {first_line}", "empty wire trace (no 'Trace Go1.NN' line)")
    n, header = lines[0]
    m = re.fullmatch(r"Trace\s+Go1\.(\d+)", header)
    if not m:
        raise TraceFormatError(f"line {n}", f"expected a header 'Trace Go1.NN', got {header!r}")
    version = int(m.group(1))
    if version not in S.VERSIONS:
        raise TraceFormatError(f"line {n}", f"unknown or unsupported Go version 1.{version}")
    out += b"go 1.%d trace\0\0\0" % version
    names = {name: typ for name, typ in S.BY_NAME.items() if typ <= S.LAST_TYPE[version]}
    it = iter(lines[1:])
    for n, line in it:
        starts.append((len(out), n))
        name, _, rest = line.partition(" ")
        typ = names.get(name)
        if typ is None:
            raise TraceFormatError(f"line {n}", f"unidentified event: {name}")
        spec = S.SPECS[typ]
        args = _args(rest, spec.args, n)
        out.append(typ)
        for value in args:
            _put_uvarint(out, value)
        if spec.is_stack:
            for _ in range(args[1]):
                n2, frame = next(it, (n, None))
                if frame is None:
                    raise TraceFormatError(f"line {n}", "unexpected end of text inside a stack")
                for value in _args(frame, _FRAME_FIELDS, n2):
                    _put_uvarint(out, value)
        if spec.has_data:
            n2, data_line = next(it, (n, None))
            if data_line is None:
                raise TraceFormatError(f"line {n}", f"unexpected end of text: {name} needs a"
                                       " data line")
            key, eq, quoted = data_line.partition("=")
            if not eq or key.strip() != "data":
                raise TraceFormatError(f"line {n2}", f"malformed data: {data_line!r}")
            try:
                data = go_unquote(quoted.strip())
            except ValueError as err:
                raise TraceFormatError(f"line {n2}", f"failed to parse data: {err}") from None
            _put_uvarint(out, len(data))
            out += data
    return WireTrace(bytes(out), starts, first_line)


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].strip()


def _args(text: str, names: tuple[str, ...], line: int) -> list[int]:
    tokens = text.split()
    if len(tokens) != len(names):
        raise TraceFormatError(f"line {line}", f"expected arguments {' '.join(names)},"
                               f" got {text.strip()!r}")
    values = []
    for token, name in zip(tokens, names, strict=True):
        key, eq, value = token.partition("=")
        if not eq:
            raise TraceFormatError(f"line {line}", f"malformed argument: {token!r}")
        if key != name:
            raise TraceFormatError(f"line {line}", f"expected argument {name!r}, but got {key!r}")
        if not value.isdigit() or int(value) >= 1 << 64:
            raise TraceFormatError(f"line {line}", f"failed to parse argument value {value!r}"
                                   f" for arg {key!r}")
        values.append(int(value))
    return values


def _put_uvarint(out: bytearray, value: int) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


_SIMPLE_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92,
                   '"': 34}


def go_unquote(quoted: str) -> bytes:
    """The bytes of a Go string literal (interpreted "..." or raw `...`)."""
    if len(quoted) >= 2 and quoted[0] == quoted[-1] == "`":
        return quoted[1:-1].encode()
    if len(quoted) < 2 or quoted[0] != '"' or quoted[-1] != '"':
        raise ValueError(f"not a quoted string: {quoted!r}")
    body, out, i = quoted[1:-1], bytearray(), 0
    while i < len(body):
        c = body[i]
        if c == '"':
            raise ValueError(f"unescaped quote in {quoted!r}")
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        esc = body[i + 1:i + 2]
        if esc in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[esc])
            i += 2
        elif esc in ("x", "u", "U"):
            width = {"x": 2, "u": 4, "U": 8}[esc]
            digits = body[i + 2:i + 2 + width]
            if len(digits) != width or not all(d in "0123456789abcdefABCDEF" for d in digits):
                raise ValueError(f"bad \\{esc} escape in {quoted!r}")
            value = int(digits, 16)
            if esc == "x":
                out.append(value)
            else:
                out += chr(value).encode("utf-8", "surrogatepass")
            i += 2 + width
        elif esc and esc in "01234567":
            digits = body[i + 1:i + 4]
            if len(digits) != 3 or not all(d in "01234567" for d in digits) \
                    or int(digits, 8) > 255:
                raise ValueError(f"bad octal escape in {quoted!r}")
            out.append(int(digits, 8))
            i += 4
        else:
            raise ValueError(f"bad escape \\{esc} in {quoted!r}")
    return bytes(out)
