"""The symbolic engine's entry point: BMC and k-induction, depth by depth, per property.

At each depth k: BMC asks, for every open safety property, whether a bad state is reachable
in exactly k steps (a hit is a shortest counterexample, decoded and replayed through the
explicit model, which must agree); then the step case of k-induction with k transitions is
tried (its base case is BMC at depths below k, already done), with a bounded share of the
time: a step case that does not close must not starve the checks that find counterexamples
and close small state spaces.
From depth LEMMAS_FROM on (small systems are closed by then, without the cost), the step
case starts only from states satisfying the structural lemmas that Houdini proved invariant
(lemmas.py, houdini.py; given at most HOUDINI_SHARE of `max_seconds`, and left out if not
done by then), so it is not refuted from states no run reaches.
A proof gives `holds` with `proof = "k-induction, k=N"`; running out of depth gives
`unknown` with `bounded = K` (no counterexample of up to K steps). Every z3 query has a
timeout (the smaller of `timeout_ms` and what is left of `max_seconds`), and building T
stops at the deadline too, so a limit gives `unknown`, never a hang.

Liveness properties are `unknown` here: they are decided by the explicit engine.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import z3

from gocheck.explore.engine import ReplayError, SafetyProperty, replay
from gocheck.explore.result import Counterexample, ExploreResult, PropertyResult, Stats
from gocheck.lang import ast
from gocheck.model.machine import Machine
from gocheck.props.library import LIBRARY, invariant_property, properties_for
from gocheck.symbolic import houdini
from gocheck.symbolic.bmc import Bmc
from gocheck.symbolic.bounds import Unsupported
from gocheck.symbolic.decode import Disagreement
from gocheck.symbolic.formula import compile_invariant
from gocheck.symbolic.kinduction import Forward, Induction
from gocheck.symbolic.layout import Frame
from gocheck.symbolic.props import SAFETY
from gocheck.symbolic.transition import OutOfTime, Transition
from gocheck.symbolic.unroll import Unrolling
from gocheck.symbolic.values import Cond, eq

DEPTH = 60
TIMEOUT_MS = 600_000  # per query: mutex_misuse's depth-24 query takes ~270 s
STEP_MIN_MS = 200
STEP_SHARE = 0.25
HOUDINI_SHARE = 0.5  # of max_seconds, for proving the step case's lemmas
LEMMAS_FROM = 3  # the depth from which they are proved: small systems close before
STRENGTHENED_STEP_MS = 5_000  # least time of a step query that assumes them
LIVENESS_REASON = "liveness is decided by the explicit engine"
Property = str | ast.Invariant  # a library property by name, or a spec's invariant


@dataclass(frozen=True, slots=True)
class SymbolicResult(PropertyResult):
    """A PropertyResult that also says how it was decided: the proof of a `holds`, the
    depth BMC covered for an `unknown`."""

    engine: str = "symbolic"
    proof: str | None = None
    bounded: int | None = None

    def to_json(self) -> dict[str, object]:
        out = PropertyResult.to_json(self)
        if self.proof is not None:
            out["proof"] = self.proof
        if self.bounded is not None:
            out["bounded"] = self.bounded
        return out


def properties_of(spec: ast.Spec, machine: Machine, only: tuple[str, ...] = ()
                  ) -> list[Property]:
    """The spec's properties in `props.library.properties_for`'s order and validation."""
    invariants = {i.name: i for i in spec.invariants}
    return [invariants.get(p.name, p.name)
            for p in properties_for(spec, machine, only)]


@dataclass(slots=True)
class _Open:
    """A safety property still being decided; `bad` memoizes its predicate per frame."""

    name: str
    predicate: Callable[[Frame], Cond]
    explicit: SafetyProperty
    memo: dict[int, tuple[Frame, Cond]] = field(default_factory=dict)

    def bad(self, x: Frame) -> Cond:
        hit = self.memo.get(id(x))
        if hit is None:
            hit = self.memo[id(x)] = (x, self.predicate(x))  # keeps x alive: ids stay unique
        return hit[1]


def check_symbolic(machine: Machine, properties: Sequence[Property], *, depth: int = DEPTH,
                   max_seconds: float | None = None,
                   timeout_ms: int = TIMEOUT_MS) -> ExploreResult:
    """Decide each property by BMC up to `depth` steps and k-induction."""
    started = time.perf_counter()
    deadline = started + max_seconds if max_seconds is not None else float("inf")
    names = [p if isinstance(p, str) else p.name for p in properties]
    done: dict[str, SymbolicResult] = {}
    safety: list[Property] = []
    for p in properties:
        reason = _not_symbolic(p)
        if reason is None:
            safety.append(p)
        else:
            done[p] = SymbolicResult(p, "unknown", reason=reason)  # type: ignore[index]
    try:
        t = Transition(machine, deadline if max_seconds is not None else None)
    except (Unsupported, OutOfTime) as err:
        why = str(err) if isinstance(err, Unsupported) else \
            f"time limit of {max_seconds:g} s reached while building the transition relation"
        for p in safety:
            name = p if isinstance(p, str) else p.name
            done[name] = SymbolicResult(name, "unknown", reason=why)
        return _result(names, done, started, 0, why)
    todo = [_open(p, machine, t) for p in safety]
    run = Unrolling(t, "x")
    bmc, forward = Bmc(machine, t, run), Forward(machine, t, run)
    induction = Induction(t, Unrolling(t, "y"))
    lemmas_tried = False
    proving = True  # the forward check still runs
    step_spent = 0.0  # seconds in step-case queries
    stop: str | None = None

    def budget() -> int | None:
        left = deadline - time.perf_counter()
        return None if left <= 0 else int(min(timeout_ms, left * 1000))

    while todo:
        k = bmc.depth
        began = time.perf_counter()
        for prop in list(todo):
            ms = budget()
            if ms is None:
                break
            result, model = bmc.find(prop.bad(run.frame(k)), ms)
            if result == z3.sat:
                todo.remove(prop)
                done[prop.name] = _violated(prop, bmc, model)  # type: ignore[arg-type]
            elif result == z3.unknown:
                if budget() is None:
                    break  # the time limit, not this query: reported below
                todo.remove(prop)
                done[prop.name] = _unknown(prop.name, k - 1, f"z3 gave up at depth {k} "
                                           f"({bmc.solver.reason_unknown()})")
        ms = budget()
        if todo and proving and ms is not None:
            exhausted = forward.exhausted(ms)
            if exhausted == z3.unsat:
                for prop in todo:
                    done[prop.name] = SymbolicResult(prop.name, "holds",
                                                     proof=f"k-induction, k={k}")
                todo = []
            proving = exhausted == z3.sat
        # The step case must not starve the checks that find counterexamples and close
        # small systems: its queries of one depth share the time BMC and the forward check
        # took at it (each at least STEP_MIN_MS), and a depth skips them while they have
        # used more than STEP_SHARE of the run (z3 overshoots short timeouts).
        spent_ms = (time.perf_counter() - began) * 1000
        share = max(STEP_MIN_MS, int(spent_ms / max(len(todo), 1)))
        stepping = step_spent <= STEP_SHARE * (time.perf_counter() - started)
        if todo and stepping and not lemmas_tried and k >= LEMMAS_FROM:
            lemmas_tried = True
            _strengthen(machine, t, induction, None if max_seconds is None else min(
                deadline, time.perf_counter() + HOUDINI_SHARE * max_seconds))
        if induction.invariant is not None:  # its step queries are worth more time
            share = max(share, STRENGTHENED_STEP_MS)
        for prop in list(todo) if stepping else []:
            ms = budget()
            if ms is None:
                break
            t0 = time.perf_counter()
            step = induction.step_holds(prop.bad, min(ms, share))
            step_spent += time.perf_counter() - t0
            if step == z3.unsat:
                todo.remove(prop)
                done[prop.name] = SymbolicResult(prop.name, "holds",
                                                 proof=f"k-induction, k={k}")
        if budget() is None:
            stop = f"time limit of {max_seconds:g} s reached"
            break
        if k == depth or not todo:
            break
        bmc.extend()
        if proving:
            forward.extend()
        induction.extend()
    for prop in todo:
        covered = bmc.depth if stop is None else bmc.depth - 1
        why = stop or f"no counterexample of up to {covered} steps and no k-induction " \
                      f"proof up to k={covered}"
        done[prop.name] = _unknown(prop.name, covered, why)
    return _result(names, done, started, bmc.depth, stop)


def _strengthen(machine: Machine, t: Transition, induction: Induction,
                until: float | None) -> None:
    """Prove the lemmas by `until` (a share of the time limit: BMC must still get time to
    find counterexamples) and assume them in the step case; without them if not done."""
    with contextlib.suppress(houdini.OutOfTime):
        induction.strengthen(houdini.prove(machine, t, until))


def _not_symbolic(p: Property) -> str | None:
    """Why the symbolic engine does not decide property p (None: it does)."""
    if not isinstance(p, str):
        return None
    kind = LIBRARY[p].kind
    if kind == "liveness":
        return LIVENESS_REASON
    if kind != "safety":
        return f"{kind} properties are decided by the explicit engine"
    if p not in SAFETY:
        return f"not yet supported by the symbolic engine: property {p}"
    return None


def _open(p: Property, machine: Machine, t: Transition) -> _Open:
    layout = t.layout
    if isinstance(p, str):
        bad = SAFETY[p]
        return _Open(p, lambda x: bad(layout, x), LIBRARY[p].build(machine))  # type: ignore
    value = compile_invariant(p.expr, machine)
    return _Open(p.name, lambda x: eq(value(layout, x), 0),
                 invariant_property(p, machine, "<spec>"))


def _violated(prop: _Open, bmc: Bmc, model: z3.ModelRef) -> SymbolicResult:
    """Decode the counterexample and replay it through the explicit model."""
    steps, states = bmc.trace(model)
    try:
        replayed = replay(bmc.machine, steps)
    except ReplayError as err:
        raise Disagreement(f"{prop.name}: the symbolic counterexample does not replay: "
                           f"{err}") from err
    if replayed != states or not prop.explicit.bad(replayed[-1]):
        raise Disagreement(f"{prop.name}: the symbolic counterexample replays to other "
                           "states than the symbolic engine decoded")
    cx = Counterexample(tuple(steps), tuple(range(len(states))))
    return SymbolicResult(prop.name, "violated", counterexample=cx)


def _unknown(name: str, covered: int, why: str) -> SymbolicResult:
    return SymbolicResult(name, "unknown", reason=why, bounded=max(covered, 0))


def _result(names: list[str], done: dict[str, SymbolicResult], started: float, depth: int,
            stop: str | None) -> ExploreResult:
    stats = Stats(0, 0, time.perf_counter() - started, depth, stop)
    return ExploreResult([done[n] for n in names], stats)
