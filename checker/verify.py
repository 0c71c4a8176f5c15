"""The `verify` pipeline: spec file -> checked AST -> machine -> properties -> engine result.

This is the one place that wires the stations together; the CLI and tests call it, and it
prints nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from gocheck.explore.deadvalues import DeadValues, compose
from gocheck.explore.engine import ExploreResult, explore, replay
from gocheck.explore.livelock import GraphProperty, decide
from gocheck.explore.por import PartialOrder
from gocheck.explore.result import PropertyResult, Stats
from gocheck.explore.store import StateStore
from gocheck.explore.symmetry import Quotient, concretize
from gocheck.lang import ast
from gocheck.lang.check import check_or_raise
from gocheck.lang.machine_keys import with_runtime
from gocheck.lang.parser import parse_file
from gocheck.model.config import machine_config
from gocheck.model.machine import Machine
from gocheck.model.program import compile_program
from gocheck.model.symmetry import canonical, canonical_ps
from gocheck.model.system import TransitionSystem
from gocheck.props.formula import reads_p_index
from gocheck.props.library import LIBRARY, LivenessProperty, SafetyProperty, properties_for


@dataclass(frozen=True, slots=True)
class Limits:
    """What the search may spend. `workers`: processes for the explicit search
    (explore/parallel.py: the same verdicts, states and counterexamples as one, with or
    without symmetry and partial-order reduction); with hash compaction the search runs in
    one process."""

    max_states: int | None = None
    max_seconds: float | None = None
    workers: int = 1


@dataclass(frozen=True, slots=True)
class Reductions:
    """State-space reductions to apply; each keeps every verdict it is applied to.

    symmetry: explore one state per class of states that differ only in the names of Ms,
    of goroutines of one function in the same local state, and of Ps unless a checked
    invariant reads a P by index (`runq[i]`, `runnext(i)`, `spinning(i)`); model/symmetry.py
    argues why the rules treat them alike. Safety properties only: a run that checks a
    liveness property explores the full graph.
    por: partial-order reduction, expanding a state through an ample set (explore/por.py;
    safety properties only, like symmetry).
    dead_values: forget the schedtick and time-slice values no rule will read before they
    are overwritten (explore/deadvalues.py argues the bisimulation); safety properties
    only, like symmetry.
    hash_compact: keep a `hash_bits`-bit digest per state instead of its bytes (store.py):
    a `holds` then says the probability that a state was missed (not with graph
    properties, which read states back).
    """

    symmetry: bool = False
    por: bool = False
    hash_compact: bool = False
    hash_bits: int = 64
    dead_values: bool = False


@dataclass(frozen=True, slots=True)
class Engine:
    """Which engine decides the verdicts (engines.py): "explicit" (enumerate states),
    "symbolic" (z3: BMC up to `depth` steps and k-induction, for safety properties; the
    explicit engine still decides liveness) or "both" (each decides, they must agree).
    `depth` None is the symbolic engine's default bound."""

    kind: str = "explicit"
    depth: int | None = None


@dataclass(frozen=True, slots=True)
class Verification:
    """What `verify` found for one spec: the engine's result and the machine it ran on;
    `symbolic` is the symbolic engine's statistics when it ran (`result.stats` are then the
    explicit engine's, zero when it decided nothing)."""

    spec: ast.Spec
    machine: Machine
    result: ExploreResult
    reduced_by: tuple[str, ...] = ()
    symbolic: Stats | None = None
    renamed: tuple[str, ...] = ()  # what symmetry renamed: ("M", "G") or ("M", "G", "P")
    not_applied: tuple[str, ...] = ()  # requested reductions left out, each with why

    def states_of(self, steps: tuple) -> list[tuple]:
        """The states a counterexample passes through (replayed through the model)."""
        return replay(self.machine, list(steps))


def build(spec: ast.Spec) -> Machine:
    """Check and compile a parsed spec (SpecError on bad input)."""
    check_or_raise(spec)
    return Machine(compile_program(spec), machine_config(spec))


def load(path: str, runtime: str | None = None) -> tuple[ast.Spec, Machine]:
    """Parse, check and compile a spec file (SpecError/InputError on bad input); `runtime`
    names a Go version preset (`runtime = "go1.16"`) that the spec's own keys override."""
    spec = parse_file(path)
    spec = spec if runtime is None else with_runtime(spec, runtime)
    return spec, build(spec)


def verify(path: str, *, properties: tuple[str, ...] = (), limits: Limits = Limits(),
           reductions: Reductions = Reductions(),
           progress: Callable[..., None] | None = None,
           runtime: str | None = None, engine: Engine = Engine()) -> Verification:
    """Verify a spec file (see `verify_spec`), on a Go version's preset if `runtime`."""
    return verify_spec(load(path, runtime)[0], properties=properties, limits=limits,
                       reductions=reductions, progress=progress, engine=engine)


def verify_spec(spec: ast.Spec, *, properties: tuple[str, ...] = (),
                limits: Limits = Limits(), reductions: Reductions = Reductions(),
                progress: Callable[..., None] | None = None,
                engine: Engine = Engine()) -> Verification:
    """Explore a parsed spec and decide its properties (its own, the defaults, or `only`)."""
    return verify_machine(spec, build(spec), properties=properties, limits=limits,
                          reductions=reductions, progress=progress, engine=engine)


def verify_machine(spec: ast.Spec, machine: Machine, *, properties: tuple[str, ...] = (),
                   limits: Limits = Limits(), reductions: Reductions = Reductions(),
                   progress: Callable[..., None] | None = None,
                   engine: Engine = Engine()) -> Verification:
    """Decide the spec's properties on a given machine (the spec's own, or one with some
    machine keys changed, as `gocheck explain` tries)."""
    if engine.kind != "explicit":
        from gocheck import engines  # loads z3 only when asked for

        def explicit(names: tuple[str, ...]) -> Verification:
            return verify_machine(spec, machine, properties=names, limits=limits,
                                  reductions=reductions, progress=progress)

        return engines.run(spec, machine, properties, engine, limits.max_seconds, explicit)
    props = properties_for(spec, machine, properties)
    safety = [p for p in props if isinstance(p, SafetyProperty)]
    liveness = [p for p in props if isinstance(p, LivenessProperty)]
    graphs = [p for p in props if isinstance(p, GraphProperty)]
    symmetric = reductions.symmetry and not liveness and not graphs
    por = reductions.por and not liveness and not graphs
    compact = reductions.hash_compact and not graphs
    dead = reductions.dead_values and not liveness and not graphs
    with_ps = symmetric and not _reads_p_index(spec, safety)
    form = compose(DeadValues(machine) if dead else None,
                   (canonical_ps if with_ps else canonical) if symmetric else None)
    system: TransitionSystem = machine
    if por:
        library = [p.name for p in safety if p.name in LIBRARY]
        system = PartialOrder(machine, form, library=library,
                              invariants=len(library) < len(safety))
    elif form is not None:
        system = Quotient(machine, form)
    store = StateStore(reductions.hash_bits) if compact else None
    workers = 1 if store is not None else limits.workers
    result = explore(system, safety, liveness, max_states=limits.max_states,
                     max_seconds=limits.max_seconds, progress=progress, store=store,
                     workers=workers)
    result.properties += [decide(p, result) for p in graphs]
    if form is not None:
        result.properties[:] = [_concrete(r, machine, result, form)
                                for r in result.properties]
    if store is not None:
        result.properties[:] = [_probabilistic(r, store) for r in result.properties]
    order = {p.name: i for i, p in enumerate(props)}
    result.properties.sort(key=lambda r: order[r.name])
    used = (("symmetry", symmetric), ("dead-values", dead), ("por", por),
            ("hash-compaction", compact))
    renamed = ("M", "G", "P") if with_ps else ("M", "G") if symmetric else ()
    return Verification(spec, machine, result, tuple(name for name, on in used if on),
                        renamed=renamed,
                        not_applied=_not_applied(reductions, liveness + graphs, graphs)
                        + _one_process(limits, compact))


def _one_process(limits: Limits, compact: bool) -> tuple[str, ...]:
    """Why asked-for workers did not run: the hash-compacted store lives in one process."""
    if compact and limits.workers > 1:
        return (f"workers: {limits.workers} asked, one ran (hash compaction runs in one "
                "process)",)
    return ()


def _not_applied(reductions: Reductions, full_graph: list, read_back: list
                 ) -> tuple[str, ...]:
    """The requested reductions this run leaves out, and why: a user who asked for one must
    not read the full search's figures as the reduced one's."""
    def named(props: list) -> str:
        return ", ".join(p.name for p in props)

    out = [f"{name}: not with {named(full_graph)} (liveness and graph properties explore "
           "the full state graph)"
           for name, on in (("symmetry", reductions.symmetry), ("por", reductions.por),
                            ("dead-values", reductions.dead_values))
           if on and full_graph]
    if reductions.hash_compact and read_back:
        out.append(f"hash-compaction: not with {named(read_back)} (graph properties read "
                   "the states back)")
    return tuple(out)


def _reads_p_index(spec: ast.Spec, safety: list[SafetyProperty]) -> bool:
    """Whether a checked invariant reads some P by its index (the library reads none)."""
    invariants = {i.name: i.expr for i in spec.invariants}
    return any(reads_p_index(invariants[p.name]) for p in safety
               if p.name not in LIBRARY and p.name in invariants)


def _concrete(r: PropertyResult, machine: Machine, result: ExploreResult,
              canon: Callable[[tuple], tuple]) -> PropertyResult:
    """Map a counterexample over canonical states back to a run of the machine; its state
    ids still name the (canonical) states of the reduced graph."""
    cx = r.counterexample
    if cx is None or result.graph is None:
        return r
    classes = replay(Quotient(machine, canon), cx.steps)  # no decode: hash compaction
    steps = tuple(concretize(machine, canon, classes))
    return replace(r, counterexample=replace(cx, steps=steps))


def _probabilistic(r: PropertyResult, store: StateStore) -> PropertyResult:
    """A verdict other than a (replayable) violation, qualified by hash compaction's odds of
    having missed a state."""
    if r.verdict == "violated":
        return r
    odds = (f"probabilistic: {store.hash_bits}-bit hash compaction may have missed a state, "
            f"probability <= {store.miss_probability():.1e}")
    return replace(r, reason=odds if r.reason is None else f"{r.reason}; {odds}")
