"""Compile a checked spec into flat instruction arrays, one per goroutine entry function.

Design: there is no recursion in the language, so a call `f()` is inlined at compile time and
every goroutine runs one flat array; a `return` inside an inlined callee is a jump to the
callee's end. A goroutine's local state is then just (pc, ticks left, loop counters).

Instructions are either *actions* (a step of the goroutine: a tick, a channel operation, ...)
or *control* (jumps, loop tests, call marks). Control never is a step on its own: after every
action the pc is advanced through control instructions to the next action or the end ("calls,
returns, loop tests and a G's exit fold into the neighbouring steps", model.md).

Cooperative safe points (model.md): the boundary before every action but `spin` is one, so
those actions carry `safe = True`. The boundary before a `spin` is one only if the path to it
crossed a call (a function's prologue checks for preemption): that depends on the path, not
on the pc (`f(); for { spin(1) }` reaches the spin through the call once, then through the
loop's back-edge), so an inlined call leaves a CALL mark in the code and the goroutine
remembers crossing it (`state.AT_CALL`). A goroutine's start does not count as a call (see
`goroutine.new_g`).
"""

from __future__ import annotations

from dataclasses import dataclass

from gocheck.lang import ast

# Action opcodes (each is a step of its goroutine).
WORK, SPIN, SYSCALL, NETREAD, SLEEP, GO, SEND, RECV, RANGE, CLOSE = range(10)
LOCK, UNLOCK, WGADD, WGWAIT, GOSCHED, SELECT = range(10, 16)
# Control opcodes (folded into the neighbouring step). CALL marks an inlined call's entry.
JUMP, LOOP_TEST, LOOP_NEXT, END, CALL = range(16, 21)

ACTIONS = frozenset(range(16))


@dataclass(frozen=True, slots=True)
class Instr:
    """One instruction. `a`, `b`, `c` are opcode-specific (see `Program` doc)."""

    op: int
    a: int = 0
    b: int = 0
    c: object = None
    safe: bool = True
    line: int = 0


@dataclass(frozen=True, slots=True)
class Function:
    """A goroutine entry function: its flat code; the last instruction is END."""

    name: str
    code: tuple[Instr, ...]
    loops: int  # number of loop-counter slots


@dataclass(frozen=True, slots=True)
class Program:
    """Operand meanings:

    WORK/SPIN a=ticks; SYSCALL a=ticks b=1 if block; GO a=function id; SEND/RECV/CLOSE a=chan;
    RANGE a=chan b=exit pc; LOCK/UNLOCK a=mutex; WGADD a=wg b=delta; WGWAIT a=wg;
    SELECT c=((kind, chan, target pc), ...) with kind "send"/"recv", b=default pc or -1;
    JUMP a=target; LOOP_TEST a=slot b=count c=exit pc; LOOP_NEXT a=slot b=test pc; CALL (none).
    """

    functions: tuple[Function, ...]
    main: int
    chan_names: tuple[str, ...]
    chan_caps: tuple[int, ...]
    mutex_names: tuple[str, ...]
    wg_names: tuple[str, ...]

    def function_id(self, name: str) -> int:
        return next(i for i, f in enumerate(self.functions) if f.name == name)


def exits(ins: Instr, pc: int) -> list[int]:
    """Where control may go after the action `ins` at `pc`, before settling through control
    opcodes: past it, to a select's cases or its default, out of a range loop; nowhere after
    END. (For analyses of a function's code: the rules move a G themselves.)"""
    if ins.op == END:
        return []
    if ins.op == SELECT:
        return [t for _kind, _chan, t in ins.c] + ([ins.b] if ins.b >= 0 else [])  # type: ignore[attr-defined]
    if ins.op == RANGE:
        return [pc + 1, ins.b]
    return [pc + 1]


class _FunctionCompiler:
    """Emits one goroutine's flat code; spec functions called from it are inlined."""

    def __init__(self, compiler: _Compiler, name: str):
        self.compiler = compiler
        self.name = name
        self.code: list[Instr] = []
        self.loops = 0
        self.return_patches: list[list[int]] = []  # per inlined call, JUMPs to patch

    def emit(self, op: int, a: int = 0, b: int = 0, c: object = None, *, line: int = 0,
             safe: bool = True) -> int:
        self.code.append(Instr(op, a, b, c, safe, line))
        return len(self.code) - 1

    def patch(self, at: int, **changes: object) -> None:
        old = self.code[at]
        fields = {"op": old.op, "a": old.a, "b": old.b, "c": old.c, "safe": old.safe,
                  "line": old.line}
        fields.update(changes)
        self.code[at] = Instr(**fields)  # type: ignore[arg-type]

    def block(self, block: ast.Block) -> None:
        for stmt in block.stmts:
            self.stmt(stmt)

    def stmt(self, s: ast.Stmt) -> None:
        c = self.compiler
        line = s.span.line
        match s:
            case ast.Work(ticks=n):
                self.emit(WORK, n, line=line)
            case ast.Spin(ticks=n):
                self.emit(SPIN, n, line=line, safe=False)
            case ast.Syscall(ticks=n, block=block):
                self.emit(SYSCALL, n, int(block), line=line)
            case ast.NetRead():
                self.emit(NETREAD, line=line)
            case ast.Sleep():
                self.emit(SLEEP, line=line)
            case ast.Go(func=name, body=body):
                target = c.function(name) if name is not None else c.literal(body, line)
                self.emit(GO, target, line=line)
            case ast.Send(chan=ch):
                self.emit(SEND, c.chans[ch], line=line)
            case ast.Recv(chan=ch):
                self.emit(RECV, c.chans[ch], line=line)
            case ast.Close(chan=ch):
                self.emit(CLOSE, c.chans[ch], line=line)
            case ast.Lock(mutex=mu):
                self.emit(LOCK, c.mutexes[mu], line=line)
            case ast.Unlock(mutex=mu):
                self.emit(UNLOCK, c.mutexes[mu], line=line)
            case ast.WgAdd(wg=wg, delta=d):
                self.emit(WGADD, c.wgs[wg], d, line=line)
            case ast.WgDone(wg=wg):
                self.emit(WGADD, c.wgs[wg], -1, line=line)
            case ast.WgWait(wg=wg):
                self.emit(WGWAIT, c.wgs[wg], line=line)
            case ast.Gosched():
                self.emit(GOSCHED, line=line)
            case ast.Call(func=name):
                self.inline(name)
            case ast.Return():
                if self.return_patches:
                    self.return_patches[-1].append(self.emit(JUMP, -1, line=line))
                else:
                    self.emit(END, line=line)
            case ast.ForCount(count=n, body=body):
                self.counted_loop(n, body, line)
            case ast.ForRangeChan(chan=ch, body=body):
                test = self.emit(RANGE, c.chans[ch], -1, line=line)
                self.block(body)
                self.emit(JUMP, test, line=line)
                self.patch(test, b=len(self.code))
            case ast.ForEver(body=body):
                top = len(self.code)
                if _first_step(body, c.bodies) == _FALLS:
                    # A loop with no action would spin without a step: it is one.
                    self.emit(SPIN, 1, line=line, safe=False)
                self.block(body)
                self.emit(JUMP, top, line=line)
            case ast.Select(cases=cases):
                self.select(cases, line)
            case _:
                raise TypeError(f"unknown statement {s!r}")

    def counted_loop(self, n: int, body: ast.Block, line: int) -> None:
        slot = self.loops
        self.loops += 1
        test = self.emit(LOOP_TEST, slot, n, -1, line=line)
        self.block(body)
        self.emit(LOOP_NEXT, slot, test, line=line)
        self.patch(test, c=len(self.code))

    def select(self, cases: tuple[ast.SelectCase, ...], line: int) -> None:
        c = self.compiler
        at = self.emit(SELECT, 0, -1, (), line=line)
        arms: list[tuple[str, int, int]] = []
        default = -1
        ends: list[int] = []
        for case in cases:
            start = len(self.code)
            self.block(case.body)
            ends.append(self.emit(JUMP, -1, line=line))
            if case.kind == "default":
                default = start
            else:
                arms.append((case.kind, c.chans[case.chan or ""], start))
        for e in ends:
            self.patch(e, a=len(self.code))
        self.patch(at, b=default, c=tuple(arms))

    def inline(self, name: str) -> None:
        self.emit(CALL)  # the callee's prologue: a safe point even before a spin
        self.return_patches.append([])
        self.block(self.compiler.bodies[name])
        for j in self.return_patches.pop():
            self.patch(j, a=len(self.code))


_ACTS, _RETURNS, _FALLS = range(3)


def _first_step(block: ast.Block, bodies: dict[str, ast.Block]) -> int:
    """How a pass through `block` goes: it surely takes a step (_ACTS), or surely reaches a
    `return` first (_RETURNS), or may reach its end without either (_FALLS). Called bodies
    are looked into; a `return` inside one ends only that call."""
    for s in block.stmts:
        if isinstance(s, ast.Return):
            return _RETURNS
        if isinstance(s, ast.Call):
            if _first_step(bodies[s.func], bodies) == _ACTS:
                return _ACTS
        elif isinstance(s, ast.ForCount):
            if s.count > 0 and (r := _first_step(s.body, bodies)) != _FALLS:
                return r
        elif isinstance(s, ast.ForEver):
            r = _first_step(s.body, bodies)
            return _ACTS if r == _FALLS else r  # an empty pass gets a spin tick
        else:
            return _ACTS
    return _FALLS


class _Compiler:
    def __init__(self, spec: ast.Spec):
        self.chans = {d.name: i for i, d in enumerate(d for d in spec.decls if d.kind == "chan")}
        self.mutexes = {
            d.name: i for i, d in enumerate(d for d in spec.decls if d.kind == "mutex")}
        self.wgs = {
            d.name: i for i, d in enumerate(d for d in spec.decls if d.kind == "waitgroup")}
        self.caps = tuple(d.capacity or 0 for d in spec.decls if d.kind == "chan")
        self.bodies = {f.name: f.body for f in spec.funcs}
        self.functions: list[Function | None] = []
        self.ids: dict[str, int] = {}

    def function(self, name: str) -> int:
        """The id of goroutine entry function `name`, compiling it on first use."""
        if name not in self.ids:
            self.ids[name] = len(self.functions)
            self.functions.append(None)
            self.functions[self.ids[name]] = self._compile(name, self.bodies[name])
        return self.ids[name]

    def literal(self, body: ast.Block | None, line: int) -> int:
        """A `go func() { ... }()` body becomes an entry function of its own."""
        name = f"func@{line}#{len(self.functions)}"
        self.ids[name] = len(self.functions)
        self.functions.append(None)
        self.functions[self.ids[name]] = self._compile(name, body or ast.Block(()))
        return self.ids[name]

    def _compile(self, name: str, body: ast.Block) -> Function:
        fc = _FunctionCompiler(self, name)
        fc.block(body)
        fc.emit(END)
        return Function(name, tuple(fc.code), fc.loops)


def compile_program(spec: ast.Spec) -> Program:
    """Compile a spec that `lang.check` accepted."""
    c = _Compiler(spec)
    main = c.function("main")
    for f in spec.funcs:  # deterministic ids for functions only reachable by `go`
        c.function(f.name)
    functions = tuple(f for f in c.functions if f is not None)
    return Program(
        functions=functions,
        main=main,
        chan_names=tuple(c.chans),
        chan_caps=c.caps,
        mutex_names=tuple(c.mutexes),
        wg_names=tuple(c.wgs),
    )

