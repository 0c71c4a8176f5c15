"""Per-P and per-M lanes of a run: what each P and M was doing after each step, as data.

A P cell is a short code: `G3` (running G3), `sys:G3` (in syscall state with G3's syscall),
`spin` (held by a spinning M), `sched` (held by an M that is scheduling), `.` (idle).
An M cell: `G3` (running it), `sys:G3` (blocked in its syscall), `spin`, `sched`,
`recheck` (a former spinner's last look, or with `recheck = all` any M's), `netpoll`
(blocked in netpoll until a timer's deadline, per-P timers only), `park` (parked), ``
(not created yet).
`kind` sorts a cell into the classes pictures colour: run, syscall, spin, sched, idle.
"""

from __future__ import annotations

from gocheck.model.state import (
    M_G,
    M_NETPOLL,
    M_PARKED,
    M_RECHECK,
    M_RECHECK_IDLE,
    M_RUNNING,
    M_SPINNING,
    M_STATE_,
    M_SYSCALL,
    M_UNBORN,
    NO,
    P_IDLE,
    P_M,
    P_STATUS_,
    P_SYSCALL,
    S_MS,
    S_PS,
)


def p_cell(state: tuple, p: int) -> str:
    P = state[S_PS][p]
    if P[P_STATUS_] == P_IDLE:
        return "."
    if P[P_M] == NO:
        return "sys"
    M = state[S_MS][P[P_M]]
    if P[P_STATUS_] == P_SYSCALL:
        return f"sys:G{M[M_G]}"
    if M[M_STATE_] == M_RUNNING:
        return f"G{M[M_G]}"
    return "spin" if M[M_SPINNING] else "sched"


def lanes(states: list[tuple]) -> list[list[str]]:
    """One lane per P; lane[p][i] is P p's cell in states[i]."""
    procs = len(states[0][S_PS])
    return [[p_cell(s, p) for s in states] for p in range(procs)]


def m_cell(state: tuple, m: int) -> str:
    M = state[S_MS][m]
    kind = M[M_STATE_]
    if kind == M_UNBORN:
        return ""
    if kind == M_PARKED:
        return "park"
    if kind == M_RUNNING:
        return f"G{M[M_G]}"
    if kind == M_SYSCALL:
        return f"sys:G{M[M_G]}"
    if kind in (M_RECHECK, M_RECHECK_IDLE):
        return "recheck"
    if kind == M_NETPOLL:
        return "netpoll"
    return "spin" if M[M_SPINNING] else "sched"


def m_lanes(states: list[tuple]) -> list[tuple[int, list[str]]]:
    """(m, lane) for each M that exists at some point of the run; lane[i] in states[i]."""
    count = len(states[0][S_MS])
    return [(m, [m_cell(s, m) for s in states]) for m in range(count)
            if any(s[S_MS][m][M_STATE_] != M_UNBORN for s in states)]


def kind(cell: str) -> str:
    """run, syscall, spin, sched or idle (an empty, parked, rechecking or netpoll cell is
    idle)."""
    if cell.startswith("G"):
        return "run"
    if cell.startswith("sys"):
        return "syscall"
    if cell in ("spin", "sched"):
        return cell
    return "idle"


def cell_g(cell: str) -> int | None:
    """The G a cell names (`G3`, `sys:G3`), or None."""
    _, _, g = cell.rpartition("G")
    return int(g) if g.isdigit() else None
