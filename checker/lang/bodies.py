"""Check function bodies statement by statement, and collect their call and spawn graph.

Each statement is checked against the declarations: the object it operates on exists and
is of the right kind, its argument is in range, the value it sends is a literal or a loop
variable in scope, and a `go` statement is not inside `for { }`. The calls and spawns found
on the way are returned as edges between *units* of code: a declared function, or a
`go func() { ... }()` literal (named `f.func1`, `f.func2`, ... as Go names them), whose body
runs in the new goroutine rather than inline. `callgraph.py` looks for cycles in them.

Argument ranges (lower bounds only; how big a state space to explore is the user's call):
- `work(n)`, `spin(n)`, `syscall(n)`: n >= 1, a tick count (zero ticks would be no work,
  or a syscall that never blocks);
- `time.Sleep(n)`: n >= 0 (n is ignored, there is no clock; `Sleep(0)` is Go too);
- `for range n`, `for i := 0; i < n; i++`: n >= 0 (zero iterations, as in Go);
- `wg.Add(n)`: any n; a negative counter is a fatal error of the modelled program, found by
  `no_fatal`, not a mistake in the spec. (Channel capacities, n >= 0, are checked with
  the declarations.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from gocheck.errors import Diagnostic
from gocheck.lang import ast, codes
from gocheck.lang.vocabulary import RESERVED, VALUE_WORDS, did_you_mean

KIND_TEXT = {"chan": "channel", "mutex": "sync.Mutex", "waitgroup": "sync.WaitGroup"}
_LITERAL_VALUE = re.compile(r'-?[0-9]+|"(?:[^"\\]|\\.)*"|struct\{\}\{\}')

Names = Mapping[str, ast.VarDecl | ast.FuncDecl]


@dataclass(frozen=True, slots=True)
class Edge:
    """A call (`f()`) or a spawn (`go f()`, `go func() {...}()`) from one unit to another."""

    src: str
    dst: str
    spawn: bool
    span: ast.Span


@dataclass(slots=True)
class Graph:
    """The units of code in source order, their edges, and the calls made inside `for { }`."""

    units: list[str] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    forever_calls: list[Edge] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Ctx:
    unit: str
    scope: tuple[str, ...]              # loop variables visible here
    forever: bool                       # inside `for { }` of this goroutine


def where(span: ast.Span) -> str:
    return f"{span.line}:{span.col}"


class BodyChecker:
    """Walks every function body once; `diagnostics` and `graph` hold what it found."""

    def __init__(self, path: str, names: Names):
        self.path = path
        self.names = names
        self.diagnostics: list[Diagnostic] = []
        self.graph = Graph()
        self._literals = 0
        self._loop_vars: dict[str, ast.Span] = {}
        self._func = ""

    def report(self, span: ast.Span, code: str, message: str, notes: tuple[str, ...] = ()):
        self.diagnostics.append(Diagnostic(self.path, span, message, code, notes))

    def func(self, decl: ast.FuncDecl) -> None:
        self._func, self._literals = decl.name, 0
        self._loop_vars = {}
        _collect_loop_vars(decl.body, self._loop_vars)
        self.graph.units.append(decl.name)
        self.block(decl.body, _Ctx(decl.name, (), False))

    def block(self, block: ast.Block, ctx: _Ctx) -> None:
        for stmt in block.stmts:
            self.stmt(stmt, ctx)

    # --- one statement ----------------------------------------------------------------------

    def stmt(self, s: ast.Stmt, ctx: _Ctx) -> None:
        match s:
            case ast.Work(ticks=n) | ast.Spin(ticks=n) | ast.Syscall(ticks=n) if n < 1:
                self.report(s.span, codes.OUT_OF_RANGE,
                            f"{type(s).__name__.lower()}({n}): the number of ticks must be "
                            "at least 1")
            case ast.Sleep(duration=n) if n < 0:
                self.report(s.span, codes.OUT_OF_RANGE,
                            f"time.Sleep({n}): the duration must not be negative")
            case ast.Go():
                self.go(s, ctx)
            case ast.Send():
                self.object(s.chan, "chan", s.span)
                self.value(s.value, s.span, ctx)
            case ast.Recv(chan=c) | ast.Close(chan=c):
                self.object(c, "chan", s.span)
            case ast.Lock(mutex=m) | ast.Unlock(mutex=m):
                self.object(m, "mutex", s.span)
            case ast.WgAdd(wg=w) | ast.WgDone(wg=w) | ast.WgWait(wg=w):
                self.object(w, "waitgroup", s.span)
            case ast.Call(func=f):
                if self.function(f, s.span):
                    edge = Edge(ctx.unit, f, False, s.span)
                    self.graph.edges.append(edge)
                    if ctx.forever:
                        self.graph.forever_calls.append(edge)
            case ast.ForCount():
                if s.count < 0:
                    self.report(s.span, codes.OUT_OF_RANGE,
                                f"a loop count of {s.count}: the count must not be negative")
                self.loop(s.var, s.body, s.span, ctx)
            case ast.ForRangeChan():
                self.object(s.chan, "chan", s.span)
                self.loop(s.var, s.body, s.span, ctx)
            case ast.ForEver():
                self.block(s.body, _Ctx(ctx.unit, ctx.scope, True))
            case ast.Select():
                self.select(s, ctx)

    def go(self, s: ast.Go, ctx: _Ctx) -> None:
        if ctx.forever:
            target = f"{s.func}()" if s.func is not None else "func() { ... }()"
            self.report(s.span, codes.UNBOUNDED_GO,
                        f"go {target} inside for {{ }}: the loop would start goroutines "
                        "without bound")
        if s.func is not None:
            if self.function(s.func, s.span):
                self.graph.edges.append(Edge(ctx.unit, s.func, True, s.span))
            return
        assert s.body is not None
        self._literals += 1
        unit = f"{self._func}.func{self._literals}"
        self.graph.units.append(unit)
        self.graph.edges.append(Edge(ctx.unit, unit, True, s.span))
        self.block(s.body, _Ctx(unit, ctx.scope, False))

    def loop(self, var: str | None, body: ast.Block, span: ast.Span, ctx: _Ctx) -> None:
        if var is None:
            self.block(body, ctx)
            return
        if var in RESERVED:
            self.report(span, codes.RESERVED, f"{var} is a reserved word; "
                        "choose another name for the loop variable")
        elif var in self.names:
            decl = self.names[var]
            self.report(span, codes.DUPLICATE,
                        f"loop variable {var} shadows the {_describe(decl)} declared at "
                        f"{where(decl.span)}")
        self.block(body, _Ctx(ctx.unit, (*ctx.scope, var), ctx.forever))

    def select(self, s: ast.Select, ctx: _Ctx) -> None:
        defaults = [c for c in s.cases if c.kind == "default"]
        for extra in defaults[1:]:
            self.report(extra.span, codes.DUPLICATE,
                        f"select has more than one default case (the first is at "
                        f"{where(defaults[0].span)})")
        for case in s.cases:
            if case.chan is not None:
                self.object(case.chan, "chan", case.span)
            if case.value is not None:
                self.value(case.value, case.span, ctx)
            self.block(case.body, ctx)

    # --- names ------------------------------------------------------------------------------

    def object(self, name: str, kind: str, span: ast.Span) -> None:
        """Report unless `name` is a declared object of `kind`."""
        decl = self.names.get(name)
        if decl is None:
            same_kind = [n for n, d in self.names.items()
                         if isinstance(d, ast.VarDecl) and d.kind == kind]
            self.report(span, codes.UNDEFINED_OBJECT, f"undefined {KIND_TEXT[kind]} {name}",
                        did_you_mean(name, same_kind))
        elif not (isinstance(decl, ast.VarDecl) and decl.kind == kind):
            self.report(span, codes.WRONG_KIND,
                        f"{name} is a {_describe(decl)}, not a {KIND_TEXT[kind]}",
                        (f"{name} is declared at {where(decl.span)}",))

    def function(self, name: str, span: ast.Span) -> bool:
        """Whether `name` is a declared function; reports it when it is not."""
        decl = self.names.get(name)
        if isinstance(decl, ast.FuncDecl):
            return True
        if decl is None:
            funcs = [n for n, d in self.names.items() if isinstance(d, ast.FuncDecl)]
            self.report(span, codes.UNDEFINED_FUNC, f"undefined function {name}",
                        did_you_mean(name, funcs))
        else:
            self.report(span, codes.WRONG_KIND, f"{name} is a {_describe(decl)}, not a function",
                        (f"{name} is declared at {where(decl.span)}",))
        return False

    def value(self, value: str, span: ast.Span, ctx: _Ctx) -> None:
        """A sent value is a literal or a loop variable in scope."""
        if _LITERAL_VALUE.fullmatch(value) or value in VALUE_WORDS or value in ctx.scope:
            return
        if value in self._loop_vars:
            self.report(span, codes.LOOP_VAR_SCOPE,
                        f"{value} is used outside its loop: it is the variable of the loop at "
                        f"{where(self._loop_vars[value])} and exists only in its body")
        else:
            self.report(span, codes.UNDEFINED_VALUE,
                        f"cannot send {value}: a sent value is a literal (1, true, struct{{}}{{}}) "
                        "or a loop variable in scope")


def _describe(decl: ast.VarDecl | ast.FuncDecl) -> str:
    return "function" if isinstance(decl, ast.FuncDecl) else KIND_TEXT[decl.kind]


def _collect_loop_vars(block: ast.Block, out: dict[str, ast.Span]) -> None:
    """Every loop variable of a function (first loop wins), for the out-of-scope message."""
    for s in block.stmts:
        match s:
            case ast.ForCount(var=v, body=b) | ast.ForRangeChan(var=v, body=b):
                if v is not None:
                    out.setdefault(v, s.span)
                _collect_loop_vars(b, out)
            case ast.ForEver(body=b) | ast.Go(body=ast.Block() as b):
                _collect_loop_vars(b, out)
            case ast.Select(cases=cases):
                for case in cases:
                    _collect_loop_vars(case.body, out)
