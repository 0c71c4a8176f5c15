"""Random small specs for the engine comparisons: the language issue's generator, with the
machine's thread limit pinned to procs (each M multiplies the symbolic rules instantiated
per M, so this keeps z3 quick, and it makes the thread-limit fatal error reachable often)."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import strategies as st
from strategies import Sizes, specs

from gocheck.lang import ast
from gocheck.props.library import LIBRARY

SIZES = Sizes(max_funcs=2, max_depth=1, max_stmts=3, procs=(1, 2), max_go=2)
SAFETY = tuple(name for name, entry in LIBRARY.items() if entry.kind == "safety")


def lean(spec: ast.Spec) -> ast.Spec:
    """The spec with `threads = procs`."""
    old = spec.machine
    entries = tuple(e for e in (old.entries if old else ()) if e.key != "threads")
    procs = next((e.value for e in entries if e.key == "procs"), 2)
    machine = ast.Machine((*entries, ast.MachineEntry("threads", procs)))
    return replace(spec, items=(machine, *(i for i in spec.items if i is not old)))


def small_specs() -> st.SearchStrategy[ast.Spec]:
    return specs(SIZES).map(lean)


def safety_names(spec: ast.Spec) -> tuple[str, ...]:
    """Every safety property of the library, and the spec's invariants."""
    return SAFETY + tuple(i.name for i in spec.invariants)
