"""Go's rules for GC cycles, STW, sweep and mark-assist ranges, metrics and annotations.

GC events follow the GC sequence number (waiting for it like a goroutine's); ranges
(STW, sweep, mark assist) must begin before they end on their goroutine or P, and may be
declared active when a generation starts; user regions nest per goroutine.
"""

from __future__ import annotations

from gocheck.traces import spec as S
from gocheck.traces.event import NO_ARGS
from gocheck.traces.order_core import OrderCore
from gocheck.traces.resource import (
    MAY,
    MUST,
    SPEC_ARGS,
    GState,
    MState,
    PState,
    event_name,
)


class RangeRules(OrderCore):
    """GC, ranges, metrics, user tasks, regions and logs, experimental events."""

    def _gc_active(self, ev: list, ms: MState) -> bool:
        seq = ev[2]
        if self.gen == self.initial_gen:
            if self.gc_state != "Undetermined":
                raise self.fail("gc", "GCActive in the first generation isn't first GC event",
                                ev, ms)
        else:
            if seq is not None and seq != self.gc_seq + 1:
                return False
            if self.gc_state != "Running":
                raise self.fail("gc", "encountered GCActive while GC was not in progress",
                                ev, ms)
            self._require(ev, ms, MUST, MUST, MUST)
        self.gc_seq, self.gc_state = self.gc_seq + 1 if seq is None else seq, "Running"
        self._other(ev, ms, {"gc_seq": self.gc_seq})
        return True

    def _gc_begin(self, ev: list, ms: MState) -> bool:
        seq = ev[2]
        if self.gc_state != "Undetermined":
            if seq is not None and seq != self.gc_seq + 1:
                return False
            if self.gc_state == "Running":
                raise self.fail("gc", "encountered GCBegin while GC was already in progress",
                                ev, ms)
            self._require(ev, ms, MUST, MUST, MUST)
        self.gc_seq, self.gc_state = self.gc_seq + 1 if seq is None else seq, "Running"
        self._other(ev, ms, {"gc_seq": self.gc_seq}, self.stack(ev[3]))
        return True

    def _gc_end(self, ev: list, ms: MState) -> bool:
        seq = ev[2]
        if seq is not None and seq != self.gc_seq + 1:
            return False
        if self.gc_state == "NotRunning":
            raise self.fail("gc", "encountered GCEnd when GC was not in progress", ev, ms)
        if self.gc_state == "Undetermined":
            raise self.fail("gc", "encountered GCEnd when GC was in an undetermined state",
                            ev, ms)
        self.gc_seq, self.gc_state = self.gc_seq + 1 if seq is None else seq, "NotRunning"
        self._require(ev, ms, MUST, MUST, MUST)
        self._other(ev, ms, {"gc_seq": self.gc_seq})
        return True

    def _range_owner(self, ev: list, ms: MState, owner: GState | PState | None,
                     what: str) -> GState | PState:
        if owner is None:
            raise self.fail("range", f"range event without known state for current {what}",
                            ev, ms)
        return owner

    def _begin_range(self, ev: list, ms: MState, owner: GState | PState,
                     key: tuple[int, object]) -> None:
        if key in owner.ranges:
            raise self.fail("range", f"{event_name(key[0])} begun while already in flight", ev, ms)
        owner.ranges.append(key)

    def _end_range(self, ev: list, ms: MState, owner: GState | PState, start: int) -> object:
        for i, (typ, desc) in enumerate(owner.ranges):
            if typ == start:
                owner.ranges[i] = owner.ranges[-1]
                owner.ranges.pop()
                return desc
        raise self.fail("range", f"tried to end {event_name(start)}, but not in flight", ev, ms)

    def _active_range(self, ev: list, ms: MState, owner: GState | PState,
                      key: tuple[int, object]) -> None:
        if self.gen == self.initial_gen:
            if key in owner.ranges:
                raise self.fail("range", f"found named active range already in first gen:"
                                f" {event_name(key[0])}", ev, ms)
            owner.ranges.append(key)
        elif key not in owner.ranges:
            raise self.fail("range", f"resource is missing active range: {event_name(key[0])}",
                            ev, ms)

    def _go_range_begin(self, ev: list, ms: MState) -> bool:
        """STWBegin and GCMarkAssistBegin: a range on the running goroutine."""
        self._require(ev, ms, MUST, MUST, MUST)
        owner = self._range_owner(ev, ms, self.g.get(ms.g), "goroutine")  # type: ignore[arg-type]
        if ev[0] == 26:
            kind = self.string(ev[2])
            self._begin_range(ev, ms, owner, (26, kind))
            self._other(ev, ms, {"kind": kind}, self.stack(ev[3]))
        else:
            self._begin_range(ev, ms, owner, (35, None))
            self._other(ev, ms, NO_ARGS, self.stack(ev[2]))
        return True

    def _go_range_active(self, ev: list, ms: MState) -> bool:
        gid = ev[2]
        gs = self.g.get(gid)
        if gs is None:
            raise self.fail("range", f"uninitialized goroutine {gid} found during"
                            " GCMarkAssistActive", ev, ms, g=gid)
        self._active_range(ev, ms, gs, (35, None))
        self._other(ev, ms, {"g": gid})
        return True

    def _go_range_end(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MUST, MUST)
        owner = self._range_owner(ev, ms, self.g.get(ms.g), "goroutine")  # type: ignore[arg-type]
        desc = self._end_range(ev, ms, owner, 26 if ev[0] == 27 else 35)
        self._other(ev, ms, {"kind": desc} if ev[0] == 27 else NO_ARGS)
        return True

    def _gc_sweep_begin(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MUST, MAY)
        owner = self._range_owner(ev, ms, self.p.get(ms.p), "proc")  # type: ignore[arg-type]
        self._begin_range(ev, ms, owner, (32, None))
        self._other(ev, ms, NO_ARGS, self.stack(ev[2]))
        return True

    def _gc_sweep_active(self, ev: list, ms: MState) -> bool:
        pid = ev[2]
        ps = self.p.get(pid)
        if ps is None:
            raise self.fail("range", f"encountered GCSweepActive for unknown proc {pid}",
                            ev, ms, p=pid)
        self._active_range(ev, ms, ps, (32, None))
        self._other(ev, ms, {"p": pid})
        return True

    def _gc_sweep_end(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MUST, MAY)
        owner = self._range_owner(ev, ms, self.p.get(ms.p), "proc")  # type: ignore[arg-type]
        self._end_range(ev, ms, owner, 32)
        self._other(ev, ms, {"swept_value": ev[2], "reclaimed_value": ev[3]})
        return True


    # --- metrics, annotations --------------------------------------------------------

    def _heap_metric(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MUST, MAY)
        self._other(ev, ms, {SPEC_ARGS[ev[0]][0]: ev[2]})
        return True

    def _annotation(self, ev: list, ms: MState) -> bool:
        """ProcsChange, GoLabel, UserLog: instantaneous, need a running goroutine."""
        self._require(ev, ms, MUST, MUST, MUST)
        typ = ev[0]
        if typ == 9:
            self._other(ev, ms, {"procs_value": ev[2]}, self.stack(ev[3]))
        elif typ == 39:
            self._other(ev, ms, {"label": self.string(ev[2])})
        else:
            self._other(ev, ms, {"task": ev[2], "key": self.string(ev[3]),
                                 "value": self.string(ev[4])}, self.stack(ev[5]))
        return True

    def _user_task_begin(self, ev: list, ms: MState) -> bool:
        tid, parent = ev[2], ev[3]
        if tid in self.tasks:
            raise self.fail("task", f"task ID conflict: {tid}", ev, ms)
        name = self.string(ev[4])
        parent_id = None if parent in (0, S.NO_ID, None) else parent
        self.tasks[tid] = (name, parent_id)
        self._require(ev, ms, MUST, MUST, MUST)
        self._other(ev, ms, {"task": tid, "parent": parent_id, "name": name},
                    self.stack(ev[5]))
        return True

    def _user_task_end(self, ev: list, ms: MState) -> bool:
        tid = ev[2]
        name, parent = self.tasks.pop(tid, ("", None))
        self._require(ev, ms, MUST, MUST, MUST)
        self._other(ev, ms, {"task": tid, "parent": parent, "name": name}, self.stack(ev[3]))
        return True

    def _user_region_begin(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MUST, MUST)
        name = self.string(ev[3])
        gs = self._range_owner(ev, ms, self.g.get(ms.g), "goroutine")  # type: ignore[arg-type]
        gs.regions.append((ev[2], name))  # type: ignore[union-attr]
        self._other(ev, ms, {"task": ev[2], "name": name}, self.stack(ev[4]))
        return True

    def _user_region_end(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MUST, MUST)
        name = self.string(ev[3])
        gs = self._range_owner(ev, ms, self.g.get(ms.g), "goroutine")  # type: ignore[arg-type]
        regions = gs.regions  # type: ignore[union-attr]
        if regions:  # regions begun before tracing started are unknown
            if regions[-1] != (ev[2], name):
                raise self.fail("region", f"misuse of region in goroutine {gs.id}: region end"
                                f" {(ev[2], name)} when the inner-most active region start"
                                f" event is {regions[-1]}", ev, ms)
            regions.pop()
        self._other(ev, ms, {"task": ev[2], "name": name}, self.stack(ev[4]))
        return True

    def _experimental(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MAY, MAY)
        self.emit("Experimental", ev[1], ms, args={
            "name": event_name(ev[0]), **dict(zip(SPEC_ARGS[ev[0]], ev[2:], strict=False))})
        return True
