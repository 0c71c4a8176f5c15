"""The canonical form of a spec, as gofmt gives Go code one.

Layout: one statement a line, indented by four spaces a level (as language.md writes
specs), a space around every binary operator and `=`, braces as Go has them, parentheses
only where precedence needs them. An empty body prints as `{}`. Top-level items are
separated by a blank line, except consecutive `var`, `check` or `invariant` lines, which
keep together unless the source separated them; inside blocks, a blank line of the source
is kept (several become one) except right after `{` and before `}`.

Comments stay where they were, by position in the source:
- a comment before a statement or item goes on its own line(s) above it;
- a comment after a statement on the same line stays there, and the trailing comments of
  consecutive lines are aligned one column after the longest of those lines;
- a comment after a block's `{` on the same line stays on that line;
- a comment before a block's `}` stays inside the block, at the end; in a select, a
  comment between two cases belongs to the case above if it is indented deeper than the
  `case` (or `}`) below it, else to that `case`;
- a comment inside a construct printed on one line trails it if it was on the construct's
  last line (`work(/* two */ 2)` becomes `work(2) /* two */`), else it moves above it.
Each rule puts a comment back where the same rule finds it, so formatting is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gocheck.lang import ast

INDENT = "    "
_PREC = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3,
         "+": 4, "-": 4, "*": 5}
_UNARY_PREC = 6
_GROUPED = (ast.VarDecl, ast.Check, ast.Invariant)
_END = (1 << 62, 0)

Pos = tuple[int, int]


def format_spec(spec: ast.Spec) -> str:
    """The canonical text of `spec`, ending with one newline."""
    return _Printer(spec.comments).spec(spec)


# --- text of the atomic constructs ----------------------------------------------------------


def expr_text(e: ast.Expr, context: int = 0) -> str:
    """`e` in Go syntax, parenthesised when its precedence is below `context`."""
    match e:
        case ast.IntLit(value=v):
            return str(v)
        case ast.Name(name=n):
            return n
        case ast.Index(base=b, index=i):
            return f"{b}[{expr_text(i)}]"
        case ast.CallExpr(func=f, args=args):
            return f"{f}({', '.join(expr_text(a) for a in args)})"
        case ast.Unary(op=op, operand=x):
            inner = expr_text(x, _UNARY_PREC)
            return f"{op} {inner}" if op == "-" and inner.startswith("-") else op + inner
        case ast.Binary(op=op, left=left, right=right):
            p = _PREC[op]
            text = f"{expr_text(left, p)} {op} {expr_text(right, p + 1)}"
            return f"({text})" if p < context else text
    raise AssertionError(f"not an expression: {e!r}")


def simple_stmt_text(s: ast.Stmt) -> str:
    """The one line of a statement without a body."""
    match s:
        case ast.Work(ticks=n):
            return f"work({n})"
        case ast.Spin(ticks=n):
            return f"spin({n})"
        case ast.Syscall(ticks=n, block=block):
            return f"syscall({n}, block)" if block else f"syscall({n})"
        case ast.NetRead():
            return "netread()"
        case ast.Sleep(duration=n):
            return f"time.Sleep({n})"
        case ast.Go(func=f):
            return f"go {f}()"
        case ast.Send(chan=c, value=v):
            return f"{c} <- {v}"
        case ast.Recv(chan=c):
            return f"<-{c}"
        case ast.Close(chan=c):
            return f"close({c})"
        case ast.Lock(mutex=m):
            return f"{m}.Lock()"
        case ast.Unlock(mutex=m):
            return f"{m}.Unlock()"
        case ast.WgAdd(wg=w, delta=n):
            return f"{w}.Add({n})"
        case ast.WgDone(wg=w):
            return f"{w}.Done()"
        case ast.WgWait(wg=w):
            return f"{w}.Wait()"
        case ast.Gosched():
            return "runtime.Gosched()"
        case ast.Call(func=f):
            return f"{f}()"
        case ast.Return():
            return "return"
    raise AssertionError(f"not a simple statement: {s!r}")


def _header(s: ast.Stmt) -> tuple[str, ast.Block, str]:
    """Text before the body, the body, and text after its `}` of a statement with a body."""
    match s:
        case ast.Go(body=ast.Block() as body):
            return "go func()", body, "()"
        case ast.ForCount(count=n, var=None, body=body):
            return f"for range {n}", body, ""
        case ast.ForCount(count=n, var=v, body=body):
            return f"for {v} := 0; {v} < {n}; {v}++", body, ""
        case ast.ForRangeChan(chan=c, var=None, body=body):
            return f"for range {c}", body, ""
        case ast.ForRangeChan(chan=c, var=v, body=body):
            return f"for {v} := range {c}", body, ""
        case ast.ForEver(body=body):
            return "for", body, ""
    raise AssertionError(f"no body: {s!r}")


def _item_text(item: ast.TopLevel) -> str:
    match item:
        case ast.VarDecl(name=n, kind="waitgroup"):
            return f"var {n} sync.WaitGroup"
        case ast.VarDecl(name=n, kind="mutex"):
            return f"var {n} sync.Mutex"
        case ast.VarDecl(name=n, capacity=cap, elem_type=elem):
            size = "" if cap is None else f", {cap}"
            return f"var {n} = make(chan {elem or 'int'}{size})"
        case ast.Check(name=n):
            return f"check {n}"
        case ast.Invariant(name=n, expr=e):
            return f"invariant {n} {{ {expr_text(e)} }}"
    raise AssertionError(f"not a one-line item: {item!r}")


def _entry_text(e: ast.MachineEntry) -> str:
    return f'{e.key} = "{e.value}"' if e.quoted else f"{e.key} = {e.value}"


def _case_text(c: ast.SelectCase) -> str:
    if c.kind == "send":
        return f"case {c.chan} <- {c.value}:"
    return f"case <-{c.chan}:" if c.kind == "recv" else "default:"


# --- layout with comments ---------------------------------------------------------------------


def _start(span: ast.Span) -> Pos:
    return span.line, span.col


def _close(block: ast.Block) -> Pos:
    """Where a block's `}` is."""
    return block.span.end_line, block.span.end_col - 1


@dataclass(slots=True)
class _Line:
    indent: int
    code: str
    trailing: list[str] = field(default_factory=list)


class _Printer:
    """Lays out one spec; comments are consumed in source order as the layout passes them."""

    def __init__(self, comments: tuple[ast.Comment, ...]):
        self.comments = sorted(comments, key=lambda c: _start(c.span))
        self.next = 0                   # index of the first comment not yet printed
        self.lines: list[_Line | None] = []   # None is a blank line
        self.last_src: int | None = None     # source line of the last thing printed
        self.fresh = True               # at the start of the file or of a block
        self.force_blank = False        # the next line starts a new top-level group

    # --- emitting ---------------------------------------------------------------------------

    def emit(self, indent: int, code: str, first: int, last: int, gap_ok: bool = True):
        gap = self.last_src is not None and first > self.last_src + 1
        if self.lines and not self.fresh and (self.force_blank or (gap_ok and gap)):
            self.lines.append(None)
        self.lines.append(_Line(indent, code))
        self.fresh = self.force_blank = False
        self.last_src = last

    def leading(self, before: Pos, indent: int, right_of: int = 0) -> None:
        """Print, each on its own line, the comments that start before `before` (and right of
        column `right_of`)."""
        while self.next < len(self.comments) and _start(self.comments[self.next].span) < before:
            c = self.comments[self.next]
            if c.span.col <= right_of:
                return
            self.next += 1
            self.emit(indent, c.text, c.span.line, c.span.end_line)

    def trailing(self, line: int, before: Pos) -> None:
        """Append to the last line the comments that start on source `line` before `before`."""
        while self.next < len(self.comments):
            c = self.comments[self.next]
            if c.span.line != line or _start(c.span) >= before:
                return
            self.next += 1
            last = self.lines[-1]
            assert last is not None
            last.trailing.append(c.text)
            self.last_src = c.span.end_line

    def has_comment_before(self, pos: Pos) -> bool:
        return self.next < len(self.comments) and _start(self.comments[self.next].span) < pos

    # --- structure ----------------------------------------------------------------------------

    def spec(self, spec: ast.Spec) -> str:
        items = spec.items
        for k, item in enumerate(items):
            prev = items[k - 1] if k else None
            self.force_blank = prev is not None and not (
                type(prev) is type(item) and isinstance(item, _GROUPED))
            limit = _start(items[k + 1].span) if k + 1 < len(items) else _END
            self.item(item, limit)
        self.leading(_END, 0)
        return self.render()

    def item(self, item: ast.TopLevel, limit: Pos) -> None:
        self.leading(_start(item.span), 0)
        if isinstance(item, ast.FuncDecl):
            self.braced(f"func {item.name}()", item.body, "", 0, item.span, limit)
        elif isinstance(item, ast.Machine):
            self.machine(item, limit)
        else:
            self.atomic(_item_text(item), item.span, 0, limit)

    def atomic(self, text: str, span: ast.Span, indent: int, limit: Pos) -> None:
        """A construct printed on one line; comments inside it go above (see module doc)."""
        self.leading((span.end_line, 0), indent)
        self.emit(indent, text, span.line, span.end_line)
        self.trailing(span.end_line, limit)

    def braced(self, head: str, body: ast.Block, tail: str, indent: int, span: ast.Span,
               limit: Pos) -> None:
        """`head {`, the body one level deeper, `}tail`; or `head {}tail` when empty."""
        close = _close(body)
        if not body.stmts and not self.has_comment_before(close):
            self.emit(indent, f"{head} {{}}{tail}", span.line, span.end_line)
        else:
            self.emit(indent, f"{head} {{", span.line, body.span.line)
            stmts = body.stmts
            self.trailing(body.span.line, _start(stmts[0].span) if stmts else close)
            self.fresh = True
            self.stmts(stmts, indent + 1, close)
            self.leading(close, indent + 1)
            self.emit(indent, "}" + tail, span.end_line, span.end_line, gap_ok=False)
        self.trailing(span.end_line, limit)

    def stmts(self, stmts: tuple[ast.Stmt, ...], indent: int, end: Pos) -> None:
        for k, s in enumerate(stmts):
            limit = _start(stmts[k + 1].span) if k + 1 < len(stmts) else end
            self.stmt(s, indent, limit)

    def stmt(self, s: ast.Stmt, indent: int, limit: Pos) -> None:
        self.leading(_start(s.span), indent)
        if isinstance(s, ast.Select):
            self.select(s, indent, limit)
        elif isinstance(s, ast.ForCount | ast.ForRangeChan | ast.ForEver) or (
                isinstance(s, ast.Go) and s.body is not None):
            head, body, tail = _header(s)
            self.braced(head, body, tail, indent, s.span, limit)
        else:
            self.atomic(simple_stmt_text(s), s.span, indent, limit)

    def select(self, s: ast.Select, indent: int, limit: Pos) -> None:
        close = (s.span.end_line, s.span.end_col - 1)
        if not s.cases and not self.has_comment_before(close):
            self.emit(indent, "select {}", s.span.line, s.span.end_line)
        else:
            self.emit(indent, "select {", s.span.line, s.span.line)
            self.trailing(s.span.line, _start(s.cases[0].span) if s.cases else close)
            self.fresh = True
            for k, case in enumerate(s.cases):
                end = _start(s.cases[k + 1].span) if k + 1 < len(s.cases) else close
                self.leading(_start(case.span), indent)
                self.emit(indent, _case_text(case), case.span.line, case.span.line)
                stmts = case.body.stmts
                self.trailing(case.span.line, _start(stmts[0].span) if stmts else end)
                self.fresh = True
                self.stmts(stmts, indent + 1, end)
                self.leading(end, indent + 1, right_of=end[1])
            self.leading(close, indent)
            self.emit(indent, "}", s.span.end_line, s.span.end_line, gap_ok=False)
        self.trailing(s.span.end_line, limit)

    def machine(self, m: ast.Machine, limit: Pos) -> None:
        close = (m.span.end_line, m.span.end_col - 1)
        if not m.entries and not self.has_comment_before(close):
            self.emit(0, "machine {}", m.span.line, m.span.end_line)
        else:
            self.emit(0, "machine {", m.span.line, m.span.line)
            entries = m.entries
            self.trailing(m.span.line, _start(entries[0].span) if entries else close)
            self.fresh = True
            for k, e in enumerate(entries):
                end = _start(entries[k + 1].span) if k + 1 < len(entries) else close
                self.leading(_start(e.span), 1)
                self.atomic(_entry_text(e), e.span, 1, end)
            self.leading(close, 1)
            self.emit(0, "}", m.span.end_line, m.span.end_line, gap_ok=False)
        self.trailing(m.span.end_line, limit)

    # --- final text -------------------------------------------------------------------------

    def render(self) -> str:
        """Join the lines, aligning the trailing comments of each run of consecutive lines."""
        out: list[str] = []
        run: list[_Line] = []

        def flush() -> None:
            width = max(len(INDENT * ln.indent + ln.code) for ln in run) if run else 0
            for ln in run:
                code = INDENT * ln.indent + ln.code
                out.append(code.ljust(width) + " " + " ".join(ln.trailing))
            run.clear()

        for ln in self.lines:
            alignable = (ln is not None and ln.trailing
                         and not any("\n" in t for t in ln.trailing))
            if run and not (alignable and ln is not None and ln.indent == run[-1].indent):
                flush()
            if alignable:
                assert ln is not None
                run.append(ln)
            elif ln is None:
                out.append("")
            else:
                code = INDENT * ln.indent + ln.code
                out.append(" ".join([code, *ln.trailing]) if ln.trailing else code)
        flush()
        return "\n".join(out) + "\n"
