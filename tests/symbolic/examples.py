"""The examples under both engines: explicit safety verdicts (complete searches) and the
symbolic engine's, side by side."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from gocheck.explore.engine import SafetyProperty
from gocheck.explore.result import PropertyResult
from gocheck.lang import ast
from gocheck.model.machine import Machine
from gocheck.props.library import properties_for
from gocheck.symbolic.engine import SymbolicResult, check_symbolic, properties_of
from gocheck.verify import load, verify_machine

EXAMPLES = Path(__file__).parents[2] / "spec" / "examples"
ALL = sorted(p.stem for p in EXAMPLES.glob("*.gos"))


@cache
def loaded(name: str) -> tuple[ast.Spec, Machine]:
    return load(str(EXAMPLES / f"{name}.gos"))


@cache
def safety(name: str) -> tuple[Machine, dict[str, SafetyProperty], dict[str, PropertyResult]]:
    """The example's machine, its safety properties and their explicit results."""
    spec, machine = loaded(name)
    props = {p.name: p for p in properties_for(spec, machine)
             if isinstance(p, SafetyProperty)}
    explicit = verify_machine(spec, machine, properties=tuple(props)).result.properties
    return machine, props, {r.name: r for r in explicit}


@cache
def symbolic(name: str, **limits: float) -> list[SymbolicResult]:
    """The symbolic engine's results (computed once per example and limits)."""
    spec, machine = loaded(name)
    _, props, _ = safety(name)
    result = check_symbolic(machine, properties_of(spec, machine, tuple(props)), **limits)
    return result.properties  # type: ignore[return-value]
