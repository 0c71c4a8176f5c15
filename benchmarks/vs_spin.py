"""gocheck against SPIN on the same model: time to verdict, states and peak memory.

The family: k identical workers doing `work(2); syscall(1); wg.Done()`, main `wg.Add(k)`,
`go worker()` k times, `wg.Wait()`; checks fork_join, no_deadlock and syscall_handoff. For
procs 1 to 3 and k = 1, 2, ... while some tool still finishes within the cap, each row runs,
side by side:
- gocheck's explicit engine (`gocheck.verify.verify`) in a fresh Python process (its time is
  verify's wall time: parse, compile, search; its memory the process's peak resident set),
  three times: without reductions, with partial-order reduction alone, and with symmetry,
  partial-order reduction and dead values ("gocheck with reductions"; "n/a" where this
  gocheck lacks them);
- SPIN on `gocheck export --format promela`: `spin -a`, `gcc -O2 -DSAFETY -DMEMLIM=16000`,
  and an exhaustive `pan` (no bitstate); its time is the sum of the three, its memory pan's
  peak resident set.
A configuration that once exceeds the cap is not run for larger k ("-"). `none/red` is the
state reduction of the three reductions: no-reduction states over reduced
states, where the unreduced count is gocheck's own or, when gocheck did not finish, SPIN's
minus one (SPIN stores one state more than gocheck: the state before its set-up step).
`time g/s` compares gocheck with reductions to SPIN. The last lines are the reduction at
k = 4, procs = 2 and the median, over rows where both finished, of gocheck's time (with
reductions, and without) over SPIN's.

Run: python benchmarks/vs_spin.py [--quick] [--cap-seconds 300] [--procs 1,2,3] [--max-k K]
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
CONFIGS = {"none": "", "por": "por", "reduced": "symmetry,por,dead_values"}  # three runs


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


def gocheck_child(path: str, cap: float, reductions: str) -> None:
    """In a fresh process: verify, print the outcome as JSON (see `run_gocheck`)."""
    kwargs = {}
    if reductions:
        kwargs["reductions"] = REDUCTIONS(**dict.fromkeys(reductions.split(","), True))
    started = time.perf_counter()
    v = pipeline.verify(path, properties=PROPERTIES, limits=pipeline.Limits(max_seconds=cap),
                        **kwargs)
    seconds = time.perf_counter() - started
    r = v.result
    done = r.stats.stop_reason is None
    print(json.dumps({"states": r.stats.states if done else None, "seconds": seconds,
                      "violated": sorted(p.name for p in r.properties
                                         if p.verdict == "violated") if done else None}))


def _available(reductions: str) -> bool:
    names = {f.name for f in dataclasses.fields(REDUCTIONS)} if REDUCTIONS else set()
    return not reductions or set(reductions.split(",")) <= names


def run_gocheck(path: str, cap: float, reductions: str = "") -> Run | None:
    """gocheck in a child process; None when asked for reductions this gocheck lacks."""
    if not _available(reductions):
        return None
    cmd = [sys.executable, __file__, "--child", path, str(cap), reductions or "-"]
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


HEADER = ("procs  k |   no-red. states        s     MB |    POR states        s |"
          "  reduced states        s     MB  none/red |    spin states  build s    pan s"
          "  total s     MB | time g/s  verdicts")
SKIPPED = Run(None, 0.0, 0.0, None)  # a configuration no longer run (it exceeded the cap)


def _cols(r: Run | None, mb: bool) -> str:
    if r is None:
        return " ".join([format("n/a", ">14"), format("", ">8")] + ([format("", ">6")] * mb))
    seconds = None if r is SKIPPED else r.seconds
    cols = [_fmt(r.states, ",d", 14), _fmt(seconds, ".2f", 8)]
    return " ".join(cols + ([_fmt(None if r is SKIPPED else r.peak_mb, ".0f", 6)] * mb))


def unreduced_states(g: Run, s: Run) -> int | None:
    """States without reductions: gocheck's own count, else SPIN's minus its set-up state."""
    if g.states is not None:
        return g.states
    return None if s.states is None else s.states - 1


def row(procs: int, k: int, runs: dict[str, Run | None],
        s: Run) -> tuple[str, float | None, float | None, float | None]:
    """One table line; the state reduction, and gocheck's time over SPIN's with reductions
    and without, when both finished."""
    g, red = runs["none"], runs["reduced"]
    assert g is not None
    best = red if red is not None and red.states is not None else None
    full = unreduced_states(g, s)
    reduction = full / best.states if best is not None and full else None
    ratio = best.seconds / s.seconds if best is not None and s.states is not None else None
    plain = g.seconds / s.seconds if g.states is not None and s.states is not None else None
    answers = {r.violated for r in (*runs.values(), s) if r is not None and r.states is not None}
    verdicts = "-" if not answers else "agree" if len(answers) == 1 else "DIFFER"
    line = " ".join([
        f"{procs:>5} {k:>2} |", _cols(g, True), "|", _cols(runs["por"], False), "|",
        _cols(red, True), _fmt(reduction, ".1f", 9), "|", _fmt(s.states, ",d", 14),
        _fmt(s.build if s is not SKIPPED else None, ".2f", 8),
        _fmt(s.seconds - s.build if s is not SKIPPED else None, ".2f", 8),
        _fmt(s.seconds if s is not SKIPPED else None, ".2f", 8),
        _fmt(s.peak_mb if s is not SKIPPED else None, ".0f", 6), "|", _fmt(ratio, ".2f", 8),
        f" {verdicts}"])
    return line, reduction, ratio, plain


def _within(r: Run | None, cap: float) -> bool:
    return r is not None and r is not SKIPPED and r.states is not None and r.seconds <= cap


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cap-seconds", type=float, default=300.0,
                    help="Stop growing k for a tool once a run takes longer (default 300).")
    ap.add_argument("--quick", action="store_true", help="A smoke run: cap at 30 s.")
    ap.add_argument("--procs", default="1,2,3", help="Comma-separated procs values.")
    ap.add_argument("--max-k", type=int, default=None, help="Stop after this many workers.")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        path, cap, reductions = args.child
        gocheck_child(path, float(cap), "" if reductions == "-" else reductions)
        return
    if not spin_available():
        sys.exit("vs_spin: spin and gcc are needed (apt-get install spin gcc)")
    cap = 30.0 if args.quick else args.cap_seconds
    print(f"cap {cap:g} s per run; SPIN: {' '.join(SPIN_BUILD.cflags)}, "
          f"pan -m{SPIN_BUILD.depth} -w{SPIN_BUILD.hash_bits} -c0; SPIN states = gocheck's + 1")
    print(HEADER)
    ratios: list[float] = []
    plain_ratios: list[float] = []
    at_k4: float | None = None
    with tempfile.TemporaryDirectory() as tmp:
        for procs in (int(p) for p in args.procs.split(",")):
            alive = {**dict.fromkeys(CONFIGS, True), "spin": True}
            k = 1
            while (alive["reduced"] or alive["spin"]) and k <= (args.max_k or k):
                path = Path(tmp) / f"workers_k{k}_p{procs}.gos"
                path.write_text(family_spec(k, procs), encoding="utf-8")
                work = Path(tmp) / f"pan_k{k}_p{procs}"
                work.mkdir()
                runs = {name: run_gocheck(str(path), cap, CONFIGS[name]) if alive[name]
                        else SKIPPED for name in CONFIGS}
                s = run_spin_row(str(path), cap, work) if alive["spin"] else SKIPPED
                line, reduction, ratio, plain = row(procs, k, runs, s)
                print(line, flush=True)
                if (k, procs) == (4, 2):
                    at_k4 = reduction
                ratios += [ratio] if ratio is not None else []
                plain_ratios += [plain] if plain is not None else []
                for name, r in (*runs.items(), ("spin", s)):
                    alive[name] = alive[name] and _within(r, cap)
                if runs["reduced"] is None:  # no reductions in this gocheck
                    alive["reduced"] = alive["none"]
                k += 1
    print(f"state reduction at k=4, procs=2 (no reduction / symmetry, POR, dead values): "
          f"{_fmt(at_k4, '.1f', 0)}x")
    median = _fmt(statistics.median(ratios) if ratios else None, ".2f", 0)
    plain = _fmt(statistics.median(plain_ratios) if plain_ratios else None, ".2f", 0)
    print(f"median time-to-verdict ratio gocheck/spin: {median} (without reductions: {plain})")


if __name__ == "__main__":
    main()
