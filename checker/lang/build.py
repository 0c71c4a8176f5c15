"""Turn lark's parse tree into the AST of `lang/ast.py`.

One method per grammar rule, named after it. Spans come from lark's propagated positions,
which count the tokens the tree drops (keywords, braces), so a statement's span runs from
its first character to its last. The few shapes the grammar accepts more loosely than the
language (the counted loop's three names) are reported here as diagnostics, not exceptions,
so every one of them is found in one run.
"""

from __future__ import annotations

from typing import Any

from lark import Token, Transformer, Tree, v_args
from lark.tree import Meta

from gocheck.errors import Diagnostic
from gocheck.lang import ast, codes


def span_of(meta: Meta) -> ast.Span:
    return ast.Span(meta.line, meta.column, meta.end_line, meta.end_column)


def token_span(tok: Token) -> ast.Span:
    return ast.Span(tok.line, tok.column, tok.end_line, tok.end_column)


def _stmt_block(stmts: list[Any], meta: Meta) -> ast.Block:
    """The body of a select case, which has no braces: it spans its statements."""
    if not stmts:
        return ast.Block((), ast.Span(meta.end_line, meta.end_column,
                                      meta.end_line, meta.end_column))
    first, last = stmts[0].span, stmts[-1].span
    return ast.Block(tuple(stmts), ast.Span(first.line, first.col, last.end_line, last.end_col))


_BINARY = {"or_": "||", "and_": "&&", "eq": "==", "ne": "!=", "lt": "<", "le": "<=",
           "gt": ">", "ge": ">=", "add": "+", "sub": "-", "mul": "*"}
_UNARY = {"not_": "!", "neg": "-"}


@v_args(meta=True)
class AstBuilder(Transformer):
    """Builds one spec; `diagnostics` collects the shape errors found on the way."""

    def __init__(self, path: str):
        super().__init__(visit_tokens=False)
        self.path = path
        self.diagnostics: list[Diagnostic] = []

    # --- top level ------------------------------------------------------------------------

    def start(self, meta: Meta, items: list[Any]) -> tuple[Any, ...]:
        return tuple(items)

    def machine(self, meta: Meta, entries: list[ast.MachineEntry]) -> ast.Machine:
        return ast.Machine(tuple(entries), span_of(meta))

    def machine_entry(self, meta: Meta, ch: list[Any]) -> ast.MachineEntry:
        key, value = ch
        if isinstance(value, tuple):
            text, quoted = value
            return ast.MachineEntry(str(key), text, quoted, span_of(meta))
        return ast.MachineEntry(str(key), value, False, span_of(meta))

    def word(self, meta: Meta, ch: list[Token]) -> tuple[str, bool]:
        return str(ch[0]), False

    def string(self, meta: Meta, ch: list[Token]) -> tuple[str, bool]:
        return ch[0][1:-1], True

    def waitgroup_decl(self, meta: Meta, ch: list[Token]) -> ast.VarDecl:
        return ast.VarDecl(str(ch[0]), "waitgroup", span=span_of(meta))

    def mutex_decl(self, meta: Meta, ch: list[Token]) -> ast.VarDecl:
        return ast.VarDecl(str(ch[0]), "mutex", span=span_of(meta))

    def chan_decl(self, meta: Meta, ch: list[Any]) -> ast.VarDecl:
        name, elem, cap = ch
        return ast.VarDecl(str(name), "chan", cap, elem, span_of(meta))

    def func_decl(self, meta: Meta, ch: list[Any]) -> ast.FuncDecl:
        name, body = ch
        return ast.FuncDecl(str(name), body, span_of(meta))

    def check(self, meta: Meta, ch: list[Token]) -> ast.Check:
        return ast.Check(str(ch[0]), span_of(meta))

    def invariant(self, meta: Meta, ch: list[Any]) -> ast.Invariant:
        name, expr = ch
        return ast.Invariant(str(name), expr, span_of(meta))

    # --- element types (text only) ----------------------------------------------------------

    def type_name(self, meta: Meta, ch: list[Token]) -> str:
        return str(ch[0])

    def type_qualified(self, meta: Meta, ch: list[Token]) -> str:
        return f"{ch[0]}.{ch[1]}"

    def type_struct(self, meta: Meta, ch: list[Any]) -> str:
        return "struct{}"

    def type_interface(self, meta: Meta, ch: list[Any]) -> str:
        return "interface{}"

    def type_slice(self, meta: Meta, ch: list[str]) -> str:
        return f"[]{ch[0]}"

    def type_array(self, meta: Meta, ch: list[Any]) -> str:
        return f"[{int(ch[0])}]{ch[1]}"

    def type_pointer(self, meta: Meta, ch: list[str]) -> str:
        return f"*{ch[0]}"

    def type_map(self, meta: Meta, ch: list[str]) -> str:
        return f"map[{ch[0]}]{ch[1]}"

    def type_chan(self, meta: Meta, ch: list[str]) -> str:
        return f"chan {ch[0]}"

    # --- statements -----------------------------------------------------------------------

    def block(self, meta: Meta, stmts: list[Any]) -> ast.Block:
        return ast.Block(tuple(stmts), span_of(meta))

    def work(self, meta: Meta, ch: list[int]) -> ast.Work:
        return ast.Work(ch[0], span_of(meta))

    def spin(self, meta: Meta, ch: list[int]) -> ast.Spin:
        return ast.Spin(ch[0], span_of(meta))

    def syscall(self, meta: Meta, ch: list[Any]) -> ast.Syscall:
        return ast.Syscall(ch[0], ch[1] is not None, span_of(meta))

    def netread(self, meta: Meta, ch: list[Any]) -> ast.NetRead:
        return ast.NetRead(span_of(meta))

    def sleep(self, meta: Meta, ch: list[int]) -> ast.Sleep:
        return ast.Sleep(ch[0], span_of(meta))

    def gosched(self, meta: Meta, ch: list[Any]) -> ast.Gosched:
        return ast.Gosched(span_of(meta))

    def go_call(self, meta: Meta, ch: list[Token]) -> ast.Go:
        return ast.Go(func=str(ch[0]), span=span_of(meta))

    def go_func(self, meta: Meta, ch: list[ast.Block]) -> ast.Go:
        return ast.Go(body=ch[0], span=span_of(meta))

    def send(self, meta: Meta, ch: list[Any]) -> ast.Send:
        return ast.Send(str(ch[0]), str(ch[1]), span_of(meta))

    def recv(self, meta: Meta, ch: list[Token]) -> ast.Recv:
        return ast.Recv(str(ch[0]), span_of(meta))

    def close(self, meta: Meta, ch: list[Token]) -> ast.Close:
        return ast.Close(str(ch[0]), span_of(meta))

    def lock(self, meta: Meta, ch: list[Token]) -> ast.Lock:
        return ast.Lock(str(ch[0]), span_of(meta))

    def unlock(self, meta: Meta, ch: list[Token]) -> ast.Unlock:
        return ast.Unlock(str(ch[0]), span_of(meta))

    def wg_add(self, meta: Meta, ch: list[Any]) -> ast.WgAdd:
        return ast.WgAdd(str(ch[0]), ch[1], span_of(meta))

    def wg_done(self, meta: Meta, ch: list[Token]) -> ast.WgDone:
        return ast.WgDone(str(ch[0]), span_of(meta))

    def wg_wait(self, meta: Meta, ch: list[Token]) -> ast.WgWait:
        return ast.WgWait(str(ch[0]), span_of(meta))

    def call(self, meta: Meta, ch: list[Token]) -> ast.Call:
        return ast.Call(str(ch[0]), span_of(meta))

    def return_stmt(self, meta: Meta, ch: list[Any]) -> ast.Return:
        return ast.Return(span_of(meta))

    def for_ever(self, meta: Meta, ch: list[ast.Block]) -> ast.ForEver:
        return ast.ForEver(ch[0], span_of(meta))

    def for_range(self, meta: Meta, ch: list[Any]) -> ast.ForCount:
        count, body = ch
        return ast.ForCount(count, body, None, span_of(meta))

    def for_counted(self, meta: Meta, ch: list[Any]) -> ast.ForCount:
        name, init, cond_name, count, post_name, body = ch
        span = span_of(meta)
        if init != 0 or not str(name) == str(cond_name) == str(post_name):
            self.diagnostics.append(Diagnostic(
                self.path, span,
                f"a counted loop must read `for {name} := 0; {name} < n; {name}++`",
                codes.COUNTED_LOOP))
        return ast.ForCount(count, body, str(name), span)

    def for_range_chan(self, meta: Meta, ch: list[Any]) -> ast.ForRangeChan:
        var, chan, body = ch
        return ast.ForRangeChan(str(chan), body, None if var is None else str(var),
                                span_of(meta))

    def select(self, meta: Meta, cases: list[ast.SelectCase]) -> ast.Select:
        return ast.Select(tuple(cases), span_of(meta))

    def case_send(self, meta: Meta, ch: list[Any]) -> ast.SelectCase:
        chan, value, *stmts = ch
        return ast.SelectCase("send", str(chan), str(value), _stmt_block(stmts, meta),
                              span_of(meta))

    def case_recv(self, meta: Meta, ch: list[Any]) -> ast.SelectCase:
        chan, *stmts = ch
        return ast.SelectCase("recv", str(chan), None, _stmt_block(stmts, meta), span_of(meta))

    def case_default(self, meta: Meta, stmts: list[Any]) -> ast.SelectCase:
        return ast.SelectCase("default", None, None, _stmt_block(stmts, meta), span_of(meta))

    # --- values ---------------------------------------------------------------------------

    def nonneg(self, meta: Meta, ch: list[Token]) -> int:
        return int(ch[0])

    def negative(self, meta: Meta, ch: list[Token]) -> int:
        return -int(ch[0])

    def value_name(self, meta: Meta, ch: list[Token]) -> str:
        return str(ch[0])

    def value_string(self, meta: Meta, ch: list[Token]) -> str:
        return str(ch[0])

    def value_struct(self, meta: Meta, ch: list[Any]) -> str:
        return "struct{}{}"

    # --- expressions ----------------------------------------------------------------------

    def int_lit(self, meta: Meta, ch: list[Token]) -> ast.IntLit:
        return ast.IntLit(int(ch[0]), span_of(meta))

    def name(self, meta: Meta, ch: list[Token]) -> ast.Name:
        return ast.Name(str(ch[0]), span_of(meta))

    def index(self, meta: Meta, ch: list[Any]) -> ast.Index:
        return ast.Index(str(ch[0]), ch[1], span_of(meta))

    def call_expr(self, meta: Meta, ch: list[Any]) -> ast.CallExpr:
        func, *args = ch
        return ast.CallExpr(str(func), tuple(a for a in args if a is not None), span_of(meta))

    def __default__(self, data: str, children: list[Any], meta: Meta) -> Any:
        """The operator rules: the alias names the operator."""
        if data in _BINARY:
            left, right = children
            return ast.Binary(_BINARY[data], left, right, span_of(meta))
        if data in _UNARY:
            return ast.Unary(_UNARY[data], children[0], span_of(meta))
        raise AssertionError(f"grammar rule without a builder: {data}")


def build(tree: Tree, comments: list[Token], path: str) -> tuple[ast.Spec, list[Diagnostic]]:
    """The spec of a parse tree, and the shape errors found while building it."""
    builder = AstBuilder(path)
    items = builder.transform(tree)
    spec = ast.Spec(items, tuple(ast.Comment(str(c), token_span(c)) for c in comments), path)
    return spec, builder.diagnostics
