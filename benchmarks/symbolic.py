"""Time to a verdict, explicit engine against symbolic engine, on the explicit benchmark's
family (benchmarks/explore.py: k workers doing work, a syscall and a channel send).

For each spec of the family and each checked property, one row: the explicit engine's
verdict and seconds (a search for that property alone), the symbolic engine's verdict, its
proof (k-induction, k=N) or bound, and seconds (build of the z3 encoding included), and the
ratio symbolic / explicit. The symbolic engine gets `--cap` seconds per property; past it
the verdict is `unknown`.

With `--examples a,b` (names in spec/examples), instead: the symbolic engine's time to a
verdict on each example's safety properties together, under the engine's default limits
(no time cap), one row per property with the example's total seconds.

Run: python benchmarks/symbolic.py [--procs 1,2] [--k 1,2,3] [--cap 60] [--depth 60]
     python benchmarks/symbolic.py --examples pipeline,mutex_misuse
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from explore import family_spec

from gocheck.explore.engine import SafetyProperty
from gocheck.props.library import properties_for
from gocheck.symbolic.engine import DEPTH, SymbolicResult, check_symbolic, properties_of
from gocheck.verify import load, verify_machine

PROPERTIES = ("fork_join", "no_deadlock", "syscall_handoff")
EXAMPLES = Path(__file__).parents[1] / "spec" / "examples"


def explicit(path: str, prop: str) -> tuple[str, float]:
    t0 = time.perf_counter()
    spec, machine = load(path)
    v = verify_machine(spec, machine, properties=(prop,))
    return v.result.properties[0].verdict, time.perf_counter() - t0


def symbolic(path: str, prop: str, cap: float, depth: int) -> tuple[str, float]:
    t0 = time.perf_counter()
    spec, machine = load(path)
    r = check_symbolic(machine, properties_of(spec, machine, (prop,)), depth=depth,
                       max_seconds=cap).properties[0]
    seconds = time.perf_counter() - t0
    assert isinstance(r, SymbolicResult)
    how = r.proof or (f"bounded {r.bounded}" if r.bounded is not None else "")
    return f"{r.verdict} ({how})" if how else r.verdict, seconds


def examples(names: list[str]) -> None:
    """Each example's safety properties, decided together as `verify --engine symbolic`
    does, under the default limits."""
    print(f"{'example':<18} {'property':<16} {'verdict':<32} {'s':>8}")
    for name in names:
        spec, machine = load(str(EXAMPLES / f"{name}.gos"))
        props = tuple(p.name for p in properties_for(spec, machine)
                      if isinstance(p, SafetyProperty))
        t0 = time.perf_counter()
        found = check_symbolic(machine, properties_of(spec, machine, props)).properties
        seconds = time.perf_counter() - t0
        for r in found:
            assert isinstance(r, SymbolicResult)
            how = r.proof or (f"{len(r.counterexample.steps)} steps" if r.counterexample
                              else f"bounded {r.bounded}")
            print(f"{name:<18} {r.name:<16} {f'{r.verdict} ({how})':<32} {seconds:>8.1f}",
                  flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--procs", default="1,2")
    ap.add_argument("--k", default="1,2,3")
    ap.add_argument("--cap", type=float, default=60.0,
                    help="seconds for the symbolic engine per property")
    ap.add_argument("--depth", type=int, default=DEPTH)
    ap.add_argument("--examples", help="comma-separated example names (spec/examples)")
    args = ap.parse_args()
    if args.examples:
        examples(args.examples.split(","))
        return
    print(f"{'spec':<8} {'property':<16} {'explicit':<9} {'s':>7}  "
          f"{'symbolic':<28} {'s':>7} {'sym/exp':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for procs in map(int, args.procs.split(",")):
            for k in map(int, args.k.split(",")):
                path = Path(tmp) / f"family_k{k}_p{procs}.gos"
                path.write_text(family_spec(k, procs))
                load(str(path))  # warm-up: the grammar is compiled on first use
                for prop in PROPERTIES:
                    ev, es = explicit(str(path), prop)
                    sv, ss = symbolic(str(path), prop, args.cap, args.depth)
                    print(f"p{procs} k{k:<4} {prop:<16} {ev:<9} {es:>7.2f}  {sv:<28} "
                          f"{ss:>7.2f} {ss / es:>8.1f}", flush=True)


if __name__ == "__main__":
    main()
