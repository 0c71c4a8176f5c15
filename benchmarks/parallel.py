"""Parallel search: one worker against several on vs_spin.py's family of specs.

The family (vs_spin.family_spec): k identical workers doing `work(2); syscall(1); wg.Done()`,
main waiting on the WaitGroup, `procs` Ps; fork_join, no_deadlock and syscall_handoff are
checked. For each row every worker count runs `gocheck.verify.verify` in a fresh Python
process, `--repeat` times (the best wall time counts). Verdicts and state counts must agree
across worker counts (checked, not assumed).

Per worker count a row prints:
- `wall s`: the wall-clock seconds of the verification, and the speedup `wall` over one
  worker. Meaningful only with as many idle cores as workers.
- `cpu s`: the CPU seconds of the whole process tree (all workers: the total work);
- `lead s`: the CPU seconds of the calling process alone;
- `path s`: an estimate of the wall time on idle cores from CPU times, which load does not
  inflate: the calling process's CPU outside the search, plus the search's critical path as
  parallel.py logs it (per layer the busiest worker's CPU, the lead's serial work between
  layers, the busiest worker of the final gathering). It leaves out the pipes' latency and
  the waits of a worker at a barrier beyond the busiest one's CPU. For one worker it is
  `lead s`. The speedup `path` is one worker's `path s` over N's.
- `peak MB`: the largest resident set among the processes.

On an idle machine, `wall` is the figure; on a loaded one, `path`.

Run: python benchmarks/parallel.py [--rows 2:3,3:2] [--workers 1,2] [--repeat 1]
                                   [--reductions none|symmetry|por|symmetry,por|
                                                 symmetry,por,dead_values]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from vs_spin import PROPERTIES, family_spec

from gocheck import verify as pipeline

REDUCTIONS = ("none", "symmetry", "por", "symmetry,por", "symmetry,por,dead_values")


@dataclass(frozen=True, slots=True)
class Run:
    states: int
    seconds: float
    cpu: float
    lead: float
    path: float
    peak_mb: float
    violated: tuple[str, ...]


class _Capture(logging.Handler):
    """Keeps the parallel search's critical-path record (its message's numbers)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.numbers: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.numbers = [float(x) for x in record.args]  # type: ignore[union-attr]


def child(path: str, workers: int, reductions: str) -> None:
    """In a fresh process: verify, print the outcome as JSON."""
    capture = _Capture()
    log = logging.getLogger("gocheck.explore.parallel")
    log.addHandler(capture)
    log.setLevel(logging.DEBUG)
    on = set(reductions.split(","))
    started = time.perf_counter()
    lead = time.process_time()
    v = pipeline.verify(path, properties=PROPERTIES, limits=pipeline.Limits(workers=workers),
                        reductions=pipeline.Reductions(symmetry="symmetry" in on,
                                                       por="por" in on,
                                                       dead_values="dead_values" in on))
    lead = time.process_time() - lead
    path_cpu = lead
    if capture.numbers:  # layers, critical path, its parts..., the lead's CPU in the search
        path_cpu = lead - capture.numbers[-1] + capture.numbers[1]
    elif workers > 1:
        sys.exit("parallel: the parallel search logged no critical path")
    print(json.dumps({"states": v.result.stats.states, "seconds": time.perf_counter() - started,
                      "lead": lead, "path": path_cpu,
                      "violated": sorted(p.name for p in v.result.properties
                                         if p.verdict == "violated")}))


def run(path: str, workers: int, reductions: str) -> Run:
    cmd = [sys.executable, __file__, "--child", path, str(workers), reductions]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)  # includes the workers it forked and reaped
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"parallel: gocheck failed on {path} with {workers} workers")
    doc = json.loads(out)
    return Run(doc["states"], doc["seconds"], usage.ru_utime + usage.ru_stime, doc["lead"],
               doc["path"], usage.ru_maxrss / 1024, tuple(doc["violated"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", default="2:3", help="procs:k pairs, comma-separated.")
    ap.add_argument("--workers", default="1,2", help="Worker counts; the first is the base.")
    ap.add_argument("--repeat", type=int, default=1, help="Runs per cell; the best counts.")
    ap.add_argument("--reductions", default="none", choices=REDUCTIONS,
                    help="Reductions on in every run.")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        path, workers, reductions = args.child
        child(path, int(workers), reductions)
        return
    counts = [int(w) for w in args.workers.split(",")]
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start; "
          f"reductions: {args.reductions}; best of {args.repeat}")
    print("procs  k |       states | "
          + " | ".join(f"{w:>2} worker(s): wall s  cpu s  lead s  path s  peak MB"
                       for w in counts)
          + " | speedup: wall, path")
    with tempfile.TemporaryDirectory() as tmp:
        for row in args.rows.split(","):
            procs, k = (int(x) for x in row.split(":"))
            path = Path(tmp) / f"workers_k{k}_p{procs}.gos"
            path.write_text(family_spec(k, procs), encoding="utf-8")
            best: list[Run] = []
            for w in counts:
                runs = [run(str(path), w, args.reductions) for _ in range(args.repeat)]
                best.append(min(runs, key=lambda r: r.seconds))
            if len({(r.states, r.violated) for r in best}) != 1:
                sys.exit(f"parallel: worker counts disagree on {path.name}: {best}")
            cells = " | ".join(f"{r.seconds:>19.2f} {r.cpu:>6.2f} {r.lead:>7.2f} "
                               f"{r.path:>7.2f} {r.peak_mb:>8.0f}" for r in best)
            speedups = " ".join(f"{best[0].seconds / r.seconds:.2f}x "
                                f"{best[0].path / r.path:.2f}x" for r in best[1:])
            print(f"{procs:>5} {k:>2} | {best[0].states:>12,} | {cells} | {speedups}",
                  flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
