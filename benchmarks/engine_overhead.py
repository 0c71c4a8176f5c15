"""The explicit engine's own cost per state, on a toy whose successors are cheap.

The toy is a grid of 4 independent counters 0..n-1 (n = 32: 1,048,576 states, 4,063,232
transitions), each state padded to 50 small ints like a real model state. Its successors
are a few tuple slices, so what the run costs beyond calling them is the engine's: encoding,
the state and step look-ups, the edge columns, the clock.

It prints states, transitions, seconds, states/s; the engine's microseconds per state (the
search's time minus the time `successors` alone takes over every state, measured apart);
and bytes per stored state, both from `sys.getsizeof` of the store after the timed run and
from the tracemalloc peak of a second run (tracemalloc slows it, so it is not timed).

Run: python benchmarks/engine_overhead.py [--n 32] [--no-tracemalloc]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import time
import tracemalloc

from gocheck.explore.search import search
from gocheck.explore.store import StateStore
from gocheck.model.system import Step

WIDTH, COUNTERS = 50, 4


class PaddedGrid:
    """COUNTERS counters 0..n-1 (actor Pi increments counter i) in a WIDTH-int state."""

    def __init__(self, n: int):
        self.n = n
        self.steps = [Step(f"P{i}", "inc", fairness=f"P{i}") for i in range(COUNTERS)]

    def initial_state(self) -> tuple[int, ...]:
        return (0,) * WIDTH

    def successors(self, s: tuple[int, ...]) -> list[tuple[Step, tuple[int, ...]]]:
        top = self.n - 1
        return [(self.steps[i], (*s[:i], s[i] + 1, *s[i + 1:]))
                for i in range(COUNTERS) if s[i] < top]

    def all_states(self) -> itertools.product:
        pad = (0,) * (WIDTH - COUNTERS)
        return (c + pad for c in itertools.product(range(self.n), repeat=COUNTERS))


def successors_seconds(system: PaddedGrid) -> float:
    """Time `successors` alone takes over every state (the model's share of a search)."""
    succ = system.successors
    t0 = time.perf_counter()
    for s in system.all_states():
        succ(s)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=32, help="values per counter (states = n**4)")
    ap.add_argument("--no-tracemalloc", action="store_true",
                    help="skip the second, memory-traced run")
    args = ap.parse_args()
    system = PaddedGrid(args.n)

    gc.collect()
    store = StateStore()
    stats = search(system, store).stats
    model = successors_seconds(system)
    engine_us = (stats.seconds - model) / stats.states * 1e6
    print(f"states            {stats.states:>12,}")
    print(f"transitions       {stats.transitions:>12,}")
    print(f"seconds           {stats.seconds:>12.2f}")
    print(f"states/s          {stats.states / stats.seconds:>12,.0f}")
    print(f"successors() s    {model:>12.2f}  ({model / stats.states * 1e6:.2f} us/state)")
    print(f"engine us/state   {engine_us:>12.2f}")
    print(f"bytes/state       {store.nbytes() / stats.states:>12.0f}  (sys.getsizeof of the store)")
    del store
    if not args.no_tracemalloc:
        gc.collect()
        tracemalloc.start()
        traced = StateStore()
        search(system, traced)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"bytes/state       {peak / len(traced):>12.0f}  (tracemalloc peak)")


if __name__ == "__main__":
    main()
