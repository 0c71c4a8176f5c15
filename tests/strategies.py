"""Hypothesis strategies for random *valid* specs, as AST (`specs`) or text (`spec_texts`).

Every generated spec passes `check`: it has a `main`; helper functions only call and spawn
functions declared after them, so there is no recursion and no spawn cycle; `for { }`
neither holds a `go` nor calls a function that spawns; sent values are literals or loop
variables in scope; names are unique and not reserved. Sizes are bounded so that a model
checker can explore the result (few functions and goroutines, short loops, ticks <= 2 by
default). The AST is exactly what the parser builds from its canonical text, so
`parse(format_spec(spec)) == spec` holds, and later differential tests may compare engines
on these specs.

`messy_texts` turns a canonical text into an equivalent one a person might write: other
indentation, statements joined with `;`, comments in every place the formatter supports.

Tests import it as `from strategies import specs` (tests/conftest.py puts tests/ on the path).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from hypothesis import strategies as st

from gocheck.lang import ast
from gocheck.lang.fmt import format_spec
from gocheck.lang.machine_keys import MACHINE_KEYS, IntKey, Ref, evaluate
from gocheck.lang.vocabulary import INT_OBSERVABLES, PROPERTIES, RESERVED

_ELEM_TYPES = ("int", "bool", "struct{}", "string", "[]int", "*T", "map[string]int",
               "chan int", "time.Duration", "[2]byte", "interface{}")
_VALUES = ("1", "-1", "0", "true", "false", "struct{}{}", '"x"')


@dataclass(frozen=True, slots=True)
class Sizes:
    """Bounds on a generated spec; the defaults keep model checking cheap."""

    max_funcs: int = 3          # helper functions besides main
    max_depth: int = 2          # nesting of loops, select and go func() bodies
    max_stmts: int = 4          # statements in one block
    procs: tuple[int, int] = (1, 3)
    max_ticks: int = 2
    max_loop: int = 2           # iterations of a counted loop
    max_go: int = 3             # go statements in the whole spec


@dataclass(slots=True)
class _Ctx:
    """What a statement may refer to where it is generated."""

    chans: list[str]
    mutexes: list[str]
    wgs: list[str]
    callees: dict[str, bool]    # function -> whether it starts goroutines
    loop_names: list[str]
    scope: tuple[str, ...] = ()
    forever: bool = False
    # One-element lists, shared by the contexts of a spec (go_left) or of a function
    # (spawned), so that nested generation updates them.
    go_left: list[int] = field(default_factory=lambda: [0])
    spawned: list[bool] = field(default_factory=lambda: [False])


_identifiers = st.from_regex(r"[a-z][a-zA-Z0-9_]{0,6}", fullmatch=True).filter(
    lambda s: s not in RESERVED and s != "main" and s not in PROPERTIES)


def _simple(draw: st.DrawFn, ctx: _Ctx, sizes: Sizes) -> ast.Stmt:
    ticks = st.integers(1, sizes.max_ticks)
    options: list[str] = ["work", "spin", "syscall", "sleep", "netread", "gosched", "return"]
    if ctx.chans:
        options += ["send", "recv", "close"]
    if ctx.mutexes:
        options += ["lock", "unlock"]
    if ctx.wgs:
        options += ["add", "done", "wait"]
    callable_ = [f for f, spawns in ctx.callees.items() if not (ctx.forever and spawns)]
    if callable_:
        options.append("call")
    if ctx.callees and not ctx.forever and ctx.go_left[0] > 0:
        options.append("go")
    kind = draw(st.sampled_from(options))
    match kind:
        case "work":
            return ast.Work(draw(ticks))
        case "spin":
            return ast.Spin(draw(ticks))
        case "syscall":
            return ast.Syscall(draw(ticks), draw(st.booleans()))
        case "sleep":
            return ast.Sleep(draw(st.integers(0, 2)))
        case "netread":
            return ast.NetRead()
        case "gosched":
            return ast.Gosched()
        case "return":
            return ast.Return()
        case "send":
            value = draw(st.sampled_from((*_VALUES, *ctx.scope)))
            return ast.Send(draw(st.sampled_from(ctx.chans)), value)
        case "recv":
            return ast.Recv(draw(st.sampled_from(ctx.chans)))
        case "close":
            return ast.Close(draw(st.sampled_from(ctx.chans)))
        case "lock":
            return ast.Lock(draw(st.sampled_from(ctx.mutexes)))
        case "unlock":
            return ast.Unlock(draw(st.sampled_from(ctx.mutexes)))
        case "add":
            return ast.WgAdd(draw(st.sampled_from(ctx.wgs)), draw(st.integers(-1, 2)))
        case "done":
            return ast.WgDone(draw(st.sampled_from(ctx.wgs)))
        case "wait":
            return ast.WgWait(draw(st.sampled_from(ctx.wgs)))
        case "call":
            callee = draw(st.sampled_from(callable_))
            ctx.spawned[0] |= ctx.callees[callee]
            return ast.Call(callee)
    ctx.go_left[0] -= 1
    ctx.spawned[0] = True
    return ast.Go(func=draw(st.sampled_from(sorted(ctx.callees))))


def _compound(draw: st.DrawFn, ctx: _Ctx, sizes: Sizes, depth: int) -> ast.Stmt:
    options = ["count", "forever", "select"]
    if ctx.chans:
        options.append("range")
    if not ctx.forever and ctx.go_left[0] > 0:
        options.append("gofunc")
    kind = draw(st.sampled_from(options))
    var = draw(st.none() | st.sampled_from(ctx.loop_names))
    inner = ctx if var is None else replace(ctx, scope=(*ctx.scope, var))
    match kind:
        case "count":
            return ast.ForCount(draw(st.integers(0, sizes.max_loop)),
                                _block(draw, inner, sizes, depth + 1), var)
        case "range":
            return ast.ForRangeChan(draw(st.sampled_from(ctx.chans)),
                                    _block(draw, inner, sizes, depth + 1), var)
        case "forever":
            return ast.ForEver(_block(draw, replace(ctx, forever=True), sizes, depth + 1))
        case "gofunc":
            ctx.go_left[0] -= 1
            ctx.spawned[0] = True
            # The literal's body is another goroutine: what it spawns is not this function's.
            body_ctx = replace(ctx, forever=False, spawned=[False])
            return ast.Go(body=_block(draw, body_ctx, sizes, depth + 1))
    return _select(draw, ctx, sizes, depth)


def _select(draw: st.DrawFn, ctx: _Ctx, sizes: Sizes, depth: int) -> ast.Select:
    cases = []
    for kind in draw(st.lists(st.sampled_from(("send", "recv", "default")), max_size=3)):
        if kind != "default" and not ctx.chans:
            continue
        if kind == "default" and any(c.kind == "default" for c in cases):
            continue
        body = _block(draw, ctx, sizes, depth + 1)
        if kind == "default":
            cases.append(ast.SelectCase("default", None, None, body))
            continue
        chan = draw(st.sampled_from(ctx.chans))
        value = draw(st.sampled_from((*_VALUES, *ctx.scope))) if kind == "send" else None
        cases.append(ast.SelectCase(kind, chan, value, body))
    return ast.Select(tuple(cases))


def _block(draw: st.DrawFn, ctx: _Ctx, sizes: Sizes, depth: int) -> ast.Block:
    n = draw(st.integers(0, max(0, sizes.max_stmts - depth)))
    stmts = []
    for _ in range(n):
        if depth < sizes.max_depth and draw(st.integers(0, 3)) == 0:
            stmts.append(_compound(draw, ctx, sizes, depth))
        else:
            stmts.append(_simple(draw, ctx, sizes))
    return ast.Block(tuple(stmts))


def _machine(draw: st.DrawFn, sizes: Sizes) -> tuple[ast.Machine | None, int]:
    """A machine block (optional when the default procs = 2 is within `sizes.procs`)."""
    lo, hi = sizes.procs
    if lo <= 2 <= hi and not draw(st.booleans()):
        return None, 2
    procs = draw(st.integers(lo, hi))
    entries = [ast.MachineEntry("procs", procs)]
    for key in MACHINE_KEYS[1:]:
        if not draw(st.booleans()):
            continue
        if isinstance(key, IntKey):
            config = evaluate(entries)[0]
            low, high = (config[b.key] + b.offset if isinstance(b, Ref) else b
                         for b in (key.lo, key.hi))
            assert isinstance(low, int) and isinstance(high, int)
            value: int | str = draw(st.integers(low, min(high, low + 4)))
        else:
            value = draw(st.sampled_from(key.words))
        entries.append(ast.MachineEntry(key.name, value))
    return ast.Machine(tuple(draw(st.permutations(entries)))), procs


def _int_expr(draw: st.DrawFn, procs: int, depth: int) -> ast.Expr:
    if depth <= 0 or draw(st.booleans()):
        return draw(st.sampled_from([
            ast.IntLit(draw(st.integers(0, 5))),
            ast.Name(draw(st.sampled_from(INT_OBSERVABLES))),
            ast.CallExpr("len", (ast.Name("globalq"),)),
            ast.CallExpr("len", (ast.Index("runq", ast.IntLit(draw(st.integers(0, procs - 1)))),)),
        ]))
    if draw(st.integers(0, 4)) == 0:
        return ast.Unary("-", _int_expr(draw, procs, depth - 1))
    op = draw(st.sampled_from(("+", "-", "*")))
    return ast.Binary(op, _int_expr(draw, procs, depth - 1), _int_expr(draw, procs, depth - 1))


def _bool_expr(draw: st.DrawFn, procs: int, funcs: list[str], depth: int) -> ast.Expr:
    choice = draw(st.integers(0, 5 if depth > 0 else 2))
    if choice == 0:
        return ast.Name("main_done")
    if choice == 1:
        return ast.CallExpr("done", (ast.Name(draw(st.sampled_from(funcs))),))
    if choice == 2:
        op = draw(st.sampled_from(("==", "!=", "<", "<=", ">", ">=")))
        return ast.Binary(op, _int_expr(draw, procs, 2), _int_expr(draw, procs, 2))
    if choice == 3:
        return ast.Unary("!", _bool_expr(draw, procs, funcs, depth - 1))
    op = draw(st.sampled_from(("&&", "||", "==", "!=")))
    return ast.Binary(op, _bool_expr(draw, procs, funcs, depth - 1),
                      _bool_expr(draw, procs, funcs, depth - 1))


@st.composite
def specs(draw: st.DrawFn, sizes: Sizes | None = None) -> ast.Spec:
    """A random valid spec within `sizes` (default `Sizes()`)."""
    sizes = sizes or Sizes()
    n_chan, n_mu, n_wg = draw(st.integers(0, 2)), draw(st.integers(0, 1)), draw(st.integers(0, 1))
    n_func, n_inv = draw(st.integers(0, sizes.max_funcs)), draw(st.integers(0, 2))
    n_loop = 2
    names = draw(st.lists(_identifiers, min_size=n_chan + n_mu + n_wg + n_func + n_inv + n_loop,
                          max_size=n_chan + n_mu + n_wg + n_func + n_inv + n_loop, unique=True))
    chans, names = names[:n_chan], names[n_chan:]
    mutexes, names = names[:n_mu], names[n_mu:]
    wgs, names = names[:n_wg], names[n_wg:]
    helpers, names = names[:n_func], names[n_func:]
    inv_names, loop_names = names[:n_inv], names[n_inv:]

    items: list[ast.TopLevel] = []
    machine, procs = _machine(draw, sizes)
    if machine is not None:
        items.append(machine)
    for c in chans:
        cap = draw(st.none() | st.integers(0, 2))
        items.append(ast.VarDecl(c, "chan", cap, draw(st.sampled_from(_ELEM_TYPES))))
    items += [ast.VarDecl(m, "mutex") for m in mutexes]
    items += [ast.VarDecl(w, "waitgroup") for w in wgs]

    go_left = [sizes.max_go]
    spawns: dict[str, bool] = {}
    funcs: list[ast.FuncDecl] = []
    for name in [*reversed(helpers), "main"]:     # callees before callers: no cycles
        spawned = [False]
        ctx = _Ctx(chans, mutexes, wgs, dict(spawns), loop_names, go_left=go_left,
                   spawned=spawned)
        funcs.append(ast.FuncDecl(name, _block(draw, ctx, sizes, 0)))
        spawns[name] = spawned[0]
    items += funcs
    items += [ast.Check(p) for p in draw(st.lists(st.sampled_from(PROPERTIES), unique=True,
                                                  max_size=3))]
    all_funcs = [*helpers, "main"]
    items += [ast.Invariant(n, _bool_expr(draw, procs, all_funcs, 2)) for n in inv_names]
    return ast.Spec(tuple(draw(st.permutations(items))))


def spec_texts(sizes: Sizes | None = None) -> st.SearchStrategy[str]:
    """The canonical text of a random valid spec."""
    return specs(sizes).map(format_spec)


def _joinable(line: str) -> bool:
    s = line.strip()
    return (line.startswith(" ") and not s.endswith(("{", ":")) and "//" not in s
            and "/*" not in s and not s.startswith(("}", "case", "default")))


@st.composite
def messy_texts(draw: st.DrawFn, sizes: Sizes | None = None) -> str:
    """A non-canonical text of a random valid spec: same AST, other layout, with comments."""
    lines = draw(spec_texts(sizes)).splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        text = line.strip()
        if out and _joinable(line) and _joinable(out[-1]) and draw(st.integers(0, 3)) == 0:
            out[-1] += "; " + text
            continue
        indent = draw(st.sampled_from(("", " ", "\t", "        "))) if text else ""
        where = draw(st.integers(0, 7))
        if where == 0:
            out.append(f"{indent}// c{i}")
        elif where == 1:
            out.append(f"{indent}/* c{i}\n   more */")
        if where == 2 and text:
            text = f"/* c{i} */ {text}"
        if where == 3 and text:
            text += f" // c{i}"
        out.append(indent + text + draw(st.sampled_from(("", " ", "\t"))))
    return "\n".join(out) + "\n"
