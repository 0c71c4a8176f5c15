"""Symmetry of the machine: Ms are interchangeable, so are goroutines of one function in the
same local state, and so are Ps; states that differ only in such names are one state up to
renaming.

Why the rules treat them alike (a renaming maps every run to a run):
- Ms are found only through a P's owner field, an M's G, the parked-M stack (whose order
  matters and is kept) and the lowest uncreated id (all uncreated Ms are alike).
- Gs are found through the queues, waiter lists and timer heaps they stand in (their order
  is kept) and the M running them; new Gs are appended, whatever the old names. G0 (main)
  keeps its name: `fork_join` and the program's end single it out.
- Ps are found through an M's P, the idle-P stack (a LIFO whose order is kept: every rule
  that takes an idle P takes its top) and the P a woken G is readied onto (the waker's own).
  No rule picks a P by its index: schedule steals from and runs the expired timers of any
  victim (one successor each), sysmon looks at every P, the recheck and the netpoll M's
  deadline ask about all Ps at once, and a global batch is sized by the number of Ps. A P's
  schedtick, slice, sysmon memory and timer heaps travel with it. Only the initial state
  singles out P0 (it runs main), and a class needs no renaming-closed initial state.
- Safety properties of the library read no name (`done(f)` reads functions), but an
  invariant may read a P by index (`len(runq[i])`, `runnext(i)`, `spinning(i)`): with such
  a property the caller must use `canonical` (Ps keep their names), else `canonical_ps`.

Representatives: Ps are ordered first, by a key that names nothing (status, idle-stack
position, schedtick, slice, sysmon memory, the state of the M holding the P and the local
states of the Gs it runs, queues and times); then Gs (but main) by (local state, first
place where a structure holds them, with Ps already renamed); then Ms: holding a P first, by
P; in a syscall without a P, by their G; about to recheck or blocked in netpoll, by state;
parked in stack order; uncreated. Each key is invariant under renaming, and two names with
equal keys are truly interchangeable (equal contents in equal places, such as two idle Gs of
one function, or two Ps whose every G is alike), so every member of a class gets the same
representative: the reduction is exact (complete), not merely sound. Should a state break
the model's invariants (one G in two queues), a class could get two representatives, which
costs states, never a verdict.
"""

from __future__ import annotations

from gocheck.model.state import (
    M_G,
    M_P,
    M_PARKED,
    M_SPINNING,
    M_STATE_,
    M_UNBORN,
    NO,
    P_EXPIRED,
    P_M,
    P_RING,
    P_RUNNEXT,
    P_SEEN_SLICE,
    P_SLICE,
    P_STATUS_,
    P_TICK,
    P_TIMERS,
    S_CHANS,
    S_GLOBALQ,
    S_GS,
    S_MIDLE,
    S_MS,
    S_MUTEXES,
    S_PIDLE,
    S_PS,
    S_WGS,
    waiter,
    waiter_case,
    waiter_g,
)

Renaming = list[int] | None  # old id -> new id; None: every id keeps its name
# A G's place as one int: (kind, index, position) packed 16 bits apiece (cheaper than a
# tuple); _NOWHERE, a G no structure holds, comes after every real place.
_NOWHERE = 10 << 32
_NO_P = 0xFFFF  # the P of an M that holds none


def canonical(state: tuple) -> tuple:
    """The representative of `state`'s class under renaming Gs (but main) and Ms."""
    return _canonical(state, None)


def canonical_ps(state: tuple) -> tuple:
    """The representative of `state`'s class under renaming Gs (but main), Ms and Ps; only
    for properties that read no P index."""
    return _canonical(state, _p_order(state) if len(state[S_PS]) > 1 else None)


def rename(state: tuple, g_new: Renaming, m_new: Renaming, p_new: Renaming) -> tuple:
    """`state` with every G, M and P name replaced through the given maps (consistently in
    every structure); g_new must keep main (0) in place."""
    g_new, m_new, p_new = _proper(g_new), _proper(m_new), _proper(p_new)
    ms = state[S_MS]
    if g_new is not None or p_new is not None:
        ms = tuple([_rename_m(M, g_new, p_new) for M in ms])
    return _apply(state, _inverse(g_new), g_new, _inverse(m_new), m_new, _inverse(p_new), p_new,
                  ms)


# --- choosing the representative ---------------------------------------------------------

def _canonical(state: tuple, p_order: list[int] | None) -> tuple:
    """Rename Ps by `p_order` (new -> old; None: keep them), then Gs, then Ms."""
    p_new = None if p_order is None else _inverse(p_order)
    g_order = _g_order(state, p_order, p_new)
    g_new = None if g_order is None else _inverse(g_order)
    ms = state[S_MS]
    if g_new is not None or p_new is not None:
        ms = tuple([_rename_m(M, g_new, p_new) for M in ms])
    m_order = _m_order(ms, state[S_MIDLE])
    if m_order is None and g_new is None and p_new is None:
        return state  # the common case: already the representative
    return _apply(state, g_order, g_new, m_order, _inverse(m_order), p_order, p_new, ms)


def _p_order(state: tuple) -> list[int] | None:
    """Ps by a name-free key; None if they are in that order already. The key's first
    fields (status, idle-stack position, schedtick, slice) usually tell the Ps apart; only
    when they do not are the rest (holder and Gs) computed: the order is the same."""
    ps, pidle = state[S_PS], state[S_PIDLE]
    known = _p_orders.get((ps, pidle), _TIE)
    if known is not _TIE:
        return known  # type: ignore[return-value]
    keys = [(P[P_STATUS_], pidle.index(p) if p in pidle else -1, P[P_TICK], P[P_SLICE])
            for p, P in enumerate(ps)]
    if len(set(keys)) < len(keys):
        gs, ms = state[S_GS], state[S_MS]
        keys = [(*keys[p], *_p_rest(p, P, gs, ms)) for p, P in enumerate(ps)]
        return _two_or_more(keys)
    if len(_p_orders) >= _CACHE_SIZE:
        _p_orders.clear()
    order = _p_orders[(ps, pidle)] = _two_or_more(keys)
    return order


def _two_or_more(keys: list[tuple]) -> list[int] | None:
    if len(keys) == 2:  # the common case, without a sort
        return None if keys[0] <= keys[1] else [1, 0]
    return _order_or_none(keys, 0)


def _p_rest(p: int, P: tuple, gs: tuple, ms: tuple) -> tuple:
    """The rest of P p's key: sysmon's memory, the holder M and the Gs, as contents."""
    m = P[P_M]
    if m == NO:
        holder: tuple = ()
    else:
        M = ms[m]
        holder = (M[M_STATE_], M[M_SPINNING], M[M_P] == p, () if M[M_G] == NO else gs[M[M_G]])
    runnext = P[P_RUNNEXT]
    rest = (P[P_SEEN_SLICE:P_TIMERS], holder, () if runnext == NO else gs[runnext],
            tuple([gs[g] for g in P[P_RING]]))
    if len(P) > P_TIMERS:
        rest += (tuple([gs[g] for g in P[P_TIMERS]]), tuple([gs[g] for g in P[P_EXPIRED]]))
    return rest


# gs -> (False, order) with no two Gs alike, else (True, every G's rank << 36)
_by_contents: dict[tuple, tuple[bool, list[int] | None]] = {}
_m_orders: dict[tuple, list[int] | None] = {}  # (ms, midle) -> order
# (ps, pidle) -> order, when the key's first fields alone tell the Ps apart (never a _TIE)
_p_orders: dict[tuple, list[int] | None] = {}
_TIE: list[int] = []
_CACHE_SIZE = 1 << 16  # entries per cache before it starts afresh: bounded memory


def _g_order(state: tuple, p_order: list[int] | None,
             p_new: list[int] | None) -> list[int] | None:
    """Gs but main by (local state, first place); None if that is their order already.
    With no two Gs alike, their local states alone order them (a cached answer per `gs`);
    else each G's rank among the distinct local states (cached) and its place, packed in
    one int (places are below 2^36), sort exactly as the pairs would."""
    gs = state[S_GS]
    if len(gs) <= 2:
        return None
    known = _by_contents.get(gs)
    if known is None:
        if len(_by_contents) >= _CACHE_SIZE:
            _by_contents.clear()
        if len(set(gs)) < len(gs):
            rank = {G: r for r, G in enumerate(sorted(set(gs)))}
            known = (True, [rank[G] << 36 for G in gs])
        else:
            known = (False, _order_or_none(gs, 1))
        _by_contents[gs] = known
    alike, answer = known
    if not alike:
        return answer
    place = _first_places(state, p_order, p_new).get
    return _order_or_none([r | place(g, _NOWHERE) for g, r in enumerate(answer)], 1)


def _first_places(state: tuple, p_order: list[int] | None,
                  p_new: list[int] | None) -> dict[int, int]:
    """The first place (a name-free position, Ps already renamed) that holds each G."""
    place: dict[int, int] = {}
    put = place.setdefault
    for i, g in enumerate(state[S_GLOBALQ]):
        put(g, i)
    ps = state[S_PS]
    for q, p in enumerate(range(len(ps)) if p_order is None else p_order):
        P = ps[p]
        at = q << 16
        for i, g in enumerate(P[P_RING]):
            put(g, 1 << 32 | at | i)
        if P[P_RUNNEXT] != NO:
            put(P[P_RUNNEXT], 2 << 32 | at)
        if len(P) > P_TIMERS:
            for i, g in enumerate(P[P_TIMERS]):
                put(g, 3 << 32 | at | i)
            for i, g in enumerate(P[P_EXPIRED]):
                put(g, 4 << 32 | at | i)
    for M in state[S_MS]:
        if M[M_G] != NO:
            p = M[M_P]
            put(M[M_G], 5 << 32 | (_NO_P if p == NO else p if p_new is None else p_new[p]) << 16)
    for c, (_count, _closed, sendq, recvq) in enumerate(state[S_CHANS]):
        for kind, queue in ((6, sendq), (7, recvq)):
            for i, e in enumerate(queue):
                put(waiter_g(e), kind << 32 | c << 16 | i)
    for kind, table in ((8, state[S_MUTEXES]), (9, state[S_WGS])):
        for k, (_value, waiters) in enumerate(table):
            for i, g in enumerate(waiters):
                put(g, kind << 32 | k << 16 | i)
    return place


def _m_order(ms: tuple, midle: tuple) -> list[int] | None:
    """Ms (G and P names already final) by what they hold: a P, by P; in a syscall without
    one, by G; between (recheck, netpoll), by state; parked, in stack order; uncreated. None
    if already so; cached per (ms, midle), which few distinct values take."""
    known = _m_orders.get((ms, midle), ms)
    if known is not ms:
        return known  # type: ignore[return-value]
    if len(_m_orders) >= _CACHE_SIZE:
        _m_orders.clear()
    stack_at = {m: i for i, m in enumerate(midle)}
    keys = []
    for m, M in enumerate(ms):
        p, g, kind = M[M_P], M[M_G], M[M_STATE_]
        if p != NO:
            keys.append((0, p, g, kind))
        elif g != NO:
            keys.append((1, g, kind, 0))
        elif kind == M_PARKED:
            keys.append((3, stack_at.get(m, -1), 0, 0))
        elif kind == M_UNBORN:
            keys.append((4, 0, 0, 0))
        else:
            keys.append((2, kind, int(M[M_SPINNING]), 0))
    order = _m_orders[(ms, midle)] = _order_or_none(keys, 0)
    return order


_IDENTITY: dict[tuple[int, int], list[int]] = {}


def _order_or_none(keys: list | tuple, start: int) -> list[int] | None:
    """The ids from `start` on sorted by key (stable), the ones before kept in place; None
    when that is the identity."""
    n = len(keys)
    order = sorted(range(start, n), key=keys.__getitem__)
    identity = _IDENTITY.get((start, n))
    if identity is None:
        identity = _IDENTITY[(start, n)] = list(range(start, n))
    if order == identity:
        return None
    return [*range(start), *order]


def _inverse(order: list[int] | None) -> list[int] | None:
    if order is None:
        return None
    new = [0] * len(order)
    for n, old in enumerate(order):
        new[old] = n
    return new


def _proper(new: Renaming) -> Renaming:
    """A map, or None if it is the identity."""
    return None if new is None or new == list(range(len(new))) else new


# --- applying a renaming -------------------------------------------------------------------

def _apply(state: tuple, g_order: Renaming, g_new: Renaming, m_order: Renaming,
           m_new: Renaming, p_order: Renaming, p_new: Renaming, ms: tuple) -> tuple:
    """Rename through the maps (old -> new) and reorder by the orders (new -> old); None
    stands for the identity, and a structure no map touches is kept as it is. `ms`: the Ms
    with G and P names already renamed (not yet reordered)."""
    if g_new is None and m_new is None and p_new is None:
        return state
    out = list(state)
    gs, ps = state[S_GS], state[S_PS]
    if g_order is not None:
        out[S_GS] = tuple([gs[g] for g in g_order])
        out[S_GLOBALQ] = tuple([g_new[g] for g in state[S_GLOBALQ]])  # type: ignore[index]
        out[S_CHANS] = tuple([_rename_chan(ch, g_new) for ch in state[S_CHANS]])  # type: ignore[arg-type]
        out[S_MUTEXES] = _rename_waits(state[S_MUTEXES], g_new)  # type: ignore[arg-type]
        out[S_WGS] = _rename_waits(state[S_WGS], g_new)  # type: ignore[arg-type]
    if g_new is not None or m_new is not None:
        ps = tuple([_rename_p(P, g_new, m_new) for P in ps])
    if p_order is not None:
        ps = tuple([ps[p] for p in p_order])
        out[S_PIDLE] = tuple([p_new[p] for p in state[S_PIDLE]])  # type: ignore[index]
    out[S_PS] = ps
    if m_order is not None:
        ms = tuple([ms[m] for m in m_order])
        out[S_MIDLE] = tuple([m_new[m] for m in state[S_MIDLE]])  # type: ignore[index]
    out[S_MS] = ms
    return tuple(out)


def _rename_p(P: tuple, g_new: Renaming, m_new: Renaming) -> tuple:
    items = list(P)
    if m_new is not None and P[P_M] != NO:
        items[P_M] = m_new[P[P_M]]
    if g_new is not None:
        items[P_RING] = tuple([g_new[g] for g in P[P_RING]])
        if P[P_RUNNEXT] != NO:
            items[P_RUNNEXT] = g_new[P[P_RUNNEXT]]
        if len(P) > P_TIMERS:  # per-P timer heaps
            items[P_TIMERS] = tuple([g_new[g] for g in P[P_TIMERS]])
            items[P_EXPIRED] = tuple([g_new[g] for g in P[P_EXPIRED]])
    return tuple(items)


def _rename_m(M: tuple, g_new: Renaming, p_new: Renaming) -> tuple:
    p, g = M[M_P], M[M_G]
    if p_new is not None and p != NO:
        p = p_new[p]
    if g_new is not None and g != NO:
        g = g_new[g]
    return (M[M_STATE_], p, g, *M[M_G + 1:])


def _rename_chan(ch: tuple, g_new: list[int]) -> tuple:
    count, closed, sendq, recvq = ch
    if not sendq and not recvq:
        return ch
    return (count, closed,
            *(tuple([waiter(g_new[waiter_g(e)], waiter_case(e)) for e in q])
              for q in (sendq, recvq)))


def _rename_waits(table: tuple, g_new: list[int]) -> tuple:
    return tuple([(v, tuple([g_new[g] for g in w])) if w else (v, w) for v, w in table])
