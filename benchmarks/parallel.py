"""Parallel search: one worker against several on vs_spin.py's family of specs.

The family (vs_spin.family_spec): k identical workers doing `work(2); syscall(1); wg.Done()`,
main waiting on the WaitGroup, `procs` Ps; fork_join, no_deadlock and syscall_handoff are
checked. For each row every worker count runs `gocheck.verify.verify` in a fresh Python
process, `--repeat` times; a row prints the states, the best wall time per worker count and
the CPU seconds that run used (all of its processes), its peak memory (the largest resident
set among its processes), and the speedup of each count over
one worker. Verdicts and state counts must agree across worker counts (checked, not assumed).

The speedup is a wall-clock figure: it needs as many idle cores as workers. On a shared
machine two CPU figures stay meaningful under load: `cpu s`, the work of the whole process
tree, and `lead s`, the CPU of the calling process alone, which runs its share of every layer
and every step that no other worker can run (handing out ids, assembling the store). With
free cores the wall time follows `lead s` (a little above it: at each layer's barrier the
lead may wait for a slower worker), so `lead s` of one worker over `lead s` of N is printed
too, as the speedup the same run would show on idle cores.

Run: python benchmarks/parallel.py [--rows 2:3,3:2] [--workers 1,2] [--repeat 1] [--symmetry]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from vs_spin import PROPERTIES, family_spec

from gocheck import verify as pipeline


@dataclass(frozen=True, slots=True)
class Run:
    states: int
    seconds: float
    cpu: float
    lead: float
    peak_mb: float
    violated: tuple[str, ...]


def child(path: str, workers: int, symmetry: bool) -> None:
    """In a fresh process: verify, print the outcome as JSON."""
    started = time.perf_counter()
    lead = time.process_time()
    v = pipeline.verify(path, properties=PROPERTIES, limits=pipeline.Limits(workers=workers),
                        reductions=pipeline.Reductions(symmetry=symmetry))
    print(json.dumps({"states": v.result.stats.states, "seconds": time.perf_counter() - started,
                      "lead": time.process_time() - lead,
                      "violated": sorted(p.name for p in v.result.properties
                                         if p.verdict == "violated")}))


def run(path: str, workers: int, symmetry: bool) -> Run:
    cmd = [sys.executable, __file__, "--child", path, str(workers), str(int(symmetry))]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)  # includes the workers it forked and reaped
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"parallel: gocheck failed on {path} with {workers} workers")
    doc = json.loads(out)
    return Run(doc["states"], doc["seconds"], usage.ru_utime + usage.ru_stime, doc["lead"],
               usage.ru_maxrss / 1024, tuple(doc["violated"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", default="2:3", help="procs:k pairs, comma-separated.")
    ap.add_argument("--workers", default="1,2", help="Worker counts; the first is the base.")
    ap.add_argument("--repeat", type=int, default=1, help="Runs per cell; the best counts.")
    ap.add_argument("--symmetry", action="store_true", help="With symmetry reduction.")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        path, workers, symmetry = args.child
        child(path, int(workers), symmetry == "1")
        return
    counts = [int(w) for w in args.workers.split(",")]
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start; "
          f"symmetry {'on' if args.symmetry else 'off'}; best of {args.repeat}")
    print("procs  k |       states | "
          + " | ".join(f"{w:>2} worker(s): s   cpu s  lead s  peak MB" for w in counts)
          + " | speedup (wall, lead cpu)")
    with tempfile.TemporaryDirectory() as tmp:
        for row in args.rows.split(","):
            procs, k = (int(x) for x in row.split(":"))
            path = Path(tmp) / f"workers_k{k}_p{procs}.gos"
            path.write_text(family_spec(k, procs), encoding="utf-8")
            best: list[Run] = []
            for w in counts:
                runs = [run(str(path), w, args.symmetry) for _ in range(args.repeat)]
                best.append(min(runs, key=lambda r: r.seconds))
            if len({(r.states, r.violated) for r in best}) != 1:
                sys.exit(f"parallel: worker counts disagree on {path.name}: {best}")
            cells = " | ".join(f"{r.seconds:>14.2f} {r.cpu:>7.2f} {r.lead:>7.2f} "
                               f"{r.peak_mb:>8.0f}" for r in best)
            speedups = " ".join(f"{best[0].seconds / r.seconds:.2f}x "
                                f"{best[0].lead / r.lead:.2f}x" for r in best[1:])
            print(f"{procs:>5} {k:>2} | {best[0].states:>12,} | {cells} | {speedups}",
                  flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
