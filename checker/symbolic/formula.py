"""Invariants (the formula AST, `lang.ast.Expr`) compiled to z3 terms over one frame.

The same AST and the same observables as `props/formula.py`: names are validated by that
module (so both engines accept exactly the same invariants), and `OBSERVABLES` here has one
z3 reader per entry of `props.observables.OBSERVABLES` (a test keeps the tables equal, and
the cross-check compares their values on every explicitly reached state). Values are Ints;
comparisons and logic give 0/1; `&&`, `||`, `!` treat non-zero as true.
"""

from __future__ import annotations

from collections.abc import Callable

from gocheck.lang import ast
from gocheck.model.machine import Machine
from gocheck.model.state import (
    DEAD,
    M_UNBORN,
    NO,
    P_IDLE,
    P_RUNNING,
    P_SYSCALL,
    RUNNABLE,
    RUNNING,
    SYSCALL,
    WAITING,
)
from gocheck.props.formula import compile_expr, observable_reference
from gocheck.symbolic.layout import Frame, Layout
from gocheck.symbolic.props import live, reader
from gocheck.symbolic.values import Cond, Val, and_, as_int, eq, not_, or_, total
from gocheck.symbolic.world import World

Reader = Callable[[World, object], Val]


def _count_p(status: int) -> Reader:
    return lambda w, _a: total(as_int(eq(w.p(p, "status"), status))
                               for p in range(w.layout.cfg.procs))


def _count_g(status: int) -> Reader:
    return lambda w, _a: total(as_int(and_(live(w, g), eq(w.g(g, "status"), status)))
                               for g in range(w.layout.b.goroutines))


def _done(w: World, func: object) -> Val:
    fid = w.layout.prog.function_id(str(func))
    return as_int(and_(*(or_(not_(and_(live(w, g), eq(w.g(g, "func"), fid))),
                             eq(w.g(g, "status"), DEAD))
                         for g in range(w.layout.b.goroutines))))


def _spinning_p(w: World, p: object) -> Val:
    holder = w.p(int(p), "m")  # type: ignore[call-overload]
    return as_int(and_(not_(eq(holder, NO)), not_(eq(w.m(holder, "spinning"), 0))))


OBSERVABLES: dict[str, Reader] = {
    "procs_idle": _count_p(P_IDLE),
    "procs_running": _count_p(P_RUNNING),
    "procs_syscall": _count_p(P_SYSCALL),
    "runnable": _count_g(RUNNABLE),
    "running": _count_g(RUNNING),
    "waiting": _count_g(WAITING),
    "in_syscall": _count_g(SYSCALL),
    "spinning": lambda w, _a: total(w.m(m, "spinning") for m in range(w.layout.cfg.threads)),
    "threads": lambda w, _a: total(as_int(not_(eq(w.m(m, "state"), M_UNBORN)))
                                   for m in range(w.layout.cfg.threads)),
    "needspinning": lambda w, _a: w["needspin"],
    "main_done": lambda w, _a: w["ended"],
    "globalq": lambda w, _a: w.qlen("gq"),
    "runq": lambda w, p: w.qlen(f"p{p}.ring"),
    "runnext": lambda w, p: as_int(not_(eq(w.p(int(p), "runnext"), NO))),  # type: ignore
    "spinning_p": _spinning_p,
    "done": _done,
}

_COMPARE: dict[str, Callable[[Val, Val], Cond]] = {
    "==": eq, "!=": lambda a, b: not_(eq(a, b)), "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}
_ARITH: dict[str, Callable[[Val, Val], Val]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
}

Term = Callable[[Layout, Frame], Val]


def compile_invariant(expr: ast.Expr, machine: Machine, path: str = "<spec>") -> Term:
    """The invariant's value over a frame; raises SpecError exactly where props.formula
    does (it validates)."""
    compile_expr(expr, machine, path)
    return lambda layout, x: _value(expr, reader(layout, x))


def _value(expr: ast.Expr, w: World) -> Val:
    ref = observable_reference(expr)
    if ref is not None:
        name, arg = ref
        return OBSERVABLES[name](w, arg)
    match expr:
        case ast.IntLit(value=v):
            return v
        case ast.Unary(op="!", operand=a):
            return as_int(eq(_value(a, w), 0))
        case ast.Unary(op="-", operand=a):
            return 0 - _value(a, w)
        case ast.Binary(op="&&", left=a, right=b):
            return as_int(and_(not_(eq(_value(a, w), 0)), not_(eq(_value(b, w), 0))))
        case ast.Binary(op="||", left=a, right=b):
            return as_int(or_(not_(eq(_value(a, w), 0)), not_(eq(_value(b, w), 0))))
        case ast.Binary(op=o, left=a, right=b) if o in _COMPARE:
            return as_int(_COMPARE[o](_value(a, w), _value(b, w)))
        case ast.Binary(op=o, left=a, right=b) if o in _ARITH:
            return _ARITH[o](_value(a, w), _value(b, w))
    raise AssertionError(f"not validated: {expr!r}")  # compile_expr raised already
