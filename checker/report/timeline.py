"""Per-P lanes of a run: what each P was doing after each step, as data.

A cell is a short code: `G3` (running G3), `sys:G3` (in syscall state with G3's syscall),
`spin` (held by a spinning M), `sched` (held by an M that is scheduling), `.` (idle).
"""

from __future__ import annotations

from gocheck.model.state import (
    M_G,
    M_RUNNING,
    M_SPINNING,
    M_STATE_,
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
