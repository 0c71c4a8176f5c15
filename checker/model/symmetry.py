"""Symmetry of the machine: Ms are interchangeable, so states that differ only in which M is
which are one state up to renaming.

Every rule treats Ms alike: they are found only through a P's owner field, the parked-M
stack (whose order matters, and is kept) and the lowest uncreated id (all uncreated Ms are
alike). Renaming Ms by a permutation therefore maps runs to runs, and no property reads an M
id. `canonical` picks one representative per class: Ms holding a P first, by P; then Ms in a
syscall without a P, by their G; then Ms about to recheck (all alike); then parked Ms in
stack order, bottom first; then uncreated Ms. Gs and Ps are left as they are: Ps appear by
index in observables (`len(runq[i])`), and Gs are ordered by creation.
"""

from __future__ import annotations

from gocheck.model.state import (
    M_G,
    M_P,
    M_PARKED,
    M_STATE_,
    M_UNBORN,
    NO,
    P_M,
    S_MIDLE,
    S_MS,
    S_PS,
)


def _rank(m: int, M: tuple, stack_position: dict[int, int]) -> tuple[int, int]:
    if M[M_P] != NO:
        return (0, M[M_P])
    if M[M_G] != NO:
        return (1, M[M_G])
    if M[M_STATE_] == M_PARKED:
        return (3, stack_position[m])
    if M[M_STATE_] == M_UNBORN:
        return (4, 0)
    return (2, 0)


def canonical(state: tuple) -> tuple:
    """The representative of `state`'s class under renaming Ms."""
    ms = state[S_MS]
    midle = state[S_MIDLE]
    stack_position = {m: i for i, m in enumerate(midle)}
    order = sorted(range(len(ms)), key=lambda m: _rank(m, ms[m], stack_position))
    if order == list(range(len(ms))):
        return state
    new_id = {old: new for new, old in enumerate(order)}
    ps = tuple(P if P[P_M] == NO else (*P[:P_M], new_id[P[P_M]], *P[P_M + 1:])
               for P in state[S_PS])
    return (*state[:S_PS], ps, tuple(ms[m] for m in order),
            *state[S_MS + 1:S_MIDLE], tuple(new_id[m] for m in midle), *state[S_MIDLE + 1:])
