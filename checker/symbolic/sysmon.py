"""sysmon over a symbolic World: retake's syscall branch and its preemption requests
(mirrors Machine._retakable, _retake, _preempt_requests and _preempt_request)."""

from __future__ import annotations

from gocheck.model import program as op
from gocheck.model.state import M_RUNNING, M_UNBORN, NO, P_RUNNING, P_SYSCALL
from gocheck.symbolic.kind import Kind
from gocheck.symbolic.sched import handoffp
from gocheck.symbolic.values import Cond, and_, eq, not_, or_
from gocheck.symbolic.world import World


def retakable(w: World, p: int) -> Cond:
    """P p is in syscall state, its syscall has run sysmon_delay ticks, it has local work
    or no P is idle and no M spins, and an M is to be had for the handoff if one is needed."""
    cfg, b, prog = w.layout.cfg, w.layout.b, w.layout.prog
    if not cfg.sysmon:
        return False
    holder = w.p(p, "m")
    g = w.m(holder, "g")
    long_enough = or_(*(
        and_(eq(g, gi), eq(w.g(gi, "func"), f), eq(w.g(gi, "pc"), pc),
             prog.functions[f].code[pc].a - w.g(gi, "left") >= cfg.sysmon_delay)
        for gi in range(b.goroutines) for f, pc in b.places(prog, gi, frozenset({op.SYSCALL}))))
    local = w.local_work(p)
    nspin, npidle = w.nmspinning(), w.qlen("pidle")
    needs_m = or_(local, w.qlen("gq") > 0, and_(eq(nspin, 0), eq(npidle, 0)))
    no_m = and_(eq(w.qlen("midle"), 0),
                *(w.m(m, "state") != M_UNBORN for m in range(cfg.threads)))
    return and_(eq(w.p(p, "status"), P_SYSCALL), holder != NO, long_enough,
                or_(local, and_(eq(npidle, 0), eq(nspin, 0))), not_(and_(needs_m, no_m)))


def retake(w: World, p: int) -> Kind:
    """retake: sysmon hands off P p, taken from the M blocked in a syscall."""
    w.require(retakable(w, p))
    m = w.p(p, "m")
    w.set_p(p, m=NO)
    w.set_m(m, p=NO)
    handoffp(w, p)
    return Kind("sysmon retake", p=p)


def preempt_requested(w: World, p: int) -> Cond:
    """retake's preemption branch: P p's running G has used up the time slice (and is not
    flagged yet)."""
    cfg = w.layout.cfg
    if not cfg.sysmon or cfg.preemption == "off":
        return False
    m = w.p(p, "m")
    return and_(eq(w.p(p, "status"), P_RUNNING), w.p(p, "slice") >= cfg.timeslice,
                eq(w.m(m, "state"), M_RUNNING), eq(w.g(w.m(m, "g"), "preempt"), 0))


def preempt_request(w: World, p: int) -> Kind:
    w.require(preempt_requested(w, p))
    w.set_g(w.m(w.p(p, "m"), "g"), preempt=1)
    return Kind("sysmon preempt request", p=p)
