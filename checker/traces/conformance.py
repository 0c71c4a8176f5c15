"""Conformance of a trace to a spec: does each goroutine block as its spec function allows,
and can the goroutines' channel waits be interleaved as the model allows?

Each goroutine's observable operations are checked against its spec function's automaton
(`automaton.py`) in stream order. Goroutines map to spec functions by their creation
stack (the outermost frame that is not the runtime's: `worker` in a simulated trace,
`main.worker` in a Go trace); a goroutine the trace did not see created (it existed when
tracing started) is matched from any point of its function. Goroutines of other code, and
Go's closures (`main.main.func1`, which the spec names by line), are not checked.

When every goroutine's sequence is allowed, the channel waits the automata can place on
one channel are checked across goroutines (`rendezvous.py`): a send and a receive on one
channel never wait at the same time, in the trace's order or, failing that, in some
other order its happens-before allows (`happens.py`), found with z3.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gocheck.model.program import Program
from gocheck.traces.automaton import END, Automaton, States, block_letter
from gocheck.traces.event import Event
from gocheck.traces.rendezvous import TIMEOUT_MS, Unexplained, Waits


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
    """`checked` goroutines were mapped to spec functions; `first` is the first event no
    behaviour explains (a goroutine's own operations, or a cross-goroutine rule in every
    order the trace allows); `unknown` says why the order search gave up; `reordered`:
    the cross-goroutine rules hold only in another order than the trace's own; `waits`
    channel waits were identified (and checked across goroutines)."""

    checked: int
    first: Mismatch | Unexplained | None
    unknown: str | None = None
    reordered: bool = False
    waits: int = 0

    @property
    def holds(self) -> bool:
        return self.first is None and self.unknown is None

    @property
    def verdict(self) -> str:
        return "holds" if self.holds else "violated" if self.first else "unknown"

    def to_json(self) -> dict[str, object]:
        """The `checks` entry of `gocheck trace --json`."""
        worst: dict[str, object] | None = None
        if self.first is not None:
            worst = self.first.to_json()
        elif self.unknown is not None:
            worst = {"reason": self.unknown}
        return {"name": "conformance", "verdict": self.verdict, "worst": worst}


_CREATE = frozenset({"GoCreate", "GoCreateBlocked"})
_CHAN = frozenset({"chan send", "chan receive"})


def check_conformance(events: Iterable[Event], prog: Program,
                      timeout_ms: int = TIMEOUT_MS) -> Conformance:
    """Check a consistent canonical stream against a compiled spec."""
    checker = Conformer(prog, timeout_ms)
    for e in events:
        checker.feed(e)
    return checker.result()


class Conformer:
    """Conformance fed one event at a time (so it can share a replay with the summary):
    each goroutine's operations in stream order, then the channel waits across goroutines
    in some order the trace's happens-before allows (`rendezvous.py`)."""

    def __init__(self, prog: Program, timeout_ms: int = TIMEOUT_MS):
        self.prog = prog
        self.timeout_ms = timeout_ms
        self.names = {f.name: i for i, f in enumerate(prog.functions)}
        self.automata: dict[int, Automaton] = {}
        self.tracked: dict[int, tuple[int, States]] = {}  # goroutine -> (function, states)
        self.decided: set[int] = set()
        self.waits = Waits()
        self.first: Mismatch | None = None

    def _track(self, gid: int, frames: Iterable[str], *, created: bool) -> int | None:
        self.decided.add(gid)
        func = _function(frames, self.names)
        if func is not None:
            a = self.automata.get(func)
            if a is None:
                a = self.automata[func] = Automaton(self.prog, func)
            self.tracked[gid] = (func, a.start if created else a.anywhere())
        return func

    def feed(self, e: Event) -> None:
        if self.first is not None:
            return
        who = e.target if e.kind == "GoStatus" else e.g
        if who is not None and who not in self.decided and e.stack:
            self._track(who, e.stack, created=False)
        if e.kind in _CREATE and e.target is not None:
            child = self._track(e.target, _frames(e.args.get("new_stack")), created=True)
            gid = e.g
            seen = None if child is None else f"go {self.prog.functions[child].name}"
        else:
            gid, seen = e.target, _observed(e)
        if seen is None or gid not in self.tracked:
            self.waits.feed(e)
            return
        func, states = self.tracked[gid]
        a = self.automata[func]
        name = self.prog.functions[func].name
        after = a.after(states, seen)
        if not after:
            self.first = Mismatch(e.index, e.time, gid, name, seen, a.expected(states))
            return
        self.tracked[gid] = (func, after)
        channel = a.channel(states, seen) if seen in _CHAN else None
        self.waits.feed(e, None if channel is None else (
            gid, name, self.prog.chan_names[channel[0]], channel[1]))

    def result(self) -> Conformance:
        if self.first is not None:
            return Conformance(len(self.tracked), self.first)
        verdict = self.waits.verdict(self.timeout_ms)
        return Conformance(len(self.tracked), verdict.first, verdict.unknown,
                           verdict.reordered, self.waits.count)


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
