"""Go's rules for Ps: status declarations, start, stop and steal (with sequence numbers).

A rule returns True when the event advances, False when it must wait for another
thread's event (a P not yet Idle, a sequence number not yet reached), and raises `Broken`
when it can never happen.
"""

from __future__ import annotations

from gocheck.traces import spec as S
from gocheck.traces.event import PROC
from gocheck.traces.order_core import OrderCore
from gocheck.traces.resource import (
    MAY,
    MUST,
    MUST_NOT,
    P_API,
    MState,
    PState,
    bump,
    opt,
    succeeds,
    thread_id,
)


class ProcRules(OrderCore):
    """ProcStatus, ProcStart, ProcStop, ProcSteal."""

    def _proc_status(self, ev: list, ms: MState) -> bool:
        pid, status = ev[2], ev[3]
        if status not in S.PSTATUS_NAMES:
            raise self.fail("status-invalid", f"invalid status for proc {pid}: {status}", ev, ms)
        old, shown = P_API[status], status
        ps = self.p.get(pid)
        if ps is not None:
            if status == S.P_SYSCALL_ABANDONED and ps.status == S.P_SYSCALL:
                old, shown = "Running", S.P_SYSCALL  # still in the syscall we know about
            elif status == S.P_SYSCALL_ABANDONED and ps.status == S.P_SYSCALL_ABANDONED:
                old = "Idle"
            elif ps.status != status:
                raise self.fail("proc-status", f"inconsistent status for proc {pid}: old"
                                f" {S.PSTATUS_NAMES[ps.status]} vs. new"
                                f" {S.PSTATUS_NAMES[status]}", ev, ms, p=pid)
            ps.gen, ps.seq = self.gen, 0
        else:
            self.p[pid] = PState(pid, status, self.gen)
            old = "Undetermined" if self.gen == self.initial_gen else "NotExist"
        new_p = pid if status in (S.P_RUNNING, S.P_SYSCALL) else ms.p
        ctx = ms
        if status == S.P_SYSCALL_ABANDONED and old == "Running":
            # Reported by another thread just before the steal: show it on the holder.
            holders = sorted(m for m, st in self.m.items() if st.p == pid)
            if not holders:
                raise self.fail("proc-unknown", f"failed to find sched context for proc {pid}"
                                " that's about to be stolen", ev, ms, p=pid)
            ctx = self.m[holders[-1]]
        self.emit("ProcStatus", ev[1], ctx, PROC, pid, old, P_API[shown],
                  args={"status": S.PSTATUS_NAMES[shown]})
        ms.p = new_p
        return True

    def _proc_start(self, ev: list, ms: MState) -> bool:
        pid, seq = ev[2], ev[3]
        ps = self.p.get(pid)
        if ps is None or ps.status != S.P_IDLE or not succeeds(ps, self.gen, seq) \
                or ms.p is not None:
            return False
        self._require(ev, ms, MUST, MUST_NOT, MAY)
        ps.status = S.P_RUNNING
        bump(ps, self.gen, seq)
        self.emit("ProcStart", ev[1], ms, PROC, pid, "Idle", "Running", args={"p_seq": ps.seq})
        ms.p = pid
        return True

    def _proc_stop(self, ev: list, ms: MState) -> bool:
        ps = self.p.get(ms.p)  # type: ignore[arg-type]
        if ps is None:
            raise self.fail("proc-unknown", f"event ProcStop for proc ({opt(ms.p)}) that"
                            " doesn't exist", ev, ms)
        if ps.status not in (S.P_RUNNING, S.P_SYSCALL):
            raise self.fail("proc-state", "ProcStop event for proc that's not Running or"
                            " Syscall", ev, ms)
        self._require(ev, ms, MUST, MUST, MAY)
        ps.status = S.P_IDLE
        self.emit("ProcStop", ev[1], ms, PROC, ms.p, "Running", "Idle")
        ms.p = None
        return True

    def _proc_steal(self, ev: list, ms: MState) -> bool:
        pid, seq, victim = ev[2], ev[3], thread_id(ev[4])
        ps = self.p.get(pid)
        if ps is None or ps.status not in (S.P_SYSCALL, S.P_SYSCALL_ABANDONED) \
                or not succeeds(ps, self.gen, seq):
            return False
        self._require(ev, ms, MUST, MAY, MAY)
        abandoned = ps.status == S.P_SYSCALL_ABANDONED
        ps.status = S.P_IDLE
        bump(ps, self.gen, seq)
        args = {"p_seq": ps.seq, "victim": victim}
        if abandoned:
            self.emit("ProcSteal", ev[1], ms, PROC, pid, "Idle", "Idle", args=args)
            return True
        if victim == ms.id:
            if ms.p != pid:
                raise self.fail("steal-self", f"tried to self-steal proc {pid} (thread"
                                f" {victim}), but got proc {opt(ms.p)} instead", ev, ms, p=pid)
            self.emit("ProcSteal", ev[1], ms, PROC, pid, "Running", "Idle", args=args)
            ms.p = None
            return True
        vs = self.m.get(victim)  # type: ignore[arg-type]
        if vs is None:
            raise self.fail("steal-victim", f"stole proc from non-existent thread {victim}",
                            ev, ms, p=pid)
        if vs.p != pid:
            raise self.fail("steal-victim", f"tried to steal proc {pid} from thread {victim},"
                            f" but got proc {opt(vs.p)} instead", ev, ms, p=pid)
        vs.p = None  # the victim can now end its syscall blocked
        self.emit("ProcSteal", ev[1], ms, PROC, pid, "Running", "Idle", args=args)
        return True
