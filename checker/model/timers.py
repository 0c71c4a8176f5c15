"""Per-P timer heaps, only with `timer_steal = preempt_marked_only` (bug-zoo G7, Z9; Go 1.14
and 1.15).

Since Go 1.14 a `time.Sleep` timer lives in the heap of the P its G slept on, and fires
(runtimer: goready of the sleeper) in one of three ways: (a) the P's own schedule runs it
(checkTimers at the top of findRunnable); (b) a spinning thief runs another P's timers in
its steal round; (c) the M blocked in netpoll until a timer's deadline wakes, takes an idle
P and schedules. Go 1.14's thief skipped a running P whose G was not marked for preemption
(shouldStealTimers), on the assumption that the P would soon run its timers itself: with
every P busy on CPU-bound goroutines a timer could wait far beyond its deadline (#38860).

Abstractions:
- There is no clock. A timer's expiry is a step of the timers actor (one fairness class per
  sleeper, as the global actor's): a pending timer eventually expires.
- A heap is kept in the order timers were added; expired timers fire in the order they
  expired (the earliest deadline first).
- The netpoll M's deadline covers the timers of the Ps a thief may take them from (idle and
  syscall Ps, and running Ps whose G is marked), judged when it looks: an over-approximation
  of Go 1.14's pollUntil (its own P's timers and those of the Ps its last steal round
  examined), so it can only rescue more timers than the runtime did. At most one M blocks
  in netpoll (sched.lastpoll); the others park.
- sysmon's `startm` for overdue timers (Go 1.14, "perhaps because there is an unpreemptible
  P") is left out: the M it starts obeys the same thief rule and cannot fire a timer held
  by a running P whose G is not marked either. It could take a timer left on a P that a
  syscall's handoff made idle while every M sleeps; the model has no such rescue, so there
  `timer_conserving` may fail where Go 1.14 was only late.
- Adding a timer wakes nobody (wakeNetPoller only breaks an M already in netpoll, whose
  deadline is judged when it looks anyway).
"""

from __future__ import annotations

from gocheck.model.config import MachineConfig
from gocheck.model.goroutine import wake
from gocheck.model.program import Program
from gocheck.model.state import (
    G_PC,
    G_PREEMPT,
    M_G,
    M_NETPOLL,
    M_STATE_,
    NO,
    P_EXPIRED,
    P_M,
    P_RUNNING,
    P_STATUS_,
    P_TIMERS,
    World,
)


def add_timer(w: World, p: int, g: int) -> None:
    """addtimer: G g's sleep timer joins P p's heap."""
    w.set_p(p, timers=(*w.ps[p][P_TIMERS], g))


def expire(w: World, p: int, g: int) -> None:
    """Time passes: G g's timer on P p reaches its deadline (it is not run yet)."""
    P = w.ps[p]
    w.set_p(p, timers=tuple(t for t in P[P_TIMERS] if t != g), expired=(*P[P_EXPIRED], g))


def run_timers(w: World, prog: Program, cfg: MachineConfig, q: int, p: int) -> tuple[int, ...]:
    """checkTimers(q) run by the M holding P p: every expired timer of q fires, and its
    sleeper is readied onto p (goready: runnext, wakep). The Gs readied, in order."""
    fired = w.ps[q][P_EXPIRED]
    w.set_p(q, expired=())
    for g in fired:
        wake(w, prog, cfg, p, g, w.gs[g][G_PC] + 1)
    return fired


def may_take_timers(ps: tuple, ms: tuple, gs: tuple, q: int) -> bool:
    """shouldStealTimers (Go 1.14): any P that is not running; a running P only if its M
    runs a G that is marked for preemption."""
    P = ps[q]
    if P[P_STATUS_] != P_RUNNING:
        return True
    g = ms[P[P_M]][M_G]
    return g != NO and bool(gs[g][G_PREEMPT])


def netpoll_due(ps: tuple, ms: tuple, gs: tuple) -> bool:
    """The netpoll M's deadline has come: a timer it covers has expired, or it covers no
    timer any more (its deadline passed with the timer gone; it wakes and looks)."""
    covered = [P for q, P in enumerate(ps) if may_take_timers(ps, ms, gs, q)]
    return any(P[P_EXPIRED] for P in covered) or not any(P[P_TIMERS] for P in covered)


def blocks_in_netpoll(w: World) -> bool:
    """findRunnable's stop: block in netpoll instead of parking if no M does already and a
    P whose timers the M may take holds a timer (pollUntil != 0)."""
    if any(M[M_STATE_] == M_NETPOLL for M in w.ms):
        return False
    return any((P[P_TIMERS] or P[P_EXPIRED]) and may_take_timers(w.ps, w.ms, w.gs, q)
               for q, P in enumerate(w.ps))
