"""Go's per-resource state machines for traces (the rules of `internal/trace/order.go`).

Each goroutine and P has a status and a sequence number per generation; each thread (M)
holds at most one P and one goroutine. An event either advances (its preconditions hold:
the state changes and canonical events are queued), must wait (returns False: it is not
its turn yet, e.g. a GoStart whose goroutine's previous sequence number was not replayed),
or breaks a rule (raises `Broken`). Waiting is how the cross-thread order is recovered:
the frontier driver (`frontier.py`) tries the threads in timestamp order until one
advances, and "no thread can advance" is itself an inconsistency. The strict driver for
totally ordered streams (`ordered.py`, JSONL) treats waiting as an error at once.

The rules live in one mixin per kind of resource (`rules_procs.py`, `rules_goroutines.py`,
`rules_ranges.py` for GC, ranges and annotations) over the shared state of `order_core.py`
and `resource.py`; this class maps each event type to its rule.

Rule ids (the `rule` of an inconsistency) are stable; the messages keep Go's wording where
Go's test cases match it ("expected a proc but didn't have one").
"""

from __future__ import annotations

from collections.abc import Callable

from gocheck.traces import spec as S
from gocheck.traces.errors import Broken
from gocheck.traces.resource import MState, event_name, next_seq, succeeds
from gocheck.traces.rules_goroutines import GoroutineRules
from gocheck.traces.rules_procs import ProcRules
from gocheck.traces.rules_ranges import RangeRules


class Ordering(ProcRules, GoroutineRules, RangeRules):
    """The replay: `advance(ev, m)` applies one raw event `[type, time, arg...]` with the
    rule for its type; `why_waiting` explains an event that must wait."""

    def __init__(self) -> None:
        super().__init__()
        table: dict[int, Callable[[list, MState], bool]] = {
            9: self._annotation, 10: self._proc_start, 11: self._proc_stop,
            12: self._proc_steal, 13: self._proc_status, 14: self._go_create,
            15: self._go_create_syscall, 16: self._go_start, 17: self._go_stop_exec,
            18: self._go_destroy_syscall, 19: self._go_stop_exec, 20: self._go_stop_exec,
            21: self._go_unblock, 22: self._go_syscall_begin, 23: self._go_syscall_end,
            24: self._go_syscall_end_blocked, 25: self._go_status, 26: self._go_range_begin,
            27: self._go_range_end, 28: self._gc_active, 29: self._gc_begin, 30: self._gc_end,
            31: self._gc_sweep_active, 32: self._gc_sweep_begin, 33: self._gc_sweep_end,
            34: self._go_range_active, 35: self._go_range_begin, 36: self._go_range_end,
            37: self._heap_metric, 38: self._heap_metric, 39: self._annotation,
            40: self._user_task_begin, 41: self._user_task_end,
            42: self._user_region_begin, 43: self._user_region_end, 44: self._annotation,
            45: self._go_switch, 46: self._go_switch, 47: self._go_create,
            48: self._go_status,
            **{t: self._experimental for t in range(128, 137)},
        }
        self.handlers: list[Callable[[list, MState], bool] | None] = [
            table.get(t) for t in range(256)]

    def advance(self, ev: list, m: int | None) -> bool:
        """Try to apply `ev`, emitted by thread `m` (None: no thread). False: must wait."""
        ms = self.thread(m)
        handler = self.handlers[ev[0]] if 0 <= ev[0] < 256 else None
        if handler is None:
            raise Broken("event-type", f"event type {ev[0]} ({event_name(ev[0])}) cannot be"
                         " replayed: it does not belong in a thread's batch", time=ev[1])
        return handler(ev, ms)

    # --- explaining a wait -----------------------------------------------------------

    def why_waiting(self, ev: list, m: int | None) -> tuple[str, str]:
        """Why `ev` (which returned False) cannot advance now: a rule id and words.

        The rule is "seq" when the resource is in the right state but the event's sequence
        number is not the next one (an event of the same resource is missing or later).
        """
        typ = ev[0]
        ms = self.m.get(m) if m is not None else None  # type: ignore[arg-type]
        if typ in (10, 12):
            pid, seq = ev[2], ev[3]
            ps = self.p.get(pid)
            want = S.P_IDLE if typ == 10 else S.P_SYSCALL
            rule = "proc-not-idle" if typ == 10 else "proc-not-in-syscall"
            if ps is None:
                return rule, f"P{pid} has no known state in this generation"
            right_state = ps.status == want or (typ == 12 and ps.status == S.P_SYSCALL_ABANDONED)
            if typ == 10 and ms is not None and ms.p is not None and right_state \
                    and succeeds(ps, self.gen, seq):
                return "proc-held", f"M{m} still holds P{ms.p}"
            return ("seq" if right_state else rule,
                    f"needs P{pid} {S.PSTATUS_NAMES[want]} with seq {next_seq(ps)};"
                    f" P{pid} is {ps.describe()} and the event has seq {seq}")
        if typ in (16, 21, 45, 46):
            gid, seq = ev[2], ev[3]
            gs = self.g.get(gid)
            want = S.G_RUNNABLE if typ == 16 else S.G_WAITING
            rule = "goroutine-not-runnable" if typ == 16 else "goroutine-not-waiting"
            if gs is None:
                return rule, f"G{gid} does not exist (never created, or already destroyed)"
            return ("seq" if gs.status == want else rule,
                    f"needs G{gid} {S.GSTATUS_NAMES[want]} with seq {next_seq(gs)};"
                    f" G{gid} is {gs.describe()} and the event has seq {seq}")
        if typ == 24 and ms is not None:
            return ("syscall-end-before-steal", f"M{m}'s P{ms.p} is still in its syscall"
                    " (no ProcStop or ProcSteal yet)")
        if typ in (28, 29, 30):
            return "gc-seq", f"needs GC seq {self.gc_seq + 1}, the event has {ev[2]}"
        return "stuck", "cannot advance"

