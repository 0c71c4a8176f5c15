"""AST of the spec language: frozen dataclasses that carry source spans.

The AST is syntactic: it says what was written, not whether it makes sense (the checker in
`lang/check.py` decides that). Every node has a `span`; equality ignores it (`compare=False`),
so `parse(fmt(x)) == parse(x)` is plain `==`. Text that only matters for printing (the value
sent on a channel, a channel's element type, the spelling of a loop) is kept so `fmt` can
reproduce it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    """1-based line and column of a node's first and last character (end is exclusive)."""

    line: int
    col: int
    end_line: int
    end_col: int


NO_SPAN = Span(1, 1, 1, 1)


def _span() -> Span:
    return field(default=NO_SPAN, compare=False, repr=False)


# --- expressions (invariants only) ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IntLit:
    value: int
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Name:
    """An observable such as `procs_idle` or `main_done`."""

    name: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Index:
    """`base[index]`, as in `runq[0]`."""

    base: str
    index: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class CallExpr:
    """`func(args)`, as in `len(globalq)`, `len(runq[1])`, `done(worker)`."""

    func: str
    args: tuple[Expr, ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "!" or "-"
    operand: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # + - * == != < <= > >= && ||
    left: Expr
    right: Expr
    span: Span = _span()


Expr = IntLit | Name | Index | CallExpr | Unary | Binary


# --- statements ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Work:
    """`work(n)`: n ticks of CPU work made of calls (safe points between ticks)."""

    ticks: int
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Spin:
    """`spin(n)`: n ticks of a call-free loop (no cooperative safe point)."""

    ticks: int
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Syscall:
    """`syscall(n)` or `syscall(n, block)`."""

    ticks: int
    block: bool = False
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class NetRead:
    """`netread()`: park on the netpoller."""

    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Sleep:
    """`time.Sleep(n)`: park on a timer (n is kept for printing; there is no clock)."""

    duration: int
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Go:
    """`go f()` (func set) or `go func() { ... }()` (body set)."""

    func: str | None = None
    body: Block | None = None
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Send:
    """`ch <- value`; the value's text is kept only for printing."""

    chan: str
    value: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Recv:
    """`<-ch` as a statement."""

    chan: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Close:
    chan: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Lock:
    mutex: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Unlock:
    mutex: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class WgAdd:
    wg: str
    delta: int
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class WgDone:
    wg: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class WgWait:
    wg: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Gosched:
    """`runtime.Gosched()`."""

    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Call:
    """`f()`: run a spec function's body inline."""

    func: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Return:
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class ForCount:
    """`for range n { }` (var None, counted False) or `for i := 0; i < n; i++ { }`."""

    count: int
    body: Block
    var: str | None = None
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class ForRangeChan:
    """`for range ch { }` or `for v := range ch { }` (var kept for printing)."""

    chan: str
    body: Block
    var: str | None = None
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class ForEver:
    """`for { }`."""

    body: Block
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class SelectCase:
    """One arm of a select: kind is "send", "recv" or "default"."""

    kind: str
    chan: str | None
    value: str | None
    body: Block
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Select:
    cases: tuple[SelectCase, ...]
    span: Span = _span()


Stmt = (
    Work | Spin | Syscall | NetRead | Sleep | Go | Send | Recv | Close | Lock | Unlock
    | WgAdd | WgDone | WgWait | Gosched | Call | Return | ForCount | ForRangeChan | ForEver
    | Select
)


@dataclass(frozen=True, slots=True)
class Block:
    stmts: tuple[Stmt, ...]
    span: Span = _span()


# --- top level -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MachineEntry:
    """`key = value`; value is an int, a bare word (`on`, `async`) or a string (`"go1.13"`)."""

    key: str
    value: int | str
    quoted: bool = False
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Machine:
    entries: tuple[MachineEntry, ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class VarDecl:
    """`var wg sync.WaitGroup`, `var mu sync.Mutex`, `var ch = make(chan T[, cap])`.

    kind is "waitgroup", "mutex" or "chan"; capacity is set for channels only.
    """

    name: str
    kind: str
    capacity: int | None = None
    elem_type: str | None = None
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class FuncDecl:
    name: str
    body: Block
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Check:
    """`check NAME`."""

    name: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Invariant:
    """`invariant NAME { expr }`."""

    name: str
    expr: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment, kept so `fmt` can put it back where it was."""

    text: str
    span: Span = _span()


TopLevel = Machine | VarDecl | FuncDecl | Check | Invariant


@dataclass(frozen=True, slots=True)
class Spec:
    """A whole `.gos` file: its top-level items in source order, and its comments."""

    items: tuple[TopLevel, ...]
    comments: tuple[Comment, ...] = field(default=(), compare=False)
    path: str = field(default="<spec>", compare=False)

    @property
    def machine(self) -> Machine | None:
        return next((i for i in self.items if isinstance(i, Machine)), None)

    @property
    def decls(self) -> tuple[VarDecl, ...]:
        return tuple(i for i in self.items if isinstance(i, VarDecl))

    @property
    def funcs(self) -> tuple[FuncDecl, ...]:
        return tuple(i for i in self.items if isinstance(i, FuncDecl))

    @property
    def checks(self) -> tuple[Check, ...]:
        return tuple(i for i in self.items if isinstance(i, Check))

    @property
    def invariants(self) -> tuple[Invariant, ...]:
        return tuple(i for i in self.items if isinstance(i, Invariant))
