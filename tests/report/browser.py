"""Headless Chromium for the report's browser tests: a DOM dump after the page's script has
run, a screenshot, and a small PNG reader (zlib and the five row filters) to look at it."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--force-color-profile=srgb", "--hide-scrollbars")
INSTALL = "apt-get install -y chromium"


def chromium() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)


def run(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """One headless Chromium run with a fresh profile; console messages go to stderr."""
    exe = chromium()
    assert exe is not None, f"chromium is missing ({INSTALL})"
    return subprocess.run([exe, *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr",
                           "--v=0", *extra, url], capture_output=True, text=True, timeout=60,
                          check=True)


def console_lines(stderr: str) -> list[str]:
    """The page's console messages and uncaught errors, as Chromium logs them."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


class Png:
    """An 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes), decoded to rows."""

    def __init__(self, data: bytes):
        assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
        chunks, pos = {}, 8
        idat = bytearray()
        while pos < len(data):
            length, kind = struct.unpack(">I4s", data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + length]
            if kind == b"IDAT":
                idat += body
            chunks.setdefault(kind, body)
            pos += 12 + length
        self.width, self.height, depth, colour, _, _, interlace = struct.unpack(
            ">IIBBBBB", chunks[b"IHDR"])
        assert depth == 8 and colour in (2, 6) and not interlace, "unsupported PNG"
        self.bpp = 3 if colour == 2 else 4
        self.rows = _unfilter(zlib.decompress(bytes(idat)), self.width * self.bpp, self.bpp)

    def count(self, rgb: tuple[int, int, int]) -> int:
        """Pixels of exactly this colour."""
        want = bytes(rgb)
        return sum(1 for row in self.rows for x in range(0, len(row), self.bpp)
                   if row[x:x + 3] == want)


def _unfilter(raw: bytes, stride: int, bpp: int) -> list[bytes]:
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(len(raw) // (stride + 1)):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + (left + prev[i]) // 2) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return rows
