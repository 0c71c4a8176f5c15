"""The safety properties of `props/library.py` as z3 predicates over one frame.

Each `bad` mirrors the library's predicate of the same name, reading the frame through a
World (world.py) so indices may be terms. Liveness properties have no predicate here: the
symbolic engine leaves them to the explicit engine.
"""

from __future__ import annotations

from collections.abc import Callable

from gocheck.model import program as op
from gocheck.model.state import (
    DEAD,
    M_PARKED,
    M_RUNNING,
    M_UNBORN,
    NO,
    P_IDLE,
    P_RUNNING,
    P_SYSCALL,
    RUNNABLE,
    WAITING,
)
from gocheck.symbolic.layout import Frame, Layout
from gocheck.symbolic.values import Cond, and_, eq, not_, or_
from gocheck.symbolic.world import World

Bad = Callable[[Layout, Frame], Cond]


def reader(layout: Layout, x: Frame) -> World:
    """A World over frame x, for reading."""
    return World(layout, dict(x.vars), 0, {}, ())


def live(w: World, g: int) -> Cond:
    """G slot g holds a goroutine (created)."""
    return w["ng"] > g


def fork_join(layout: Layout, x: Frame) -> Cond:
    """main has returned while a goroutine it spawned has not finished."""
    w = reader(layout, x)
    return and_(w["ended"] != 0, or_(*(and_(live(w, g), w.g(g, "status") != DEAD)
                                       for g in range(1, layout.b.goroutines))))


def no_deadlock(layout: Layout, x: Frame) -> Cond:
    """All goroutines asleep: every M parked or unborn, no G on the netpoller or a timer."""
    w = reader(layout, x)
    polled = frozenset({op.NETREAD, op.SLEEP})
    pollable = or_(*(and_(live(w, g), eq(w.g(g, "status"), WAITING),
                          eq(w.g(g, "func"), f), eq(w.g(g, "pc"), pc))
                     for g in range(layout.b.goroutines)
                     for f, pc in layout.b.places(layout.prog, g, polled)))
    asleep = [or_(eq(w.m(m, "state"), M_PARKED), eq(w.m(m, "state"), M_UNBORN))
              for m in range(layout.cfg.threads)]
    return and_(eq(w["ended"], 0), eq(w["fatal"], 0), *asleep, not_(pollable))


def no_fatal(layout: Layout, x: Frame) -> Cond:
    return x["fatal"] != 0


def idle_window(w: World) -> Cond:
    """A P is idle while a G is runnable."""
    return and_(or_(*(eq(w.p(p, "status"), P_IDLE) for p in range(w.layout.cfg.procs))),
                or_(*(and_(live(w, g), eq(w.g(g, "status"), RUNNABLE))
                      for g in range(w.layout.b.goroutines))))


def strict_work_conserving(layout: Layout, x: Frame) -> Cond:
    return idle_window(reader(layout, x))


def syscall_handoff(layout: Layout, x: Frame) -> Cond:
    """P ownership is exclusive; a running G's M holds a running P; an idle P has no local
    work; a P left in syscall state has no local work once sysmon could have retaken it,
    nor at all after a `block` syscall's entry."""
    w, cfg, b, prog = reader(layout, x), layout.cfg, layout.b, layout.prog
    threads = range(cfg.threads)
    out: list[Cond] = []
    for i in threads:
        pi = w.m(i, "p")
        out += [and_(pi != NO, eq(pi, w.m(j, "p"))) for j in threads if j > i]
        out.append(and_(eq(w.m(i, "state"), M_RUNNING),
                        or_(eq(pi, NO), w.p(pi, "status") != P_RUNNING, w.p(pi, "m") != i)))
    for p in range(cfg.procs):
        holder = w.p(p, "m")
        g = w.m(holder, "g")
        held_back = or_(*(
            and_(eq(g, gi), eq(w.g(gi, "func"), f), eq(w.g(gi, "pc"), pc),
                 or_(bool(ins.b and cfg.handoff), ins.a - w.g(gi, "left") > cfg.sysmon_delay))
            for gi in range(b.goroutines)
            for f, pc in b.places(prog, gi, frozenset({op.SYSCALL}))
            for ins in (prog.functions[f].code[pc],)))
        status = w.p(p, "status")
        out.append(and_(w.queued(p), or_(
            eq(status, P_IDLE), and_(eq(status, P_SYSCALL), holder != NO, held_back))))
    return or_(*out)


def spinning_p_empty(layout: Layout, x: Frame) -> Cond:
    """A P held by a spinning M has local work (ring or runnext)."""
    w = reader(layout, x)
    return or_(*(and_(not_(eq(w.p(p, "m"), NO)), not_(eq(w.m(w.p(p, "m"), "spinning"), 0)),
                      w.queued(p)) for p in range(layout.cfg.procs)))


def idle_p_empty(layout: Layout, x: Frame) -> Cond:
    """An idle P has local work (ring or runnext)."""
    w = reader(layout, x)
    return or_(*(and_(eq(w.p(p, "status"), P_IDLE), w.queued(p))
                 for p in range(layout.cfg.procs)))


SAFETY: dict[str, Bad] = {
    "fork_join": fork_join,
    "no_deadlock": no_deadlock,
    "no_fatal": no_fatal,
    "strict_work_conserving": strict_work_conserving,
    "syscall_handoff": syscall_handoff,
    "spinning_p_empty": spinning_p_empty,
    "idle_p_empty": idle_p_empty,
}
