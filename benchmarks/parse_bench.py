"""Time the front end (parse + check) on a generated 5,000-line spec; the target is 1 s.

Usage: python benchmarks/parse_bench.py [--lines N] [--repeat K]

The spec is generated deterministically and uses every construct: a machine block,
channels, mutexes, WaitGroups, helper functions that call the next one (a long chain, no
recursion), loops, select, go func literals, comments and invariants. The figure is the
best of K runs, after one warm-up run that also compiles the grammar.
"""

from __future__ import annotations

import argparse
import time

from gocheck.lang.check import check
from gocheck.lang.parser import parse

TARGET_SECONDS = 1.0


def _function(k: int, last: bool) -> list[str]:
    call = [] if last else [f"    f{k + 1}()"]
    return [
        f"// f{k} exercises one of each statement",
        f"func f{k}() {{",
        "    work(2) // two ticks",
        "    spin(1)",
        "    syscall(1)",
        "    syscall(1, block)",
        "    mu.Lock()",
        "    mu.Unlock()",
        "    for i := 0; i < 2; i++ {",
        "        jobs <- i",
        "    }",
        "    for range 2 {",
        "        <-jobs",
        "    }",
        "    select {",
        "    case jobs <- 1:",
        "        work(1)",
        "    case <-done:",
        "    default:",
        "        runtime.Gosched()",
        "    }",
        "    go func() {",
        "        time.Sleep(1)",
        "        netread()",
        "        wg.Done()",
        "    }()",
        *call,
        "}",
        "",
    ]


def generate(lines: int) -> str:
    """A valid spec of at least `lines` lines (whole functions: a few more)."""
    head = [
        "machine {", "    procs = 4", "    preemption = cooperative", "}", "",
        "var jobs = make(chan int, 2)", "var done = make(chan struct{})",
        "var mu sync.Mutex", "var wg sync.WaitGroup", "",
    ]
    tail = [
        "func main() {", "    wg.Add(1)", "    go f0()", "    f0()", "    wg.Wait()", "}", "",
        "check fork_join", "check no_deadlock",
        "invariant bounded { len(globalq) + len(runq[3]) <= 8 && (main_done || running >= 0) }",
    ]
    per_function = len(_function(0, False))
    count = max(1, -(-(lines - len(head) - len(tail)) // per_function))  # rounded up
    body = [line for k in range(count) for line in _function(k, k == count - 1)]
    return "\n".join(head + body + tail) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    text = generate(args.lines)
    n_lines = text.count("\n")
    assert check(parse(text, "bench.gos")) == [], "the generated spec must be valid"
    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        check(parse(text, "bench.gos"))
        best = min(best, time.perf_counter() - start)
    verdict = "under" if best < TARGET_SECONDS else "OVER"
    print(f"lines: {n_lines}")
    print(f"parse+check: {best:.3f} s (best of {args.repeat})")
    print(f"speed: {n_lines / best:,.0f} lines/s")
    print(f"target: {verdict} {TARGET_SECONDS:.0f} s")


if __name__ == "__main__":
    main()
