"""Compile an invariant's expression (the AST's `Expr`) into a Python predicate over states.

The expression language is the one formula AST of the project: the symbolic engine compiles
the same AST to z3 terms. Values are ints; comparisons and logic give 0/1; `&&`, `||`, `!`
treat non-zero as true, as in the Go-like syntax the user wrote.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

from gocheck.errors import Diagnostic, SpecError
from gocheck.lang import ast
from gocheck.model.machine import Machine
from gocheck.props.observables import OBSERVABLES

Value = Callable[[tuple], int]

_BINARY: dict[str, Callable[[int, int], int]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "==": lambda a, b: int(a == b),
    "!=": lambda a, b: int(a != b),
    "<": lambda a, b: int(a < b),
    "<=": lambda a, b: int(a <= b),
    ">": lambda a, b: int(a > b),
    ">=": lambda a, b: int(a >= b),
}


def observable_reference(expr: ast.Expr) -> tuple[str, object] | None:
    """The (observable, argument) an expression names, or None if it is not one.

    Spellings: `procs_idle`; `len(globalq)`; `len(runq[i])`; `done(f)`; `runnext(i)`;
    `spinning(i)` (the P's M spins; plain `spinning` counts spinning Ms).
    """
    match expr:
        case ast.Name(name=n) if n in OBSERVABLES and OBSERVABLES[n].arg is None \
                and n != "globalq":
            return n, None
        case ast.CallExpr(func="len", args=(ast.Name(name="globalq"),)):
            return "globalq", None
        case ast.CallExpr(func="len", args=(ast.Index(base="runq", index=ast.IntLit(value=i)),)):
            return "runq", i
        case ast.CallExpr(func="done", args=(ast.Name(name=f),)):
            return "done", f
        case ast.CallExpr(func="runnext", args=(ast.IntLit(value=i),)):
            return "runnext", i
        case ast.CallExpr(func="spinning", args=(ast.IntLit(value=i),)):
            return "spinning_p", i
    return None


def reads_p_index(expr: ast.Expr) -> bool:
    """Whether an invariant expression reads a per-P observable (`len(runq[i])`,
    `runnext(i)`, `spinning(i)`): then Ps are not interchangeable for it."""
    ref = observable_reference(expr)
    if ref is not None:
        return OBSERVABLES[ref[0]].arg == "proc"
    match expr:
        case ast.Unary(operand=a):
            return reads_p_index(a)
        case ast.Binary(left=a, right=b):
            return reads_p_index(a) or reads_p_index(b)
    return False


def compile_expr(expr: ast.Expr, machine: Machine, path: str = "<spec>") -> Value:
    """A function state -> int computing `expr`; raises SpecError for what the machine
    cannot observe (an unknown name, a P index beyond `procs`, an unknown function)."""
    ref = observable_reference(expr)
    if ref is not None:
        name, arg = ref
        _check_arg(name, arg, expr, machine, path)
        read = OBSERVABLES[name].read
        return lambda s: read(machine, s, arg)
    match expr:
        case ast.IntLit(value=v):
            return lambda _s: v
        case ast.Unary(op="!", operand=a):
            fa = compile_expr(a, machine, path)
            return lambda s: int(not fa(s))
        case ast.Unary(op="-", operand=a):
            fa = compile_expr(a, machine, path)
            return lambda s: -fa(s)
        case ast.Binary(op="&&", left=a, right=b):
            fa, fb = compile_expr(a, machine, path), compile_expr(b, machine, path)
            return lambda s: int(bool(fa(s)) and bool(fb(s)))
        case ast.Binary(op="||", left=a, right=b):
            fa, fb = compile_expr(a, machine, path), compile_expr(b, machine, path)
            return lambda s: int(bool(fa(s)) or bool(fb(s)))
        case ast.Binary(op=o, left=a, right=b) if o in _BINARY:
            fa, fb, f = compile_expr(a, machine, path), compile_expr(b, machine, path), _BINARY[o]
            return lambda s: f(fa(s), fb(s))
    raise SpecError([Diagnostic(path, expr.span, "not an observable or operator of the "
                                "invariant language", "GOS230")])


def _check_arg(name: str, arg: object, expr: ast.Expr, machine: Machine, path: str) -> None:
    kind = OBSERVABLES[name].arg
    if kind == "proc" and not 0 <= int(arg) < machine.cfg.procs:  # type: ignore[call-overload]
        raise SpecError([Diagnostic(path, expr.span, f"P index {arg} out of range: the "
                                    f"machine has procs = {machine.cfg.procs}", "GOS231")])
    if kind == "func" and arg not in {f.name for f in machine.prog.functions}:
        raise SpecError([Diagnostic(path, expr.span, f"done({arg}): no goroutine ever runs "
                                    f"function {arg}", "GOS232")])
