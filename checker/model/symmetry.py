"""Symmetry of the machine: Ms are interchangeable, and so are goroutines of one function in
the same local state, so states that differ only in such names are one state up to renaming.

Ms: every rule treats Ms alike; they are found only through a P's owner field, an M's G,
the parked-M stack (whose order matters and is kept) and the lowest uncreated id (all
uncreated Ms are alike). Gs: a G is found through the queues and waiter lists it stands in
(their order is kept) and the M running it; new Gs are appended, whatever the old names.
Renaming by such permutations maps runs to runs, and no safety property reads a name: G0
(main) keeps its name, since `fork_join` and the program's end single it out, and `done(f)`
reads functions, not names. Ps are not renamed: observables read them by index.

`canonical` picks one representative per class. Gs are ordered by (function, local state,
where they are referenced) — a key that mentions no G name, so equal keys mean truly
interchangeable Gs; then Ms: holding a P first, by P; in a syscall without a P, by their
(renamed) G; about to recheck; parked in stack order; uncreated.
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
    P_RING,
    P_RUNNEXT,
    S_CHANS,
    S_GLOBALQ,
    S_GS,
    S_MIDLE,
    S_MS,
    S_MUTEXES,
    S_PS,
    S_WGS,
    waiter,
    waiter_case,
    waiter_g,
)


def _g_places(state: tuple) -> dict[int, list[tuple]]:
    """Where each G is referenced, as name-free positions."""
    places: dict[int, list[tuple]] = {}

    def at(g: int, *where: object) -> None:
        places.setdefault(g, []).append(where)

    for i, g in enumerate(state[S_GLOBALQ]):
        at(g, 0, i)
    for p, P in enumerate(state[S_PS]):
        for i, g in enumerate(P[P_RING]):
            at(g, 1, p, i)
        if P[P_RUNNEXT] != NO:
            at(P[P_RUNNEXT], 2, p)
    for M in state[S_MS]:
        if M[M_G] != NO:
            at(M[M_G], 3, M[M_P])
    for c, (_count, _closed, sendq, recvq) in enumerate(state[S_CHANS]):
        for kind, queue in ((4, sendq), (5, recvq)):
            for i, e in enumerate(queue):
                at(waiter_g(e), kind, c, i, waiter_case(e))
    for kind, table in ((6, state[S_MUTEXES]), (7, state[S_WGS])):
        for k, (_value, waiters) in enumerate(table):
            for i, g in enumerate(waiters):
                at(g, kind, k, i)
    return places


def _rename_gs(state: tuple) -> tuple:
    gs = state[S_GS]
    if len(set(gs[1:])) == len(gs) - 1:  # no two Gs alike: their own state orders them
        order = [0, *sorted(range(1, len(gs)), key=gs.__getitem__)]
    else:
        places = _g_places(state)
        order = [0, *sorted(range(1, len(gs)), key=lambda g: (gs[g], places.get(g, ())))]
    if order == list(range(len(gs))):
        return state
    new = {old: n for n, old in enumerate(order)}
    ps = tuple((*P[:P_RING], tuple(new[g] for g in P[P_RING]),
                P[P_RUNNEXT] if P[P_RUNNEXT] == NO else new[P[P_RUNNEXT]], *P[P_RUNNEXT + 1:])
               for P in state[S_PS])
    ms = tuple(M if M[M_G] == NO else (*M[:M_G], new[M[M_G]], *M[M_G + 1:])
               for M in state[S_MS])
    chans = tuple(
        (count, closed, *(tuple(waiter(new[waiter_g(e)], waiter_case(e)) for e in q)
                          for q in (sendq, recvq)))
        for count, closed, sendq, recvq in state[S_CHANS])
    mutexes = tuple((v, tuple(new[g] for g in w)) for v, w in state[S_MUTEXES])
    wgs = tuple((v, tuple(new[g] for g in w)) for v, w in state[S_WGS])
    renamed = list(state)
    renamed[S_GS] = tuple(gs[g] for g in order)
    renamed[S_PS], renamed[S_MS], renamed[S_CHANS] = ps, ms, chans
    renamed[S_GLOBALQ] = tuple(new[g] for g in state[S_GLOBALQ])
    renamed[S_MUTEXES], renamed[S_WGS] = mutexes, wgs
    return tuple(renamed)


def _m_rank(m: int, M: tuple, stack_position: dict[int, int]) -> tuple[int, int]:
    if M[M_P] != NO:
        return (0, M[M_P])
    if M[M_G] != NO:
        return (1, M[M_G])
    if M[M_STATE_] == M_PARKED:
        return (3, stack_position[m])
    if M[M_STATE_] == M_UNBORN:
        return (4, 0)
    return (2, 0)


def _rename_ms(state: tuple) -> tuple:
    ms = state[S_MS]
    midle = state[S_MIDLE]
    stack_position = {m: i for i, m in enumerate(midle)}
    order = sorted(range(len(ms)), key=lambda m: _m_rank(m, ms[m], stack_position))
    if order == list(range(len(ms))):
        return state
    new_id = {old: new for new, old in enumerate(order)}
    ps = tuple(P if P[P_M] == NO else (*P[:P_M], new_id[P[P_M]], *P[P_M + 1:])
               for P in state[S_PS])
    return (*state[:S_PS], ps, tuple(ms[m] for m in order),
            *state[S_MS + 1:S_MIDLE], tuple(new_id[m] for m in midle), *state[S_MIDLE + 1:])


def canonical(state: tuple) -> tuple:
    """The representative of `state`'s class under renaming Gs (but main) and Ms."""
    return _rename_ms(_rename_gs(state))
