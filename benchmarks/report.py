"""`gocheck report` on the examples: page size and how fast headless Chromium opens it.

For each example: explored states, the page's bytes, the milliseconds from navigation start
to the end of the page's script (`data-ready`, set by the page itself), and the wall time of
a whole headless Chromium run that loads the page and dumps its DOM (browser start included).
Targets (issue 6), for the largest example by explored states: a page under 2 MB that opens
in under a second.

Run: python benchmarks/report.py [--chromium PATH]   (needs `apt-get install -y chromium`)
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gocheck.lang.parser import read_source
from gocheck.report.html import report_html
from gocheck.verify import verify

EXAMPLES = Path(__file__).resolve().parent.parent / "spec" / "examples"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")
MAX_BYTES, MAX_SECONDS = 2_000_000, 1.0


def open_page(chromium: str, page: Path, profile: Path) -> tuple[float, float]:
    """(ms to the page's data-ready, s of the whole headless run)."""
    t0 = time.perf_counter()
    done = subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                           page.as_uri()], capture_output=True, text=True, timeout=120,
                          check=True)
    wall = time.perf_counter() - t0
    ready = re.search(r'data-ready="(\d+)"', done.stdout)
    if ready is None:
        raise SystemExit(f"{page.name}: the page's script did not finish")
    return float(ready[1]), wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium"))
    args = parser.parse_args()
    if not args.chromium:
        print("chromium not found: apt-get install -y chromium", file=sys.stderr)
        return 2
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for spec in sorted(EXAMPLES.glob("*.gos")):
            v = verify(str(spec))
            page = Path(tmp) / f"{spec.stem}.html"
            page.write_text(report_html(v, read_source(str(spec))), encoding="utf-8")
            ready_ms, wall = open_page(args.chromium, page, Path(tmp) / f"profile-{spec.stem}")
            rows.append((spec.name, v.result.stats.states, page.stat().st_size, ready_ms, wall))
    print(f"{'example':<24} {'states':>9} {'page bytes':>11} {'ready ms':>9} {'headless s':>11}")
    for name, states, size, ready_ms, wall in rows:
        print(f"{name:<24} {states:>9,} {size:>11,} {ready_ms:>9.0f} {wall:>11.2f}")
    name, states, size, ready_ms, _ = max(rows, key=lambda r: r[1])
    ok = size < MAX_BYTES and ready_ms / 1000 < MAX_SECONDS
    print(f"largest example: {name} ({states:,} states): {size:,} bytes (target < "
          f"{MAX_BYTES:,}), ready in {ready_ms:.0f} ms (target < {MAX_SECONDS * 1000:.0f}): "
          f"{'ok' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
