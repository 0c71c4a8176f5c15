"""Check invariant expressions: observables exist, and integers and booleans are not mixed.

Types are Go's, reduced to two: observables and arithmetic are integers, comparisons,
`done(f)` and `main_done` are booleans, and an invariant must be a boolean. An operand that
already failed has no type and raises no second error about the same mistake.
"""

from __future__ import annotations

from collections.abc import Set

from gocheck.errors import Diagnostic
from gocheck.lang import ast, codes
from gocheck.lang.vocabulary import (
    BOOL_OBSERVABLES,
    INT_OBSERVABLES,
    OBSERVABLE_FUNCS,
    PER_P_FLAGS,
    QUEUES,
    did_you_mean,
)

INT, BOOL = "integer", "boolean"
_ARITH = frozenset({"+", "-", "*"})
_ORDER = frozenset({"<", "<=", ">", ">="})
_LOGIC = frozenset({"&&", "||"})


def _a(kind: str) -> str:
    return f"an {kind}" if kind == INT else f"a {kind}"


class ExprChecker:
    """Types one invariant's expression; `diagnostics` holds what is wrong with it."""

    def __init__(self, path: str, funcs: Set[str], procs: int):
        self.path = path
        self.funcs = funcs
        self.procs = procs
        self.diagnostics: list[Diagnostic] = []

    def report(self, node: ast.Expr, code: str, message: str, notes: tuple[str, ...] = ()):
        self.diagnostics.append(Diagnostic(self.path, node.span, message, code, notes))

    def invariant(self, inv: ast.Invariant) -> None:
        if self.type(inv.expr) == INT:
            self.report(inv.expr, codes.TYPE_MISMATCH,
                        f"invariant {inv.name} is an integer; it must be a condition "
                        "(compare it with something)")

    def type(self, e: ast.Expr) -> str | None:
        match e:
            case ast.IntLit():
                return INT
            case ast.Name(name=n):
                return self.name(e, n)
            case ast.Index(base=b):
                self.report(e, codes.UNKNOWN_OBSERVABLE,
                            f"{b}[...] is a queue; its length is len({b}[...])")
                return None
            case ast.CallExpr():
                return self.call(e)
            case ast.Unary(op=op, operand=x):
                want = BOOL if op == "!" else INT
                return want if self.expect(self.type(x), want, x, f"operator {op}") else None
            case ast.Binary():
                return self.binary(e)
        raise AssertionError(f"not an expression: {e!r}")

    def expect(self, got: str | None, want: str, node: ast.Expr, who: str) -> bool:
        if got is not None and got != want:
            self.report(node, codes.TYPE_MISMATCH, f"{who} needs {_a(want)}, not {_a(got)}")
            return False
        return got is not None

    def name(self, e: ast.Name, n: str) -> str | None:
        if n in INT_OBSERVABLES:
            return INT
        if n in BOOL_OBSERVABLES:
            return BOOL
        if n in QUEUES:
            self.report(e, codes.UNKNOWN_OBSERVABLE, f"{n} is a queue; its length is len({n})")
        else:
            self.report(e, codes.UNKNOWN_OBSERVABLE, f"unknown observable {n}",
                        did_you_mean(n, (*INT_OBSERVABLES, *BOOL_OBSERVABLES)))
        return None

    def call(self, e: ast.CallExpr) -> str | None:
        if e.func not in OBSERVABLE_FUNCS:
            self.report(e, codes.UNKNOWN_OBSERVABLE,
                        f"unknown function {e.func}() in an invariant: only len(globalq), "
                        "len(runq[i]), done(f), runnext(i) and spinning(i) read the state")
            return None
        arg = e.args[0] if len(e.args) == 1 else None
        if e.func in PER_P_FLAGS:
            return self.per_p(e, arg)
        if e.func == "done":
            if not isinstance(arg, ast.Name):
                self.report(e, codes.UNKNOWN_OBSERVABLE, "done() takes one function name")
                return None
            if arg.name not in self.funcs:
                self.report(arg, codes.UNDEFINED_FUNC, f"undefined function {arg.name}",
                            did_you_mean(arg.name, self.funcs))
                return None
            return BOOL
        match arg:
            case ast.Name(name="globalq"):
                return INT
            case ast.Index(base="runq", index=ast.IntLit(value=i)):
                if 0 <= i < self.procs:
                    return INT
                self.report(arg, codes.UNKNOWN_OBSERVABLE,
                            f"runq[{i}] does not exist: with procs = {self.procs} the queues "
                            f"are runq[0] to runq[{self.procs - 1}]")
            case ast.Index(base="runq"):
                self.report(arg, codes.UNKNOWN_OBSERVABLE,
                            "the index of runq must be an integer literal")
            case _:
                self.report(e, codes.UNKNOWN_OBSERVABLE,
                            "len() takes globalq or runq[i]")
        return None

    def per_p(self, e: ast.CallExpr, arg: ast.Expr | None) -> str | None:
        """runnext(i), spinning(i): a flag (0/1) of P i, i an integer literal below procs."""
        if not isinstance(arg, ast.IntLit):
            self.report(e, codes.UNKNOWN_OBSERVABLE,
                        f"{e.func}() takes one P index, an integer literal")
            return None
        if not 0 <= arg.value < self.procs:
            self.report(arg, codes.UNKNOWN_OBSERVABLE,
                        f"P {arg.value} does not exist: with procs = {self.procs} the Ps are "
                        f"0 to {self.procs - 1}")
            return None
        return INT

    def binary(self, e: ast.Binary) -> str | None:
        left, right = self.type(e.left), self.type(e.right)
        who = f"operator {e.op}"
        if e.op in _ARITH or e.op in _ORDER:
            ok = self.expect(left, INT, e.left, who) & self.expect(right, INT, e.right, who)
            return (INT if e.op in _ARITH else BOOL) if ok else None
        if e.op in _LOGIC:
            ok = self.expect(left, BOOL, e.left, who) & self.expect(right, BOOL, e.right, who)
            return BOOL if ok else None
        if left is not None and right is not None and left != right:
            self.report(e, codes.TYPE_MISMATCH,
                        f"operator {e.op} compares {_a(left)} with {_a(right)}")
            return None
        return BOOL if left is not None and right is not None else None
