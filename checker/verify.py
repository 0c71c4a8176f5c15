"""The `verify` pipeline: spec file -> checked AST -> machine -> properties -> engine result.

This is the one place that wires the stations together; the CLI and tests call it, and it
prints nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gocheck.explore.engine import ExploreResult, explore, replay
from gocheck.lang import ast
from gocheck.lang.check import check_or_raise
from gocheck.lang.parser import parse_file
from gocheck.model.config import machine_config
from gocheck.model.machine import Machine
from gocheck.model.program import compile_program
from gocheck.props.library import LivenessProperty, SafetyProperty, properties_for


@dataclass(frozen=True, slots=True)
class Limits:
    max_states: int | None = None
    max_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class Verification:
    """What `verify` found for one spec: the engine's result and the machine it ran on."""

    spec: ast.Spec
    machine: Machine
    result: ExploreResult

    def states_of(self, steps: tuple) -> list[tuple]:
        """The states a counterexample passes through (replayed through the model)."""
        return replay(self.machine, list(steps))


def build(spec: ast.Spec) -> Machine:
    """Check and compile a parsed spec (SpecError on bad input)."""
    check_or_raise(spec)
    return Machine(compile_program(spec), machine_config(spec))


def load(path: str) -> tuple[ast.Spec, Machine]:
    """Parse, check and compile a spec file (SpecError/InputError on bad input)."""
    spec = parse_file(path)
    return spec, build(spec)


def verify(path: str, *, properties: tuple[str, ...] = (), limits: Limits = Limits(),
           progress: Callable[..., None] | None = None) -> Verification:
    """Verify a spec file (see `verify_spec`)."""
    return verify_spec(parse_file(path), properties=properties, limits=limits,
                       progress=progress)


def verify_spec(spec: ast.Spec, *, properties: tuple[str, ...] = (),
                limits: Limits = Limits(),
                progress: Callable[..., None] | None = None) -> Verification:
    """Explore a parsed spec and decide its properties (its own, the defaults, or `only`)."""
    machine = build(spec)
    props = properties_for(spec, machine, properties)
    result = explore(
        machine,
        [p for p in props if isinstance(p, SafetyProperty)],
        [p for p in props if isinstance(p, LivenessProperty)],
        max_states=limits.max_states,
        max_seconds=limits.max_seconds,
        progress=progress,
    )
    order = {p.name: i for i, p in enumerate(props)}
    result.properties.sort(key=lambda r: order[r.name])
    return Verification(spec, machine, result)
