"""Go's rules for goroutines: status, create, start, stop, block, unblock, switch, syscalls.

A rule returns True when the event advances, False when it must wait for another
thread's event (a goroutine not yet Runnable or Waiting, a sequence number not yet
reached, a P still in its syscall), and raises `Broken` when it can never happen.
"""

from __future__ import annotations

from gocheck.traces import spec as S
from gocheck.traces.event import GOROUTINE, PROC, Event
from gocheck.traces.order_core import OrderCore
from gocheck.traces.resource import (
    GO_API,
    MAY,
    MUST,
    MUST_NOT,
    GState,
    MState,
    PState,
    bump,
    opt,
    succeeds,
    thread_id,
)


class GoroutineRules(OrderCore):
    """The goroutine events, syscalls included."""

    def _go_status(self, ev: list, ms: MState) -> bool:
        gid, mid, status = ev[2], thread_id(ev[3]), ev[4]
        if status not in S.GSTATUS_NAMES:
            raise self.fail("status-invalid", f"invalid status for goroutine {gid}: {status}",
                            ev, ms)
        gs = self.g.get(gid)
        if gs is not None:
            if gs.status != status:
                raise self.fail("goroutine-status", f"inconsistent status for goroutine {gid}:"
                                f" old {S.GSTATUS_NAMES[gs.status]} vs. new"
                                f" {S.GSTATUS_NAMES[status]}", ev, ms, g=gid)
            gs.gen, gs.seq = self.gen, 0
            old = GO_API[status]
        elif self.gen == self.initial_gen:
            self.g[gid] = GState(gid, status, self.gen)
            old = "Undetermined"
        else:
            raise self.fail("goroutine-status-late", "found goroutine status for new goroutine"
                            f" after the first generation: id={gid}"
                            f" status={S.GSTATUS_NAMES[status]}", ev, ms, g=gid)
        ctx, new_g = ms, ms.g
        if status == S.G_RUNNING:
            new_g = gid
        elif status == S.G_SYSCALL:
            if mid is None:
                raise self.fail("syscall-thread", f"found goroutine {gid} in syscall without a"
                                " thread", ev, ms, g=gid)
            if mid == ms.id:
                if self.gen != self.initial_gen and ms.g != gid:
                    raise self.fail("syscall-thread", f"inconsistent thread for syscalling"
                                    f" goroutine {gid}: thread has goroutine {opt(ms.g)}",
                                    ev, ms, g=gid)
                new_g = gid
            else:
                # A goroutine sitting in a syscall on another, P-less, thread.
                other = self.m.get(mid)
                if other is not None:
                    if other.g != gid:
                        raise self.fail("syscall-thread", f"inconsistent thread for syscalling"
                                        f" goroutine {gid}: thread has goroutine"
                                        f" {opt(other.g)}", ev, other, g=gid)
                    ctx = MState(mid, ms.p, other.g)
                else:
                    self.m[mid] = MState(mid, None, gid)
                    ctx = MState(mid, ms.p, ms.g)
        stack = self.stack(ev[5]) if ev[0] == 48 else ()
        self.emit("GoStatus", ev[1], ctx, GOROUTINE, gid, old, GO_API[status], stack,
                  {"status": S.GSTATUS_NAMES[status], "thread": mid})
        ms.g = new_g
        return True

    # The hottest rules (create, start, stop, unblock) check the common case inline and
    # append their event directly; `_require` and `emit` are the general forms.

    def _go_create(self, ev: list, ms: MState) -> bool:
        if ms.id is None or ms.p is None:
            self._require(ev, ms, MUST, MUST, MAY)
        creator = self.g.get(ms.g)  # type: ignore[arg-type]
        if creator is not None and creator.status != S.G_RUNNING:
            raise self.fail("goroutine-state", "event for goroutine that's not Running", ev, ms)
        new = ev[2]
        if new in self.g:
            raise self.fail("goroutine-exists", f"tried to create goroutine ({new}) that"
                            " already exists", ev, ms, g=new)
        blocked = ev[0] == 47
        self.g[new] = GState(new, S.G_WAITING if blocked else S.G_RUNNABLE, self.gen)
        self.queue.append(Event(
            self.count, ev[1], "GoCreateBlocked" if blocked else "GoCreate", ms.id, ms.p, ms.g,
            GOROUTINE, new, "NotExist", "Waiting" if blocked else "Runnable",
            self.stack(ev[4]), {"new_stack": self.stack(ev[3])}))
        self.count += 1
        return True

    def _go_stop_exec(self, ev: list, ms: MState) -> bool:
        """GoStop, GoBlock, GoDestroy: the running goroutine leaves its thread."""
        gid = ms.g
        gs = self.g.get(gid)  # type: ignore[arg-type]
        if ms.id is None or ms.p is None or gs is None or gs.status != S.G_RUNNING:
            self._require(ev, ms, MUST, MUST, MUST)
            gs = self._current_g(ev, ms, S.G_RUNNING)
        typ = ev[0]
        if typ == 17:
            del self.g[gid]  # type: ignore[arg-type]
            event = Event(self.count, ev[1], "GoDestroy", ms.id, ms.p, gid, GOROUTINE, gid,
                          "Running", "NotExist")
        elif typ == 19:
            gs.status = S.G_RUNNABLE
            event = Event(self.count, ev[1], "GoStop", ms.id, ms.p, gid, GOROUTINE, gid,
                          "Running", "Runnable", self.stack(ev[3]),
                          {"reason": self.string(ev[2])})
        else:
            gs.status = S.G_WAITING
            event = Event(self.count, ev[1], "GoBlock", ms.id, ms.p, gid, GOROUTINE, gid,
                          "Running", "Waiting", self.stack(ev[3]),
                          {"reason": self.string(ev[2])})
        self.queue.append(event)
        self.count += 1
        ms.g = None
        return True

    def _go_start(self, ev: list, ms: MState) -> bool:
        gid, seq = ev[2], ev[3]
        gs = self.g.get(gid)
        if gs is None or gs.status != S.G_RUNNABLE or not succeeds(gs, self.gen, seq):
            return False
        if ms.id is None or ms.p is None or ms.g is not None:
            self._require(ev, ms, MUST, MUST, MUST_NOT)
        gs.status = S.G_RUNNING
        bump(gs, self.gen, seq)
        self.queue.append(Event(self.count, ev[1], "GoStart", ms.id, ms.p, None, GOROUTINE,
                                gid, "Runnable", "Running", (), {"g_seq": gs.seq}))
        self.count += 1
        ms.g = gid
        return True

    def _go_unblock(self, ev: list, ms: MState) -> bool:
        gid, seq = ev[2], ev[3]
        gs = self.g.get(gid)
        if gs is None or gs.status != S.G_WAITING or not succeeds(gs, self.gen, seq):
            return False
        gs.status = S.G_RUNNABLE
        bump(gs, self.gen, seq)
        self.emit("GoUnblock", ev[1], ms, GOROUTINE, gid, "Waiting", "Runnable",
                  self.stack(ev[4]), {"g_seq": gs.seq})
        return True

    def _go_switch(self, ev: list, ms: MState) -> bool:
        """A coroutine switch: unblock the next goroutine, block or destroy this one, start
        the next; emitted as those three events (the last two marked `implied_by`)."""
        self._require(ev, ms, MUST, MUST, MUST)
        cur = self._current_g(ev, ms, S.G_RUNNING)
        nxt_id, seq = ev[2], ev[3]
        nxt = self.g.get(nxt_id)
        if nxt is None or nxt.status != S.G_WAITING or not succeeds(nxt, self.gen, seq):
            return False
        kind = "GoSwitch" if ev[0] == 45 else "GoSwitchDestroy"
        seq = nxt.seq + 1 if seq is None else seq
        self.emit(kind, ev[1], ms, GOROUTINE, nxt_id, "Waiting", "Runnable",
                  args={"g_seq": seq})
        implied = {"implied_by": kind}
        if ev[0] == 45:
            cur.status = S.G_WAITING
            self.emit("GoBlock", ev[1], ms, GOROUTINE, cur.id, "Running", "Waiting",
                      args={"reason": "", **implied})
        else:
            del self.g[cur.id]
            self.emit("GoDestroy", ev[1], ms, GOROUTINE, cur.id, "Running", "NotExist",
                      args=implied)
        nxt.status = S.G_RUNNING
        bump(nxt, self.gen, seq)
        ms.g = None
        self.emit("GoStart", ev[1], ms, GOROUTINE, nxt_id, "Runnable", "Running",
                  args={"g_seq": seq, **implied})
        ms.g = nxt_id
        return True

    def _held_p(self, ev: list, ms: MState, what: str) -> PState:
        """The P the event's M holds, which the trace must have introduced."""
        ps = self.p.get(ms.p)  # type: ignore[arg-type]
        if ps is None:
            raise self.fail("proc-unknown", f"uninitialized proc {ms.p} found during {what}",
                            ev, ms)
        return ps

    def _go_syscall_begin(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MUST, MUST)
        gs = self._current_g(ev, ms, S.G_RUNNING)
        gs.status = S.G_SYSCALL
        ps = self._held_p(ev, ms, "GoSyscallBegin")
        ps.status = S.P_SYSCALL
        seq = ev[2]
        if not succeeds(ps, self.gen, seq):
            raise self.fail("proc-seq", f"failed to advance GoSyscallBegin: can't make"
                            f" sequence: {ps.seq} (gen={ps.gen}) -> {seq} (gen={self.gen})",
                            ev, ms)
        bump(ps, self.gen, seq)
        self.emit("GoSyscallBegin", ev[1], ms, GOROUTINE, ms.g, "Running", "Syscall",
                  self.stack(ev[3]), {"p_seq": ps.seq})
        return True

    def _go_syscall_end(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MUST, MUST)
        gs = self._current_g(ev, ms, S.G_SYSCALL)
        gs.status = S.G_RUNNING
        ps = self._held_p(ev, ms, "GoSyscallEnd")
        if ps.status != S.P_SYSCALL:
            raise self.fail("proc-state", f"expected proc {ms.p} in state Syscall, but got"
                            f" {S.PSTATUS_NAMES[ps.status]} instead", ev, ms)
        ps.status = S.P_RUNNING
        self.emit("GoSyscallEnd", ev[1], ms, GOROUTINE, ms.g, "Syscall", "Running")
        return True

    def _go_syscall_end_blocked(self, ev: list, ms: MState) -> bool:
        if ms.p is not None:
            ps = self._held_p(ev, ms, "GoSyscallEndBlocked")
            if ps.status == S.P_SYSCALL:
                return False  # its P must first be stopped or stolen
        self._require(ev, ms, MUST, MAY, MUST)
        gs = self._current_g(ev, ms, S.G_SYSCALL)
        gs.status = S.G_RUNNABLE
        self.emit("GoSyscallEndBlocked", ev[1], ms, GOROUTINE, ms.g, "Syscall", "Runnable")
        ms.g = None
        return True

    def _go_create_syscall(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MAY, MUST_NOT)
        new = ev[2]
        if new in self.g:
            raise self.fail("goroutine-exists", f"tried to create goroutine ({new}) in syscall"
                            " that already exists", ev, ms, g=new)
        self.g[new] = GState(new, S.G_SYSCALL, self.gen)
        self.emit("GoCreateSyscall", ev[1], ms, GOROUTINE, new, "NotExist", "Syscall")
        ms.g = new
        return True

    def _go_destroy_syscall(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MAY, MUST)
        gs = self._current_g(ev, ms, S.G_SYSCALL)
        del self.g[gs.id]
        if ms.p is not None:
            # The thread id may be reused: drop the P now (an implied self-steal).
            ps = self.p.get(ms.p)
            if ps is None:
                raise self.fail("proc-unknown", f"found invalid proc {ms.p} during"
                                " GoDestroySyscall", ev, ms)
            if ps.status != S.P_SYSCALL:
                raise self.fail("proc-state", f"proc {ms.p} in unexpected state"
                                f" {S.PSTATUS_NAMES[ps.status]} during GoDestroySyscall",
                                ev, ms)
            ps.status = S.P_SYSCALL_ABANDONED
            self.emit("ProcSteal", ev[1], ms, PROC, ms.p, "Running", "Idle",
                      args={"victim": ms.id, "implied_by": "GoDestroySyscall"})
        self.emit("GoDestroySyscall", ev[1], ms, GOROUTINE, gs.id, "Syscall", "NotExist")
        ms.g = None
        ms.p = None
        return True
