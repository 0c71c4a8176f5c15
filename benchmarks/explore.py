"""Explicit-engine throughput on a family of generated specs.

k identical workers each do `work(1)`, a `syscall(1)` and a channel send, then `wg.Done()`;
main waits on the WaitGroup and drains the channel. For procs 1..4 and growing k, prints
states, transitions, seconds, states/s, CPU microseconds per state, peak memory and bytes per
stored state. Targets (issue 3): >= 25,000 states/s and < 1 KB per stored state on one core.
`--reductions symmetry,por` measures the reduced search (whose states cost more each).

Run: python benchmarks/explore.py [--max-states N] [--procs 1,2,3,4] [--k 1,2,3]
     [--reductions symmetry,por] [--memory]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from gocheck.verify import Limits, Reductions, verify

NO_REDUCTIONS = Reductions()


def family_spec(k: int, procs: int) -> str:
    gos = "\n".join("    go worker()" for _ in range(k))
    return f"""machine {{
    procs = {procs}
}}

var wg sync.WaitGroup
var results = make(chan int, {k})

func worker() {{
    work(1)
    syscall(1)
    results <- 1
    wg.Done()
}}

func main() {{
    wg.Add({k})
{gos}
    wg.Wait()
    for range {k} {{
        <-results
    }}
}}

check fork_join
check no_deadlock
check syscall_handoff
"""


def run(k: int, procs: int, max_states: int, measure_memory: bool,
        reductions: Reductions = NO_REDUCTIONS) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"family_k{k}_p{procs}.gos"
        path.write_text(family_spec(k, procs))
        if measure_memory:
            tracemalloc.start()
        t0, c0 = time.perf_counter(), time.process_time()
        v = verify(str(path), limits=Limits(max_states=max_states), reductions=reductions)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        peak = tracemalloc.get_traced_memory()[1] if measure_memory else 0
        if measure_memory:
            tracemalloc.stop()
    stats = v.result.stats
    return {
        "states": stats.states,
        "transitions": stats.transitions,
        "seconds": seconds,
        "rate": stats.states / seconds if seconds else 0.0,
        "us_per_state": cpu / stats.states * 1e6 if stats.states else 0.0,
        "bytes_per_state": peak / stats.states if stats.states else 0.0,
        "complete": not stats.stop_reason,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--procs", default="1,2,3,4")
    ap.add_argument("--k", default="1,2,3")
    ap.add_argument("--max-states", type=int, default=400_000)
    ap.add_argument("--memory", action="store_true",
                    help="also measure bytes/state with tracemalloc (slows the run ~2x)")
    ap.add_argument("--reductions", default="",
                    help="comma-separated Reductions fields to switch on, e.g. symmetry,por")
    args = ap.parse_args()
    reductions = Reductions(**dict.fromkeys(filter(None, args.reductions.split(",")), True))
    print(f"{'procs':>5} {'k':>3} {'states':>10} {'transitions':>12} {'seconds':>8} "
          f"{'states/s':>9} {'us/state':>8} {'B/state':>8}  done")
    rates = []
    for procs in map(int, args.procs.split(",")):
        for k in map(int, args.k.split(",")):
            r = run(k, procs, args.max_states, args.memory, reductions)
            rates.append(r["rate"])
            bps = f"{r['bytes_per_state']:8.0f}" if args.memory else f"{'-':>8}"
            print(f"{procs:>5} {k:>3} {r['states']:>10,} {r['transitions']:>12,} "
                  f"{r['seconds']:>8.2f} {r['rate']:>9,.0f} {r['us_per_state']:>8.1f} {bps}  "
                  f"{'yes' if r['complete'] else 'limit'}")
    rates.sort()
    print(f"median states/s: {rates[len(rates) // 2]:,.0f} (target >= 25,000)")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
