"""A spec function as an automaton over what a trace shows of a goroutine.

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
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gocheck.model import program as op
from gocheck.model.program import Instr, Program
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


class Automaton:
    """One spec function as a nondeterministic automaton; state sets are memoised, so a
    long trace costs one dictionary lookup per observed operation."""

    def __init__(self, prog: Program, func: int):
        self.code = prog.functions[func].code
        self.letters = [_instruction_letter(prog, ins) for ins in self.code]
        self.start: States = frozenset({_start(prog, func)})
        self._closures: dict[States, States] = {}
        self._after: dict[tuple[States, str], States] = {}
        self._channels: dict[tuple[States, str], tuple[int, bool] | None] = {}

    def _next(self, state: State) -> list[State]:
        """Where the action at `state` can continue (a select: any case)."""
        pc, counters = state
        return [_settle(self.code, t, counters) for t in op.exits(self.code[pc], pc)]

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

    def channel(self, states: States, seen: str) -> tuple[int, bool] | None:
        """The channel and direction (True: send) of a park shown as `seen` ("chan send"
        or "chan receive"), when every instruction it can be parked on agrees."""
        key = (states, seen)
        if key not in self._channels:
            ops = {_channel_op(self.code[s[0]]) for s in self.closure(states)
                   if self.letter(s).letter == seen}
            self._channels[key] = ops.pop() if len(ops) == 1 else None
        return self._channels[key]

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


def _channel_op(ins: Instr) -> tuple[int, bool]:
    """The channel and direction of a park letter's instruction (a one-case select is its
    case's operation)."""
    if ins.op == op.SELECT:
        kind, chan, _target = ins.c[0]  # type: ignore[index]
        return chan, kind == "send"
    return ins.a, ins.op == op.SEND


def _empty(prog: Program, func: int) -> bool:
    """A function without actions: the model's G is dead at creation (never traced)."""
    return prog.functions[func].code[_start(prog, func)[0]].op == op.END
