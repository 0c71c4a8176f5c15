"""The replay state every rule reads, and how rules emit events and report broken rules.

`OrderCore` holds the goroutines, Ps and threads (`resource.py`), the GC sequence, user
tasks, the generation and the queue of canonical events produced; the rule mixins
(`rules_procs.py`, `rules_goroutines.py`, `rules_ranges.py`) extend it and `order.py`
puts them together.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from gocheck.traces import spec as S
from gocheck.traces.errors import Broken
from gocheck.traces.event import NO_ARGS, Event
from gocheck.traces.resource import MUST, MUST_NOT, GState, MState, PState, event_name


class OrderCore:
    """The replay state; `queue` receives the canonical events produced (usually one per
    event; a GoSwitch gives three). `string(id)` and `stack(id)` resolve table references
    for the current generation; the JSONL driver replaces them with identity functions
    because its events already carry names."""

    def __init__(self) -> None:
        self.g: dict[int, GState] = {}
        self.p: dict[int, PState] = {}
        self.m: dict[int, MState] = {}
        self.tasks: dict[int, tuple[str, int | None]] = {}
        self.gc_seq = 0
        self.gc_state = "Undetermined"
        self.gen = 0
        self.initial_gen = 0
        self.queue: list[Event] = []
        self.count = 0
        self.string: Callable[[object], str] = str
        self.stack: Callable[[object], tuple[str, ...]] = lambda _sid: ()

    def start_generation(self, gen: int) -> None:
        self.gen = gen
        if self.initial_gen == 0:
            self.initial_gen = gen

    def thread(self, m: int | None) -> MState:
        """The state of thread `m`, created empty when first seen (None: a throwaway)."""
        if m is None:
            return MState(None)
        ms = self.m.get(m)
        if ms is None:
            ms = self.m[m] = MState(m)
        return ms

    def emit(self, kind: str, time: int, ms: MState, resource: str | None = None,
             target: int | None = None, old: str | None = None, new: str | None = None,
             stack: tuple[str, ...] = (), args: Mapping[str, object] = NO_ARGS) -> None:
        self.queue.append(Event(self.count, time, kind, ms.id, ms.p, ms.g, resource, target,
                                old, new, stack, args))
        self.count += 1

    # --- reporting -------------------------------------------------------------------

    def states(self, ms: MState | None = None, g: int | None = None,
               p: int | None = None) -> dict[str, str]:
        """The states of the resources an error involves, for the report."""
        out: dict[str, str] = {}
        if ms is not None and ms.id is not None:
            out[f"M{ms.id}"] = ms.describe()
        for gid in (g, ms.g if ms else None):
            if gid is not None and f"G{gid}" not in out:
                gs = self.g.get(gid)
                out[f"G{gid}"] = gs.describe() if gs else "unknown (not created or destroyed)"
        for pid in (p, ms.p if ms else None):
            if pid is not None and f"P{pid}" not in out:
                ps = self.p.get(pid)
                out[f"P{pid}"] = ps.describe() if ps else "unknown"
        return out

    def fail(self, rule: str, message: str, ev: list, ms: MState | None = None,
             g: int | None = None, p: int | None = None) -> Broken:
        return Broken(rule, f"{event_name(ev[0])}: {message}", time=ev[1],
                      states=self.states(ms, g, p))

    def _require(self, ev: list, ms: MState, m: int, p: int, g: int) -> None:
        """Go's validateCtx: the thread must (not) have a thread, P and goroutine."""
        if m == MUST and ms.id is None:
            raise self.fail("thread-required", "expected a thread but didn't have one", ev, ms)
        if p == MUST and ms.p is None:
            raise self.fail("proc-required", "expected a proc but didn't have one", ev, ms)
        if p == MUST_NOT and ms.p is not None:
            raise self.fail("proc-forbidden", "expected no proc but had one", ev, ms)
        if g == MUST and ms.g is None:
            raise self.fail("goroutine-required", "expected a goroutine but didn't have one",
                            ev, ms)
        if g == MUST_NOT and ms.g is not None:
            raise self.fail("goroutine-forbidden", "expected no goroutine but had one", ev, ms)

    def _current_g(self, ev: list, ms: MState, status: int) -> GState:
        """The thread's goroutine, which must exist and have wire status `status`."""
        gs = self.g.get(ms.g)  # type: ignore[arg-type]
        if gs is None:
            raise self.fail("goroutine-unknown", f"goroutine G{ms.g} does not exist", ev, ms)
        if gs.status != status:
            raise self.fail("goroutine-state", f"event for goroutine that's not"
                            f" {S.GSTATUS_NAMES[status]}", ev, ms)
        return gs


    def _other(self, ev: list, ms: MState, args: Mapping[str, object],
               stack: tuple[str, ...] = ()) -> None:
        self.emit(event_name(ev[0]), ev[1], ms, None, None, None, None, stack, args)
