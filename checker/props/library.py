"""The property library of language.md, and user invariants, as engine-ready properties.

A safety property is a predicate on states that must never be true (`bad`); a liveness
property is a labelling whose labels no fair run may carry forever (see explore/liveness).
Each library entry says what it means in the runtime's terms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gocheck.errors import GocheckError
from gocheck.explore.engine import LivenessProperty, SafetyProperty
from gocheck.explore.graph import StateGraph
from gocheck.explore.livelock import GraphProperty, livelock_property
from gocheck.lang import ast
from gocheck.model import program as op
from gocheck.model.machine import Machine
from gocheck.model.state import (
    DEAD,
    G_LEFT,
    G_STATUS_,
    M_G,
    M_P,
    M_PARKED,
    M_RUNNING,
    M_SPINNING,
    M_STATE_,
    M_UNBORN,
    NO,
    P_EXPIRED,
    P_IDLE,
    P_M,
    P_RING,
    P_RUNNEXT,
    P_RUNNING,
    P_STATUS_,
    P_SYSCALL,
    RUNNABLE,
    S_ENDED,
    S_FATAL,
    S_GS,
    S_MS,
    S_PS,
    WAITING,
)
from gocheck.props.formula import compile_expr

DEFAULT_CHECKS = ("fork_join", "no_deadlock", "work_conserving", "syscall_handoff")
Property = SafetyProperty | LivenessProperty | GraphProperty


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    name: str
    kind: str  # "safety" | "liveness" | "graph"
    build: Callable[[Machine], Property]
    summary: str


def _local_work(P: tuple) -> bool:
    return bool(P[P_RING]) or P[P_RUNNEXT] != NO


def fork_join_bad(_m: Machine, s: tuple) -> bool:
    """main has returned while a goroutine it (transitively) spawned has not finished."""
    return bool(s[S_ENDED]) and any(G[G_STATUS_] != DEAD for G in s[S_GS][1:])


def deadlocked(m: Machine, s: tuple) -> bool:
    """Go's "all goroutines are asleep": main unfinished, no fatal error, no actor can move.

    Cheaper than asking for successors: an M that runs, schedules or is in a syscall always
    has a step; with every M parked, only the netpoller and timers could still move.
    """
    if s[S_ENDED] or s[S_FATAL]:
        return False
    if any(M[M_STATE_] not in (M_PARKED, M_UNBORN) for M in s[S_MS]):
        return False
    return not any(
        G[G_STATUS_] == WAITING and m.instr(G).op in (op.NETREAD, op.SLEEP) for G in s[S_GS])


def idle_window(s: tuple) -> bool:
    """A P is idle while a G is runnable."""
    return any(P[P_STATUS_] == P_IDLE for P in s[S_PS]) and any(
        G[G_STATUS_] == RUNNABLE for G in s[S_GS])


def syscall_handoff_bad(m: Machine, s: tuple) -> bool:
    """The handoff rules of language.md: P ownership is exclusive; a running G's M holds a
    running P; an idle P has no local work; a P left in syscall state has no local work once
    sysmon could have retaken it, nor at all after a `block` syscall's entry."""
    ps, ms, gs = s[S_PS], s[S_MS], s[S_GS]
    holders = [M[M_P] for M in ms if M[M_P] != NO]
    if len(holders) != len(set(holders)):
        return True
    for i, M in enumerate(ms):
        if M[M_STATE_] == M_RUNNING and (
                M[M_P] == NO or ps[M[M_P]][P_STATUS_] != P_RUNNING or ps[M[M_P]][P_M] != i):
            return True
    for P in ps:
        if not _local_work(P):
            continue
        if P[P_STATUS_] == P_IDLE:
            return True
        if P[P_STATUS_] == P_SYSCALL and P[P_M] != NO:
            G = gs[ms[P[P_M]][M_G]]
            ins = m.instr(G)
            if ins.b and m.cfg.handoff:
                return True
            if ins.a - G[G_LEFT] > m.cfg.sysmon_delay:
                return True
    return False


def spinning_p_bad(_m: Machine, s: tuple) -> bool:
    """A P held by a spinning M has local work (ring or runnext): the runtime's schedule
    throws "spinning with local work" (#10573), and startm refuses such a P."""
    ms = s[S_MS]
    return any(P[P_M] != NO and ms[P[P_M]][M_SPINNING] and _local_work(P) for P in s[S_PS])


def idle_p_bad(_m: Machine, s: tuple) -> bool:
    """An idle P has local work (ring or runnext): pidleput throws "runq is not empty"."""
    return any(P[P_STATUS_] == P_IDLE and _local_work(P) for P in s[S_PS])


def expired_timer_idle_p(m: Machine, s: tuple) -> bool:
    """An expired timer has not fired while a P is idle (before the program's end).

    With per-P timer heaps (`timer_steal = preempt_marked_only`) an expired timer is one the
    timers actor has moved past its deadline. With the global timer actor (the default) a
    sleeping G's timer may fire at any moment, so a sleeper counts as expired: the property
    then says the actor's fairness fires it.
    """
    if s[S_ENDED] or s[S_FATAL] or not any(P[P_STATUS_] == P_IDLE for P in s[S_PS]):
        return False
    if m.cfg.per_p_timers:
        return any(P[P_EXPIRED] for P in s[S_PS])
    return any(G[G_STATUS_] == WAITING and m.instr(G).op == op.SLEEP for G in s[S_GS])


def scheduler_step(graph: StateGraph, edge: int, _source: int) -> bool:
    """An M's or sysmon's step in which no goroutine moves or is taken to run (the step
    names no G) and the M does not park: the stuff of a livelock (#43997)."""
    step = graph.step(edge)
    if step.g is not None or step.m is None:
        return False
    return graph.decode(graph.target(edge))[S_MS][step.m][M_STATE_] != M_PARKED


def _safety(name: str, bad: Callable[[Machine, tuple], bool]) -> Callable[[Machine], Property]:
    return lambda m: SafetyProperty(name, lambda s: bad(m, s))


def _runnable_gs(s: tuple) -> frozenset:
    return frozenset(g for g, G in enumerate(s[S_GS]) if G[G_STATUS_] == RUNNABLE)


_WINDOW = frozenset({"idle P while a G is runnable"})
_MAIN = frozenset({"main has not returned"})
_TIMER = frozenset({"an expired timer while a P is idle"})
_NONE: frozenset = frozenset()

LIBRARY: dict[str, LibraryEntry] = {e.name: e for e in (
    LibraryEntry("fork_join", "safety", _safety("fork_join", fork_join_bad),
                 "when main returns, every goroutine ever spawned has finished"),
    LibraryEntry("no_deadlock", "safety", _safety("no_deadlock", deadlocked),
                 "never all goroutines asleep with main unfinished"),
    LibraryEntry("no_fatal", "safety",
                 _safety("no_fatal", lambda _m, s: bool(s[S_FATAL])),
                 "no fatal error of the modelled program is reachable"),
    LibraryEntry("strict_work_conserving", "safety",
                 _safety("strict_work_conserving", lambda _m, s: idle_window(s)),
                 "never an idle P while a G is runnable"),
    LibraryEntry("syscall_handoff", "safety", _safety("syscall_handoff", syscall_handoff_bad),
                 "no P is held back by a syscall while it has local work"),
    LibraryEntry("work_conserving", "liveness",
                 lambda _m: LivenessProperty(
                     "work_conserving", lambda s: _WINDOW if idle_window(s) else _NONE, True),
                 "every idle-P-while-runnable window closes under fair scheduling"),
    LibraryEntry("starvation_free", "liveness",
                 lambda _m: LivenessProperty("starvation_free", _runnable_gs, False),
                 "every runnable G eventually runs or the program ends"),
    LibraryEntry("spinning_p_empty", "safety", _safety("spinning_p_empty", spinning_p_bad),
                 "a P held by a spinning M has an empty ring and runnext"),
    LibraryEntry("idle_p_empty", "safety", _safety("idle_p_empty", idle_p_bad),
                 "an idle P has an empty ring and runnext"),
    LibraryEntry("no_scheduler_livelock", "graph",
                 lambda _m: livelock_property("no_scheduler_livelock", scheduler_step),
                 "no reachable cycle of scheduler steps only (no G moves, no M parks)"),
    LibraryEntry("timer_conserving", "liveness",
                 lambda m: LivenessProperty(
                     "timer_conserving",
                     lambda s: _TIMER if expired_timer_idle_p(m, s) else _NONE, True),
                 "an expired timer fires, or no P stays idle, under fair scheduling"),
    LibraryEntry("terminates", "liveness",
                 lambda _m: LivenessProperty(
                     "terminates", lambda s: _NONE if s[S_ENDED] else _MAIN, True),
                 "main eventually returns under fair scheduling"),
)}


def invariant_property(inv: ast.Invariant, m: Machine, path: str) -> SafetyProperty:
    """A user invariant: violated in any reachable state where its expression is 0."""
    value = compile_expr(inv.expr, m, path)
    return SafetyProperty(inv.name, lambda s: not value(s))


def properties_for(spec: ast.Spec, m: Machine, only: tuple[str, ...] = ()) -> list[Property]:
    """The properties to check, in order: `only` (library names or the spec's invariants)
    if given, else the spec's `check` lines (or the defaults) and then its invariants."""
    invariants = {i.name: i for i in spec.invariants}
    if only:
        unknown = [n for n in only if n not in LIBRARY and n not in invariants]
        if unknown:
            known = ", ".join([*LIBRARY, *invariants])
            raise GocheckError(f"unknown property {unknown[0]!r} (known: {known})")
        names = list(dict.fromkeys(only))
    else:
        names = [c.name for c in spec.checks] or list(DEFAULT_CHECKS)
        names = [*dict.fromkeys(names), *invariants]
    return [
        LIBRARY[n].build(m) if n in LIBRARY else invariant_property(invariants[n], m, spec.path)
        for n in names
    ]
