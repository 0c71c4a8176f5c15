"""Conformance of a trace to a spec: does each goroutine block as its spec function allows?

A trace shows a goroutine's operations only where they park it (GoBlock: its reason, and
for "sync" the stack's Mutex or WaitGroup frame), enter a syscall (GoSyscallBegin), create
a goroutine (GoCreate) or end it (GoDestroy). So each spec function is compiled into an
automaton over those letters, straight from its code (`Program.functions[f].code`): a
state is (pc, loop counters), so counted loops are exact and `for {}` loops are cycles.
An operation that may complete without parking (a send to a waiting receiver, an
uncontended Lock, ...) is optional; a syscall, a sleep, a netread (the model parks on
every one), a `go` of a named non-empty function and a select with no case are always
seen. A Lock or a netread may show more than once: Go parks again after a lost race for
the mutex (normal mode, which the model leaves out) or a spurious netpoll wake-up.

Goroutines map to spec functions by their creation stack (the outermost frame that is not
the runtime's: `worker` in a simulated trace, `main.worker` in a Go trace); a goroutine the
trace did not see created (it existed when tracing started) is matched from any point of
its function. Goroutines of other code, and Go's closures (`main.main.func1`, which the
spec names by line), are not checked.

Limits of this first increment: each goroutine is checked on its own (a regular language
per goroutine); whether one interleaving of all of them, across Ms, is a behaviour of the
model (a search for a total order, e.g. with z3) is not checked, nor which channel or
mutex an operation used (Go's traces do not say).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gocheck.errors import InputError
from gocheck.model import program as op
from gocheck.model.program import Instr, Program
from gocheck.traces.errors import TraceFormatError
from gocheck.traces.event import Event
from gocheck.traces.gobinary import BinaryTrace
from gocheck.traces.load import detect, read_bytes, read_source
from gocheck.traces.replay import replay_binary, replay_events
from gocheck.traces.schedtrace import Snapshot
from gocheck.traces.simulate import block_reason

State = tuple[int, tuple[int, ...]]  # (pc of an action or END, loop counters)
States = frozenset[State]

END = "end"
_SYNC = {"sync.(*Mutex)": "sync.Mutex", "sync.(*RWMutex)": "sync.Mutex",
         "sync.(*WaitGroup)": "sync.WaitGroup"}
_REASONS = frozenset({"chan send", "chan receive", "select", "forever", "sleep", "network"})
_PARKS = frozenset({op.SEND, op.RECV, op.RANGE, op.SELECT, op.LOCK, op.WGWAIT, op.SLEEP,
                    op.NETREAD})
_LITERAL = "func@"  # the compiler's name prefix for `go func() { ... }()` bodies


def block_letter(reason: str, stack: Iterable[str]) -> str | None:
    """The operation a GoBlock reports (None: not one a spec can do, e.g. GC waits).
    A "sync" block whose stack names neither a Mutex nor a WaitGroup stays "sync"."""
    if reason == "sync":
        for frame in stack:
            for prefix, letter in _SYNC.items():
                if frame.startswith(prefix):
                    return letter
        return "sync"
    return reason if reason in _REASONS else None


def _matches(seen: str, allowed: str) -> bool:
    return seen == allowed or (seen == "sync" and allowed in ("sync.Mutex", "sync.WaitGroup"))


@dataclass(frozen=True, slots=True)
class _Letter:
    """What an instruction can show: its letter, whether it always shows, whether it may
    show more than once."""

    letter: str | None
    always: bool = False
    repeats: bool = False


class _Automaton:
    """One spec function as a nondeterministic automaton; state sets are memoised, so a
    long trace costs one dictionary lookup per observed operation."""

    def __init__(self, prog: Program, func: int):
        self.code = prog.functions[func].code
        self.letters = [_instruction_letter(prog, ins) for ins in self.code]
        self.start: States = frozenset({_start(prog, func)})
        self._closures: dict[States, States] = {}
        self._after: dict[tuple[States, str], States] = {}

    def _next(self, state: State) -> list[State]:
        """Where the action at `state` can continue (a select: any case)."""
        pc, counters = state
        ins = self.code[pc]
        if ins.op == op.END:
            return []
        if ins.op == op.SELECT:
            targets = [t for _k, _c, t in ins.c]  # type: ignore[union-attr]
            targets += [ins.b] if ins.b >= 0 else []
        elif ins.op == op.RANGE:
            targets = [pc + 1, ins.b]
        else:
            targets = [pc + 1]
        return [_settle(self.code, t, counters) for t in targets]

    def letter(self, state: State) -> _Letter:
        return self.letters[state[0]]

    def closure(self, states: States) -> States:
        """`states` and everything reachable from them without showing anything."""
        done = self._closures.get(states)
        if done is None:
            seen, todo = set(states), list(states)
            while todo:
                s = todo.pop()
                if not self.letter(s).always:
                    for t in self._next(s):
                        if t not in seen:
                            seen.add(t)
                            todo.append(t)
            done = self._closures[states] = frozenset(seen)
        return done

    def after(self, states: States, seen: str) -> States:
        """The states after showing `seen` (empty: the function cannot do that here)."""
        key = (states, seen)
        done = self._after.get(key)
        if done is None:
            out: set[State] = set()
            for s in self.closure(states):
                lt = self.letter(s)
                if lt.letter is not None and _matches(seen, lt.letter):
                    out.update(self._next(s))
                    if lt.repeats:
                        out.add(s)
            done = self._after[key] = frozenset(out)
        return done

    def expected(self, states: States) -> tuple[str, ...]:
        return tuple(sorted({lt for s in self.closure(states)
                             if (lt := self.letter(s).letter) is not None}))

    def anywhere(self) -> States:
        """Every state the function can reach: where a goroutine seen mid-run may be."""
        seen, todo = set(self.start), list(self.start)
        while todo:
            for t in self._next(todo.pop()):
                if t not in seen:
                    seen.add(t)
                    todo.append(t)
        return frozenset(seen)


def _settle(code: tuple[Instr, ...], pc: int, counters: tuple[int, ...]) -> State:
    """Run control instructions (jumps, loop tests, call marks) to an action or END."""
    while True:
        ins = code[pc]
        if ins.op == op.JUMP:
            pc = ins.a
        elif ins.op == op.LOOP_TEST:
            if counters[ins.a] < ins.b:
                pc += 1
            else:
                counters = (*counters[:ins.a], 0, *counters[ins.a + 1:])
                pc = ins.c  # type: ignore[assignment]
        elif ins.op == op.LOOP_NEXT:
            counters = (*counters[:ins.a], counters[ins.a] + 1, *counters[ins.a + 1:])
            pc = ins.b
        elif ins.op in op.ACTIONS or ins.op == op.END:
            return pc, counters
        else:
            pc += 1


def _start(prog: Program, func: int) -> State:
    f = prog.functions[func]
    return _settle(f.code, 0, (0,) * f.loops)


def _instruction_letter(prog: Program, ins: Instr) -> _Letter:
    o = ins.op
    if o == op.END:
        return _Letter(END, always=True, repeats=True)
    if o == op.SYSCALL:
        return _Letter("syscall", always=True)
    if o == op.GO:
        name = prog.functions[ins.a].name
        return _Letter(f"go {name}", always=not name.startswith(_LITERAL)
                       and not _empty(prog, ins.a))
    if o not in _PARKS or (o == op.SELECT and ins.b >= 0):  # a default never parks
        return _Letter(None)
    reason, frame = block_reason(ins)
    letter = block_letter(reason, (frame,))
    forever = letter == "forever"  # parked for good: the state stays
    return _Letter(letter, always=o in (op.SLEEP, op.NETREAD) or forever,
                   repeats=o in (op.LOCK, op.NETREAD) or forever)


def _empty(prog: Program, func: int) -> bool:
    """A function without actions: the model's G is dead at creation (never traced)."""
    return prog.functions[func].code[_start(prog, func)[0]].op == op.END


@dataclass(frozen=True, slots=True)
class Mismatch:
    """The first event no behaviour of the spec explains."""

    event: int
    time: int
    goroutine: int
    function: str
    seen: str
    expected: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {"event": self.event, "time": self.time, "goroutine": self.goroutine,
                "function": self.function, "observed": self.seen,
                "expected": list(self.expected)}


@dataclass(frozen=True, slots=True)
class Conformance:
    """`checked` goroutines were mapped to spec functions; `first` is the first mismatch."""

    checked: int
    first: Mismatch | None

    @property
    def holds(self) -> bool:
        return self.first is None

    def to_json(self) -> dict[str, object]:
        """The `checks` entry of `gocheck trace --json`."""
        return {"name": "conformance", "verdict": "holds" if self.holds else "violated",
                "worst": None if self.first is None else self.first.to_json()}


_CREATE = frozenset({"GoCreate", "GoCreateBlocked"})


def check_conformance(events: Iterable[Event], prog: Program) -> Conformance:
    """Check a consistent canonical stream against a compiled spec, in stream order."""
    names = {f.name: i for i, f in enumerate(prog.functions)}
    automata: dict[int, _Automaton] = {}
    tracked: dict[int, tuple[int, States]] = {}  # goroutine -> (function, possible states)
    decided: set[int] = set()

    def track(gid: int, frames: Iterable[str], *, created: bool) -> int | None:
        decided.add(gid)
        func = _function(frames, names)
        if func is not None:
            if func not in automata:
                automata[func] = _Automaton(prog, func)
            a = automata[func]
            tracked[gid] = (func, a.start if created else a.anywhere())
        return func

    for e in events:
        who = e.target if e.kind == "GoStatus" else e.g
        if who is not None and who not in decided and e.stack:
            track(who, e.stack, created=False)
        if e.kind in _CREATE and e.target is not None:
            child = track(e.target, _frames(e.args.get("new_stack")), created=True)
            gid = e.g
            seen = None if child is None else f"go {prog.functions[child].name}"
        else:
            gid, seen = e.target, _observed(e)
        if seen is None or gid not in tracked:
            continue
        func, states = tracked[gid]
        a = automata[func]
        after = a.after(states, seen)
        if not after:
            return Conformance(len(tracked), Mismatch(e.index, e.time, gid,
                                                      prog.functions[func].name, seen,
                                                      a.expected(states)))
        tracked[gid] = (func, after)
    return Conformance(len(tracked), None)


def _observed(e: Event) -> str | None:
    if e.kind == "GoBlock":
        return block_letter(str(e.args.get("reason", "")), e.stack)
    if e.kind == "GoSyscallBegin":
        return "syscall"
    if e.kind in ("GoDestroy", "GoDestroySyscall"):
        return END
    return None


def _frames(frames: object) -> tuple[str, ...]:
    return tuple(frames) if isinstance(frames, (list, tuple)) else ()


def _function(frames: Iterable[str], names: dict[str, int]) -> int | None:
    """The spec function a stack (innermost first) runs: its outermost frame outside the
    runtime, by the spec's name or Go's `main.` name."""
    for frame in reversed(tuple(frames)):
        if not frame.startswith(("runtime.", "runtime/")):
            name = frame.removeprefix("main.") if frame not in names else frame
            return names.get(name)
    return None


def check_trace_file(path: str | Path, fmt: str | None, prog: Program) -> Conformance:
    """Read and replay an execution trace (go, wire or jsonl), then check conformance.
    A trace none of whose goroutines runs a spec function is bad input: nothing to check,
    most likely the wrong spec."""
    data = read_bytes(path)
    try:
        fmt = fmt or detect(data)
        source, _ = read_source(data, fmt)
    except TraceFormatError as err:
        raise TraceFormatError(f"{path}: {err.where}", err.detail, err.offset) from None
    if isinstance(source, BinaryTrace):
        events: Iterable[Event] = replay_binary(source)
    elif source and isinstance(source[0], Snapshot):
        raise InputError(f"{path}: conformance needs an execution trace (go, wire or jsonl"
                         " format), not a schedtrace log")
    else:
        events = replay_events(source)  # type: ignore[arg-type]
    result = check_conformance(events, prog)
    if not result.checked:
        names = ", ".join(f.name for f in prog.functions)
        raise InputError(f"{path}: no goroutine of the trace runs a function of the spec"
                         f" ({names}): nothing to check")
    return result
