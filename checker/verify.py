"""The `verify` pipeline: spec file -> checked AST -> machine -> properties -> engine result.

This is the one place that wires the stations together; the CLI and tests call it, and it
prints nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from gocheck.explore.engine import ExploreResult, explore, replay
from gocheck.explore.livelock import GraphProperty, decide
from gocheck.explore.result import PropertyResult
from gocheck.explore.symmetry import Quotient, concretize
from gocheck.lang import ast
from gocheck.lang.check import check_or_raise
from gocheck.lang.machine_keys import with_runtime
from gocheck.lang.parser import parse_file
from gocheck.model.config import machine_config
from gocheck.model.machine import Machine
from gocheck.model.program import compile_program
from gocheck.model.symmetry import canonical
from gocheck.props.library import LivenessProperty, SafetyProperty, properties_for


@dataclass(frozen=True, slots=True)
class Limits:
    max_states: int | None = None
    max_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class Reductions:
    """State-space reductions to apply; each keeps every verdict it is applied to.

    symmetry: explore one state per class of states that differ only in M names (safety
    properties only: a run that checks a liveness property explores the full graph).
    """

    symmetry: bool = False


@dataclass(frozen=True, slots=True)
class Verification:
    """What `verify` found for one spec: the engine's result and the machine it ran on."""

    spec: ast.Spec
    machine: Machine
    result: ExploreResult
    reduced_by: tuple[str, ...] = ()

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
           runtime: str | None = None) -> Verification:
    """Verify a spec file (see `verify_spec`), on a Go version's preset if `runtime`."""
    return verify_spec(load(path, runtime)[0], properties=properties, limits=limits,
                       reductions=reductions, progress=progress)


def verify_spec(spec: ast.Spec, *, properties: tuple[str, ...] = (),
                limits: Limits = Limits(), reductions: Reductions = Reductions(),
                progress: Callable[..., None] | None = None) -> Verification:
    """Explore a parsed spec and decide its properties (its own, the defaults, or `only`)."""
    return verify_machine(spec, build(spec), properties=properties, limits=limits,
                          reductions=reductions, progress=progress)


def verify_machine(spec: ast.Spec, machine: Machine, *, properties: tuple[str, ...] = (),
                   limits: Limits = Limits(), reductions: Reductions = Reductions(),
                   progress: Callable[..., None] | None = None) -> Verification:
    """Decide the spec's properties on a given machine (the spec's own, or one with some
    machine keys changed, as `gocheck explain` tries)."""
    props = properties_for(spec, machine, properties)
    safety = [p for p in props if isinstance(p, SafetyProperty)]
    liveness = [p for p in props if isinstance(p, LivenessProperty)]
    graphs = [p for p in props if isinstance(p, GraphProperty)]
    symmetric = reductions.symmetry and not liveness and not graphs
    system = Quotient(machine, canonical) if symmetric else machine
    result = explore(system, safety, liveness, max_states=limits.max_states,
                     max_seconds=limits.max_seconds, progress=progress)
    result.properties += [decide(p, result) for p in graphs]
    if symmetric:
        result.properties[:] = [_concrete(r, machine, result) for r in result.properties]
    order = {p.name: i for i, p in enumerate(props)}
    result.properties.sort(key=lambda r: order[r.name])
    return Verification(spec, machine, result, ("symmetry",) if symmetric else ())


def _concrete(r: PropertyResult, machine: Machine, result: ExploreResult) -> PropertyResult:
    """Map a counterexample over canonical states back to a run of the machine; its state
    ids still name the (canonical) states of the reduced graph."""
    cx = r.counterexample
    if cx is None or result.graph is None:
        return r
    classes = [result.graph.decode(sid) for sid in cx.states]
    steps = tuple(concretize(machine, canonical, classes))
    return replace(r, counterexample=replace(cx, steps=steps))
