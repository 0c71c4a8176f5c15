"""Scheduler rules: run queues, waking and parking Ms, handing Ps off.

Each rule edits a `World` in place and names the runtime function (src/runtime/proc.go) it
abstracts. Abstractions made here, beyond model.md:
- `resetspinning` calls `wakep` whenever the last spinning M finds work, as the runtime does;
  with no idle P that wakep sets `needspinning` (model.md mentions only the idle-P case).
- `becomeSpinning` clears `needspinning`, as the runtime's does; `wakep`'s own start of a
  spinning M does not (the runtime's `mspinning` does not touch the flag).
- An idle P's slice is reset to 0: nothing runs on it, and the next G it runs is taken from
  somewhere other than its (empty) runnext, which resets the slice anyway.
"""

from __future__ import annotations

from gocheck.model.config import MachineConfig
from gocheck.model.state import (
    M_PARKED,
    M_RUNNING,
    M_SEARCH,
    M_SPINNING,
    M_STATE_,
    M_UNBORN,
    NO,
    P_IDLE,
    P_RING,
    P_RUNNEXT,
    P_RUNNING,
    P_SLICE,
    P_TICK,
    RUNNABLE,
    RUNNING,
    World,
)


def runqput(w: World, cfg: MachineConfig, p: int, g: int, *, next: bool = True) -> None:
    """runqput(pp, gp, next) and runqputslow: runnext, then the ring, then overflow.

    The G that was in runnext moves to the ring's tail; a full ring sends its first half and
    then that G to the global queue's tail. With next=False (goyield) or `runnext = off` the
    G itself goes to the ring's tail. Without sysmon the hint is ignored (Go 1.23, #65178:
    nothing else bounds a runnext chain's shared slice) unless `runnext_without_sysmon`.
    """
    pp = w.ps[p]
    ring = pp[P_RING]
    runnext = pp[P_RUNNEXT]
    if cfg.runnext and next and (cfg.sysmon or cfg.runnext_without_sysmon):
        kicked, runnext = runnext, g
    else:
        kicked = g
    if kicked != NO:
        if len(ring) < cfg.runq:
            ring = (*ring, kicked)
        else:
            half = cfg.runq // 2
            w.globalq.extend(ring[:half])
            w.globalq.append(kicked)
            ring = (*ring[half:],)
    w.set_p(p, ring=ring, runnext=runnext)


def has_local_work(cfg: MachineConfig, P: tuple) -> bool:
    """!runqempty(pp): the ring or runnext holds a G. With `runq_empty = ring_only` runnext
    is not counted: the emptiness test of the Go 1.5 tree that threw "spinning with local
    work" (#10573)."""
    return bool(P[P_RING]) or (cfg.runq_empty == "with_runnext" and P[P_RUNNEXT] != NO)


def set_needspinning(w: World, cfg: MachineConfig) -> None:
    """sched.needspinning = 1 (Go >= 1.20, #45867). With `recheck = spinning | all` the flag
    does not exist: whoever found work but no idle P wakes nobody."""
    if cfg.recheck == "needspinning":
        w.needspin = 1


def ready(w: World, cfg: MachineConfig, p: int, g: int) -> None:
    """ready(gp): a woken G goes to the waker's P (runnext) and wakep runs."""
    w.set_g(g, status=RUNNABLE)
    runqput(w, cfg, p, g)
    wakep(w, cfg)


def available_m(w: World, cfg: MachineConfig) -> int:
    """mget or newm: the top parked M, else the lowest uncreated one, else NO (limit)."""
    if w.midle:
        return w.midle[-1]
    if w.created_ms() < cfg.threads:
        return next(i for i, m in enumerate(w.ms) if m[M_STATE_] == M_UNBORN)
    return NO


def startm(w: World, m: int, p: int, *, spinning: bool) -> None:
    """startm(pp, spinning): M m takes P p and schedules."""
    if w.midle and w.midle[-1] == m:
        w.midle.pop()
    w.set_m(m, state=M_SEARCH, p=p, g=NO, spinning=spinning)
    w.set_p(p, status=P_RUNNING, m=m)


def wakep(w: World, cfg: MachineConfig) -> None:
    """wakep: with no M spinning, give an idle P to a parked or new M that spins.

    No idle P, or no M to be had (the thread limit): set needspinning instead
    (pidlegetSpinning's failure path).
    """
    if not cfg.wakep or w.nmspinning():
        return
    m = available_m(w, cfg) if w.pidle else NO
    if m == NO:
        set_needspinning(w, cfg)
        return
    startm(w, m, w.pidle.pop(), spinning=True)


def pidleput(w: World, p: int) -> None:
    """releasep + pidleput: the P goes on top of the idle list."""
    w.set_p(p, status=P_IDLE, m=NO, slice=0)
    w.pidle.append(p)


def park_m(w: World, m: int) -> None:
    """stopm: the M goes on top of the idle M list and sleeps."""
    w.set_m(m, state=M_PARKED, p=NO, g=NO, spinning=False)
    w.midle.append(m)


def handoff_needs_m(w: World, cfg: MachineConfig, p: int) -> bool:
    """Whether handoffp(p) would start an M (cases 1 and 4 of handoffp)."""
    return has_local_work(cfg, w.ps[p]) or bool(w.globalq) or (not w.nmspinning() and not w.pidle)


def handoff_possible(w: World, cfg: MachineConfig, p: int) -> bool:
    return not handoff_needs_m(w, cfg, p) or available_m(w, cfg) != NO


def handoffp(w: World, cfg: MachineConfig, p: int) -> None:
    """handoffp(pp): local or global work -> an M schedules on it; no spinner and no other
    idle P -> an M spins on it (and needspinning is cleared); otherwise the P goes idle.

    Left out: GC work, the trace reader, and the "last P, nobody polling the network" case
    (the model's netpoller is an actor of its own that needs no M).
    """
    if has_local_work(cfg, w.ps[p]) or w.globalq:
        startm(w, available_m(w, cfg), p, spinning=False)
    elif not w.nmspinning() and not w.pidle:
        startm(w, available_m(w, cfg), p, spinning=True)
        w.needspin = 0
    else:
        pidleput(w, p)


def execute(w: World, cfg: MachineConfig, m: int, p: int, g: int, *, inherit: bool) -> None:
    """execute(gp, inheritTime): the G runs on M m and P p; its preemption flag is cleared.

    Taking a G from anywhere but runnext advances the P's schedule counter and starts a new
    time slice; a runnext G inherits the slice. (A sampling sysmon's memory of the slice
    is reset with it.)
    """
    w.set_g(g, status=RUNNING, preempt=0)
    w.set_m(m, state=M_RUNNING, p=p, g=g)
    if not inherit:
        pp = w.ps[p]
        tick = (pp[P_TICK] + 1) % cfg.global_check if cfg.global_check else 0
        w.set_p(p, tick=tick, slice=0)
        if cfg.sampling_sysmon:
            w.set_p(p, seen_slice=0)  # schedtick advanced: a slice sysmon has not seen


def resetspinning(w: World, cfg: MachineConfig, m: int) -> None:
    """resetspinning: a spinning M that found work stops spinning; the last one wakes
    another (wakep), so that a burst of work fills the idle Ps one after another."""
    if w.ms[m][M_SPINNING]:
        w.set_m(m, spinning=False)
        if not w.nmspinning():
            wakep(w, cfg)


def become_spinning(w: World, m: int) -> None:
    """becomeSpinning: count the M as spinning and clear needspinning."""
    w.set_m(m, spinning=True)
    w.needspin = 0


def global_batch(w: World, cfg: MachineConfig, p: int) -> int:
    """globrunqgetbatch: one G to run, and up to runq/2 - 1 more for the P's ring."""
    n = len(w.globalq)
    take = max(1, min(cfg.runq // 2, n, n // cfg.procs + 1))
    batch = w.globalq[:take]
    del w.globalq[:take]
    ring = w.ps[p][P_RING]
    w.set_p(p, ring=(*ring, *batch[1:]))
    return batch[0]


def slice_tick(w: World, cfg: MachineConfig, p: int) -> None:
    """A step of the running G uses its P's time slice (saturating at `timeslice`)."""
    pp = w.ps[p]
    if pp[P_SLICE] < cfg.timeslice:
        w.set_p(p, slice=pp[P_SLICE] + 1)


def is_running_g(w: World, g: int) -> bool:
    return w.gs[g][1] == RUNNING
