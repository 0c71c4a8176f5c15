"""gocheck against SPIN on the same model: time to verdict, states and peak memory.

The family: k identical workers doing `work(2); syscall(1); wg.Done()`, main `wg.Add(k)`,
`go worker()` k times, `wg.Wait()`; checks fork_join, no_deadlock and syscall_handoff. For
procs 1 to 3 and k = 1, 2, ... while both tools finish within the cap, each row runs, side by
side:
- gocheck's explicit engine without reductions (`gocheck.verify.verify`), in a fresh Python
  process (its time is verify's wall time: parse, compile, search; its memory the process's
  peak resident set), and again with every reduction of `gocheck.verify.Reductions` on
  ("n/a" where this gocheck has none);
- SPIN on `gocheck export --format promela`: `spin -a`, `gcc -O2 -DSAFETY -DMEMLIM=16000`,
  and an exhaustive `pan` (no bitstate); its time is the sum of the three, its memory pan's
  peak resident set.
The last line is the median, over rows where both finished, of gocheck's time over SPIN's.
SPIN stores one state more than gocheck (the state before its set-up step).

Run: python benchmarks/vs_spin.py [--quick] [--cap-seconds 300] [--procs 1,2,3]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from gocheck import verify as pipeline
from gocheck.report.promela import export
from gocheck.report.promela.spin import Build, run_spin, spin_available

PROPERTIES = ("fork_join", "no_deadlock", "syscall_handoff")
SPIN_BUILD = Build(cflags=("-O2", "-DSAFETY", "-DMEMLIM=16000"), depth=1_000_000,
                   hash_bits=24)
REDUCTIONS = getattr(pipeline, "Reductions", None)


def family_spec(k: int, procs: int) -> str:
    gos = "\n".join("    go worker()" for _ in range(k))
    return f"""machine {{
    procs = {procs}
}}

var wg sync.WaitGroup

func worker() {{
    work(2)
    syscall(1)
    wg.Done()
}}

func main() {{
    wg.Add({k})
{gos}
    wg.Wait()
}}

check fork_join
check no_deadlock
check syscall_handoff
"""


@dataclass(frozen=True, slots=True)
class Run:
    """One tool on one spec; `states` and `violated` are None when it did not finish within
    the cap. `build` is SPIN's `spin -a` plus gcc (included in `seconds`)."""

    states: int | None
    seconds: float
    peak_mb: float
    violated: frozenset[str] | None
    build: float = 0.0


def gocheck_child(path: str, cap: float, reductions: bool) -> None:
    """In a fresh process: verify, print the outcome as JSON (see `run_gocheck`)."""
    kwargs = {}
    if reductions and REDUCTIONS is not None:
        every = {f.name: True for f in dataclasses.fields(REDUCTIONS) if f.type in (bool, "bool")}
        kwargs["reductions"] = REDUCTIONS(**every)
    started = time.perf_counter()
    v = pipeline.verify(path, properties=PROPERTIES, limits=pipeline.Limits(max_seconds=cap),
                        **kwargs)
    seconds = time.perf_counter() - started
    r = v.result
    done = r.stats.stop_reason is None
    print(json.dumps({"states": r.stats.states if done else None, "seconds": seconds,
                      "violated": sorted(p.name for p in r.properties
                                         if p.verdict == "violated") if done else None}))


def run_gocheck(path: str, cap: float, reductions: bool = False) -> Run | None:
    """gocheck in a child process; None when asked for reductions this gocheck lacks."""
    if reductions and REDUCTIONS is None:
        return None
    cmd = [sys.executable, __file__, "--child", path, str(cap), str(int(reductions))]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(f"vs_spin: gocheck failed on {path}")
    doc = json.loads(out)
    violated = None if doc["violated"] is None else frozenset(doc["violated"])
    return Run(doc["states"], doc["seconds"], usage.ru_maxrss / 1024, violated)


def run_spin_row(path: str, cap: float, workdir: Path) -> Run:
    spec, machine = pipeline.load(path)
    pan = run_spin(export(spec, machine, PROPERTIES), workdir,
                   dataclasses.replace(SPIN_BUILD, timeout=cap))
    build = pan.seconds.get("spin", 0.0) + pan.seconds.get("cc", 0.0)
    if not pan.complete:
        return Run(None, pan.total_seconds, pan.peak_rss_mb, None, build)
    return Run(pan.states, pan.total_seconds, pan.peak_rss_mb, pan.violated, build)


def _fmt(value: float | None, spec: str, width: int) -> str:
    return format("-" if value is None else format(value, spec), f">{width}")


HEADER = ("procs  k |      gocheck states        s      MB | reduced states        s |"
          "    spin states  build s    pan s  total s      MB | time g/s  mem g/s  verdicts")


def row(procs: int, k: int, g: Run, red: Run | None, s: Run) -> tuple[str, float | None]:
    """One table line, and gocheck's time over SPIN's when both finished."""
    done = g.states is not None and s.states is not None
    ratio = g.seconds / s.seconds if done else None
    verdicts = ("agree" if g.violated == s.violated else "DIFFER") if done else "-"
    reduced = (_fmt(None, "", 14) + " " + format("n/a", ">8") if red is None
               else _fmt(red.states, ",d", 14) + " " + _fmt(red.seconds, ".2f", 8))
    line = " ".join([
        f"{procs:>5} {k:>2} |", _fmt(g.states, ",d", 19), _fmt(g.seconds, ".2f", 8),
        _fmt(g.peak_mb, ".0f", 7), "|", reduced, "|", _fmt(s.states, ",d", 14),
        _fmt(s.build, ".2f", 8), _fmt(s.seconds - s.build, ".2f", 8),
        _fmt(s.seconds, ".2f", 8), _fmt(s.peak_mb, ".0f", 7), "|", _fmt(ratio, ".2f", 8),
        _fmt(g.peak_mb / s.peak_mb if done else None, ".2f", 8), f" {verdicts}"])
    return line, ratio


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cap-seconds", type=float, default=300.0,
                    help="Stop growing k once a run takes longer (default 300).")
    ap.add_argument("--quick", action="store_true", help="A smoke run: cap at 30 s.")
    ap.add_argument("--procs", default="1,2,3", help="Comma-separated procs values.")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        path, cap, reductions = args.child
        gocheck_child(path, float(cap), reductions == "1")
        return
    if not spin_available():
        sys.exit("vs_spin: spin and gcc are needed (apt-get install spin gcc)")
    cap = 30.0 if args.quick else args.cap_seconds
    print(f"cap {cap:g} s per run; SPIN: {' '.join(SPIN_BUILD.cflags)}, "
          f"pan -m{SPIN_BUILD.depth} -w{SPIN_BUILD.hash_bits} -c0; SPIN states = gocheck's + 1")
    print(HEADER)
    ratios: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for procs in (int(p) for p in args.procs.split(",")):
            k = 1
            while True:
                path = Path(tmp) / f"workers_k{k}_p{procs}.gos"
                path.write_text(family_spec(k, procs), encoding="utf-8")
                work = Path(tmp) / f"pan_k{k}_p{procs}"
                work.mkdir()
                g = run_gocheck(str(path), cap)
                red = run_gocheck(str(path), cap, reductions=True)
                s = run_spin_row(str(path), cap, work)
                line, ratio = row(procs, k, g, red, s)
                print(line, flush=True)
                if ratio is not None:
                    ratios.append(ratio)
                if ratio is None or max(g.seconds, s.seconds) > cap:
                    break
                k += 1
    median = _fmt(statistics.median(ratios) if ratios else None, ".2f", 0)
    print(f"median time-to-verdict ratio gocheck/spin: {median}")


if __name__ == "__main__":
    main()
