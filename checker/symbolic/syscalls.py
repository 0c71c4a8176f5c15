"""Syscalls over a symbolic World: entry (with a `block` syscall's handoff), ticks and exit
(mirrors Machine._enter_syscall, _syscall and _syscall_exit)."""

from __future__ import annotations

from gocheck.model import program as op
from gocheck.model.program import Instr
from gocheck.model.state import (
    M_RUNNING,
    M_SEARCH,
    M_SYSCALL,
    NO,
    P_RUNNING,
    P_SYSCALL,
    RUNNABLE,
    RUNNING,
    SYSCALL,
)
from gocheck.symbolic.goroutine import move_to
from gocheck.symbolic.kind import Kind
from gocheck.symbolic.sched import handoff_possible, handoffp, park_m
from gocheck.symbolic.sysmon import retakable
from gocheck.symbolic.values import Val, and_, eq, not_, or_
from gocheck.symbolic.world import World

SYSCALL_OPS = frozenset({op.SYSCALL})


def enter_syscall(w: World, m: Val, p: int, g: int, ins: Instr) -> None:
    """entersyscall: the P goes to syscall state, linked to the M; entersyscallblock hands
    it off at once (unless no M could take it)."""
    w.set_g(g, status=SYSCALL, left=ins.a)
    w.set_m(m, state=M_SYSCALL)
    w.set_p(p, status=P_SYSCALL)
    if ins.b and w.layout.cfg.handoff and w.test(handoff_possible(w, p)):
        w.set_p(p, m=NO)
        w.set_m(m, p=NO)
        w.merge(handoffp, p)


def syscall(w: World, g: int, f: int, pc: int) -> Kind:
    """Machine._syscall: a tick of G g's syscall (not while sysmon may retake its P), or
    the syscall's exit once its ticks are done. The M is the actor variable `am`."""
    m = w.actor()
    w.require(and_(eq(w.m(m, "state"), M_SYSCALL), eq(w.m(m, "g"), g),
                   eq(w.g(g, "func"), f), eq(w.g(g, "pc"), pc)))
    left = w.g(g, "left")
    old = w.m(m, "p")
    if w.test(left != 0):
        procs = w.layout.cfg.procs
        w.require(not_(or_(*(and_(eq(old, q), retakable(w, q)) for q in range(procs)))))
        w.set_g(g, left=left - 1)
        return Kind("syscall tick", g=g, f=f, pc=pc)
    return syscall_exit(w, m, g, f, pc, old)


def syscall_exit(w: World, m: Val, g: int, f: int, pc: int, old: Val) -> Kind:
    """exitsyscall: the old P if still in syscall state (fast path), else an idle P, else
    the G goes to the global queue and the M parks."""
    if w.test(and_(old != NO, eq(w.p(old, "status"), P_SYSCALL), eq(w.p(old, "m"), m))):
        p, name = old, "exit syscall kept"
    elif w.test(w.qlen("pidle") > 0):
        p, name = w.qtop("pidle"), "exit syscall idle P"
    else:
        if move_to(w, g, f, pc + 1):
            w.set_g(g, status=RUNNABLE)
            w.qappend("gq", g)
        park_m(w, m)
        return Kind("exit syscall no P", g=g, f=f, pc=pc)
    if name == "exit syscall idle P" and w.test(p != old):
        w.qpop_back("pidle")
    w.set_p(p, status=P_RUNNING, m=m)
    w.set_m(m, state=M_RUNNING, p=p)
    w.set_g(g, status=RUNNING)
    if not move_to(w, g, f, pc + 1):
        w.set_m(m, state=M_SEARCH, g=NO)
    return Kind(name, g=g, f=f, pc=pc)
