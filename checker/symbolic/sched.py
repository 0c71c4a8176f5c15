"""Scheduler helpers over a symbolic World: one function per rule of `model/sched.py`, with
the same name and the same branches (`w.test` where the model's `if` reads the state).

Helpers that branch are merged by their callers (`w.merge`) when a step may call them more
than once; see world.py.
"""

from __future__ import annotations

from gocheck.model.state import (
    M_PARKED,
    M_RUNNING,
    M_SEARCH,
    M_UNBORN,
    NO,
    P_IDLE,
    P_RUNNING,
    RUNNABLE,
    RUNNING,
)
from gocheck.symbolic.values import Val, and_, eq, ite, not_, or_
from gocheck.symbolic.world import World


def runqput(w: World, p: int, g: Val, *, next: bool = True) -> None:
    """runqput(pp, gp, next) and runqputslow: runnext (unless next=False, `runnext = off`,
    or no sysmon without `runnext_without_sysmon`), then the ring, then overflow."""
    cfg = w.layout.cfg
    ring = f"p{p}.ring"
    if cfg.runnext and next and (cfg.sysmon or cfg.runnext_without_sysmon):
        kicked = w.p(p, "runnext")
        w.set_p(p, runnext=g)
    else:
        kicked = g
    if w.test(kicked != NO):
        if w.test(w.qlen(ring) < cfg.runq):
            w.qappend(ring, kicked)
        else:
            for _ in range(cfg.runq // 2):
                w.qappend("gq", w.qpop_front(ring))
            w.qappend("gq", kicked)


def ready(w: World, p: int, g: Val) -> None:
    """ready(gp): a woken G goes to the waker's P (runnext) and wakep runs."""
    w.set_g(g, status=RUNNABLE)
    w.merge(runqput, p, g)
    w.merge(wakep)


def set_needspinning(w: World) -> None:
    """sched.needspinning = 1, where the flag exists (`recheck = needspinning`)."""
    if w.layout.cfg.recheck == "needspinning":
        w["needspin"] = 1


def available_m(w: World) -> Val:
    """mget or newm: the top parked M, else the lowest uncreated one, else NO."""
    if w.test(w.qlen("midle") > 0):
        return w.qtop("midle")
    threads = w.layout.cfg.threads
    if w.test(w.created_ms() < threads):
        first = NO
        for m in range(threads - 1, -1, -1):
            first = ite(eq(w.m(m, "state"), M_UNBORN), m, first)
        return first
    return NO


def startm(w: World, m: Val, p: Val, *, spinning: bool) -> None:
    """startm(pp, spinning): M m takes P p and schedules."""
    midle = "midle"
    if w.test(and_(w.qlen(midle) > 0, eq(w.qtop(midle), m))):
        w.qpop_back(midle)
    w.set_m(m, state=M_SEARCH, p=p, g=NO, spinning=int(spinning))
    w.set_p(p, status=P_RUNNING, m=m)


def wakep(w: World) -> None:
    """wakep: with no M spinning, give an idle P to a parked or new M that spins; no idle P
    or no M to be had: set needspinning."""
    if not w.layout.cfg.wakep or w.test(w.nmspinning() > 0):
        return
    m = w.merge(available_m) if w.test(w.qlen("pidle") > 0) else NO
    if w.test(eq(m, NO)):
        set_needspinning(w)
        return
    startm(w, m, w.qpop_back("pidle"), spinning=True)


def pidleput(w: World, p: Val) -> None:
    """releasep + pidleput: the P goes on top of the idle list."""
    w.set_p(p, status=P_IDLE, m=NO, slice=0)
    w.qappend("pidle", p)


def park_m(w: World, m: Val) -> None:
    """stopm: the M goes on top of the idle M list."""
    w.set_m(m, state=M_PARKED, p=NO, g=NO, spinning=0)
    w.qappend("midle", m)


def handoff_needs_m(w: World, p: int) -> object:
    """Whether handoffp(p) would start an M (cases 1 and 4 of handoffp)."""
    return or_(w.local_work(p), w.qlen("gq") > 0,
               and_(eq(w.nmspinning(), 0), eq(w.qlen("pidle"), 0)))


def handoff_possible(w: World, p: int) -> object:
    return or_(not_(handoff_needs_m(w, p)), w.merge(available_m) != NO)


def handoffp(w: World, p: int) -> None:
    """handoffp(pp): local or global work -> an M schedules on it; no spinner and no other
    idle P -> an M spins on it; otherwise the P goes idle."""
    if w.test(or_(w.local_work(p), w.qlen("gq") > 0)):
        startm(w, w.merge(available_m), p, spinning=False)
    elif w.test(and_(eq(w.nmspinning(), 0), eq(w.qlen("pidle"), 0))):
        startm(w, w.merge(available_m), p, spinning=True)
        w["needspin"] = 0
    else:
        pidleput(w, p)


def execute(w: World, m: Val, p: int, g: Val, *, inherit: bool) -> None:
    """execute(gp, inheritTime): the G runs on M m and P p; its preemption flag is cleared;
    a G not from runnext starts a new slice and advances the schedule counter."""
    w.set_g(g, status=RUNNING, preempt=0)
    w.set_m(m, state=M_RUNNING, p=p, g=g)
    if not inherit:
        gc = w.layout.cfg.global_check
        tick = w.p(p, "tick")
        w.set_p(p, tick=ite(eq(tick + 1, gc), 0, tick + 1) if gc else 0, slice=0)


def resetspinning(w: World, m: Val) -> None:
    """resetspinning: a spinning M that found work stops spinning; the last one wakes
    another (wakep)."""
    if w.test(w.m(m, "spinning") != 0):
        w.set_m(m, spinning=0)
        if w.test(eq(w.nmspinning(), 0)):
            wakep(w)


def become_spinning(w: World, m: Val) -> None:
    """becomeSpinning: count the M as spinning and clear needspinning."""
    w.set_m(m, spinning=1)
    w["needspin"] = 0


def global_batch(w: World, p: int) -> Val:
    """globrunqgetbatch: one G to run, and up to runq/2 - 1 more for the P's (empty) ring.

    take = max(1, min(runq/2, n, n/procs + 1)): with a constant divisor this stays linear."""
    cfg = w.layout.cfg
    n = w.qlen("gq")
    half = cfg.runq // 2
    share = n // cfg.procs + 1
    take = _max(1, _min(_min(half, n), share))
    first = w.qpop_front("gq")
    ring = f"p{p}.ring"
    for t in range(1, min(half, w.layout.b.goroutines)):
        more = t < take
        w.qappend(ring, w.qitem("gq", 0), more)
        w.qpop_front("gq", more)
    return first


def slice_tick(w: World, p: int) -> None:
    """A step of the running G uses its P's time slice (saturating at `timeslice`)."""
    s = w.p(p, "slice")
    w.set_p(p, slice=ite(s < w.layout.cfg.timeslice, s + 1, s))


def _min(a: Val, b: Val) -> Val:
    if isinstance(a, int) and isinstance(b, int):
        return min(a, b)
    return ite(a <= b, a, b)


def _max(a: Val, b: Val) -> Val:
    if isinstance(a, int) and isinstance(b, int):
        return max(a, b)
    return ite(a >= b, a, b)

