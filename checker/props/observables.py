"""The observables of a state that invariants and library properties may read.

Each observable is a function of (machine, state, argument) returning an int (booleans are
0/1). This table is the one list of observables: the checker validates names against it and
both engines read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gocheck.model.machine import Machine
from gocheck.model.state import (
    DEAD,
    G_FUNC,
    G_STATUS_,
    M_SPINNING,
    M_STATE_,
    M_UNBORN,
    NO,
    P_IDLE,
    P_M,
    P_RING,
    P_RUNNEXT,
    P_RUNNING,
    P_STATUS_,
    P_SYSCALL,
    RUNNABLE,
    RUNNING,
    S_ENDED,
    S_GLOBALQ,
    S_GS,
    S_MS,
    S_NEEDSPIN,
    S_PS,
    SYSCALL,
    WAITING,
)

Reader = Callable[[Machine, tuple, object], int]


@dataclass(frozen=True, slots=True)
class Observable:
    name: str
    arg: str | None  # None, "proc" (a P index) or "func" (a function name)
    read: Reader
    doc: str


def _count_p(status: int) -> Reader:
    return lambda _m, s, _a: sum(1 for P in s[S_PS] if P[P_STATUS_] == status)


def _count_g(status: int) -> Reader:
    return lambda _m, s, _a: sum(1 for G in s[S_GS] if G[G_STATUS_] == status)


def _done(m: Machine, s: tuple, func: object) -> int:
    """Every goroutine started with `func` (by `go`, or main) has finished: 1 before any is
    spawned; a call of `func` inlined into another goroutine does not count."""
    fid = m.prog.function_id(str(func))
    return int(all(G[G_STATUS_] == DEAD for G in s[S_GS] if G[G_FUNC] == fid))


def _spinning_p(_m: Machine, s: tuple, p: object) -> int:
    P = s[S_PS][int(p)]  # type: ignore[call-overload]
    return int(P[P_M] != NO and s[S_MS][P[P_M]][M_SPINNING])


OBSERVABLES: dict[str, Observable] = {o.name: o for o in (
    Observable("procs_idle", None, _count_p(P_IDLE), "Ps on the idle list"),
    Observable("procs_running", None, _count_p(P_RUNNING), "Ps held by an M"),
    Observable("procs_syscall", None, _count_p(P_SYSCALL), "Ps in syscall state"),
    Observable("runnable", None, _count_g(RUNNABLE), "runnable goroutines"),
    Observable("running", None, _count_g(RUNNING), "running goroutines"),
    Observable("waiting", None, _count_g(WAITING), "goroutines parked"),
    Observable("in_syscall", None, _count_g(SYSCALL), "goroutines in a syscall"),
    Observable("spinning", None,
               lambda _m, s, _a: sum(1 for M in s[S_MS] if M[M_SPINNING]), "spinning Ms"),
    Observable("threads", None,
               lambda _m, s, _a: sum(1 for M in s[S_MS] if M[M_STATE_] != M_UNBORN),
               "Ms created so far"),
    Observable("needspinning", None, lambda _m, s, _a: s[S_NEEDSPIN],
               "the runtime's sched.needspinning flag"),
    Observable("main_done", None, lambda _m, s, _a: s[S_ENDED], "main has returned"),
    Observable("globalq", None, lambda _m, s, _a: len(s[S_GLOBALQ]),
               "length of the global run queue (as len(globalq))"),
    Observable("runq", "proc", lambda _m, s, p: len(s[S_PS][int(p)][P_RING]),  # type: ignore
               "length of P i's local ring (as len(runq[i]))"),
    Observable("runnext", "proc",
               lambda _m, s, p: int(s[S_PS][int(p)][P_RUNNEXT] != NO),  # type: ignore
               "1 if P i's runnext slot holds a G"),
    Observable("spinning_p", "proc", _spinning_p, "1 if P i is held by a spinning M"),
    Observable("done", "func", _done, "every goroutine running function f has finished"),
)}
