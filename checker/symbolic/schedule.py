"""schedule's three steps over a symbolic World: search, give up, recheck (mirrors
Machine._search, _take, _steal, _give_up, _release, _recheck_first, _stop_after_recheck and
_recheck). Search and give-up are instantiated per P, and per M by their caller
(`World.actor`); recheck and the stop after a recheck per M."""

from __future__ import annotations

from collections.abc import Callable

from gocheck.model.state import (
    M_GIVEUP,
    M_RECHECK,
    M_RECHECK_IDLE,
    M_SEARCH,
    NO,
    P_IDLE,
    P_RUNNING,
)
from gocheck.symbolic.kind import Kind
from gocheck.symbolic.sched import (
    become_spinning,
    execute,
    global_batch,
    park_m,
    pidleput,
    resetspinning,
    set_needspinning,
)
from gocheck.symbolic.values import Cond, Val, and_, eq, not_, or_
from gocheck.symbolic.world import World


def search(w: World, p: int) -> Kind:
    """findRunnable's search, in the runtime's order: the 1-in-global_check global look,
    runnext, the ring, a global batch, then spinning and stealing."""
    cfg = w.layout.cfg
    m = w.actor()
    w.require(and_(eq(w.m(m, "state"), M_SEARCH), eq(w.m(m, "p"), p)))
    ring, gq = f"p{p}.ring", "gq"
    nonempty = w.qlen(gq) > 0
    if cfg.global_check and w.test(and_(eq(w.p(p, "tick") % cfg.global_check, 0), nonempty)):
        take(w, m, p, lambda: w.qpop_front(gq))
        return Kind("search global (fairness)", p=p)
    if w.test(w.p(p, "runnext") != NO):
        def pop_runnext() -> Val:
            g = w.p(p, "runnext")
            w.set_p(p, runnext=NO)
            return g
        take(w, m, p, pop_runnext, inherit=True)
        return Kind("search runnext", p=p)
    if w.test(w.qlen(ring) > 0):
        take(w, m, p, lambda: w.qpop_front(ring))
        return Kind("search local", p=p)
    if w.test(nonempty):
        take(w, m, p, lambda: global_batch(w, p))
        return Kind("search global batch", p=p)
    return steal(w, m, p)


def take(w: World, m: Val, p: int, pop: Callable[[], Val], *, inherit: bool = False) -> None:
    g = pop()
    execute(w, m, p, g, inherit=inherit)
    w.merge(resetspinning, m)


def steal(w: World, m: Val, p: int) -> Kind:
    """stealWork: only a spinning M steals, and an M may start spinning only while
    2 x spinning Ms < procs - idle Ps. One path per victim with local work."""
    cfg = w.layout.cfg
    spinning = w.m(m, "spinning") != 0
    if w.test(and_(not_(spinning),
                   2 * w.nmspinning() >= cfg.procs - w.qlen("pidle"))):
        w.set_m(m, state=M_GIVEUP)
        return Kind("search nothing found", p=p)
    others = [] if cfg.steal == "off" else [q for q in range(cfg.procs) if q != p]
    victim = {q: and_(w.p(q, "status") != P_IDLE, w.queued(q)) for q in others}
    k = w.pick(len(others) + 1)
    if k < len(others):
        q = others[k]
        w.require(victim[q])
        if w.test(not_(spinning)):
            become_spinning(w, m)
        g = steal_from(w, p, q)
        execute(w, m, p, g, inherit=False)
        w.merge(resetspinning, m)
        return Kind("search steal", p=p, q=q)
    w.require(and_(*(not_(c) for c in victim.values())))
    if w.test(not_(spinning)):
        become_spinning(w, m)
    w.set_m(m, state=M_GIVEUP)
    return Kind("search spinning nothing", p=p)


def steal_from(w: World, p: int, q: int) -> Val:
    """runqsteal: half the victim's ring (rounded up) from its head, the last one to run and
    the rest into the thief's ring; with an empty ring, the victim's runnext."""
    ring = f"p{q}.ring"
    if w.test(eq(w.qlen(ring), 0)):
        g = w.p(q, "runnext")
        w.set_p(q, runnext=NO)
        return g
    n = w.concretize(w.qlen(ring), range(1, w.layout.caps[ring] + 1))
    k = 1 if w.layout.cfg.steal == "one" else n - n // 2
    stolen = [w.qpop_front(ring) for _ in range(k)]
    for g in stolen[:-1]:
        w.qappend(f"p{p}.ring", g)
    return stolen[-1]


def give_up(w: World, p: int) -> Kind:
    """findRunnable's stop: a last look at the global queue; a non-spinning M that sees
    needspinning spins instead; else (after a recheck while spinning, with `recheck_order
    = recheck_first`) the P goes idle."""
    m = w.actor()
    w.require(and_(eq(w.m(m, "state"), M_GIVEUP), eq(w.m(m, "p"), p)))
    spinning = w.m(m, "spinning") != 0
    if w.test(w.qlen("gq") > 0):
        take(w, m, p, lambda: global_batch(w, p))
        return Kind("give up global batch", p=p)
    if w.test(and_(not_(spinning), w["needspin"] != 0)):
        become_spinning(w, m)
        w.set_m(m, state=M_SEARCH)
        return Kind("give up needspinning", p=p)
    cfg = w.layout.cfg
    if cfg.recheck_order == "recheck_first" and w.test(spinning):
        return recheck_first(w, m, p)
    pidleput(w, p)
    if w.test(spinning):
        w.set_m(m, state=M_RECHECK, p=NO, spinning=0)
        return Kind("give up release spinning", p=p)
    if cfg.recheck == "all":
        w.set_m(m, state=M_RECHECK_IDLE, p=NO)
        return Kind("give up release recheck", p=p)
    park_m(w, m)
    return Kind("give up release park", p=p)


def recheck_first(w: World, m: int, p: int) -> Kind:
    """`recheck_order = recheck_first`: the spinner looks at every queue while still
    spinning and holding its P: work -> search again; nothing -> stop later, unlooking."""
    if w.test(visible_work(w)):
        w.set_m(m, state=M_SEARCH)
        return Kind("give up recheck while spinning: work", p=p)
    w.set_m(m, state=M_RECHECK)
    return Kind("give up recheck while spinning: nothing", p=p)


def stop_after_recheck(w: World, m: int) -> Kind:
    """The stop of `recheck_first`: release the P, stop spinning, park; no last look."""
    p = w.m(m, "p")
    w.require(and_(eq(w.m(m, "state"), M_RECHECK), not_(eq(p, NO))))
    pidleput(w, p)
    park_m(w, m)
    return Kind("stop after recheck", m=m)


def visible_work(w: World) -> Cond:
    """What a recheck looks at: the global queue and every non-idle P's local work."""
    return or_(w.qlen("gq") > 0, *(and_(w.p(q, "status") != P_IDLE, w.local_work(q))
                                   for q in range(w.layout.cfg.procs)))


def recheck(w: World, m: int) -> Kind:
    """The spinning-to-non-spinning dance: look at the global queue and every non-idle P
    once more; work and an idle P -> take it (and spin, if it was a spinner); work and no
    idle P -> needspinning; then park. Also an M that was not spinning (`recheck = all`)."""
    state = w.m(m, "state")
    w.require(or_(and_(eq(state, M_RECHECK), eq(w.m(m, "p"), NO)), eq(state, M_RECHECK_IDLE)))
    spinner = w.test(eq(state, M_RECHECK))
    work = visible_work(w)
    if w.test(and_(work, w.qlen("pidle") > 0)):
        p = w.qpop_back("pidle")
        w.set_p(p, status=P_RUNNING, m=m)
        w.set_m(m, state=M_SEARCH, p=p)
        if spinner:
            become_spinning(w, m)
        return Kind("recheck take", m=m)
    if w.test(work):
        set_needspinning(w)
        park_m(w, m)
        return Kind("recheck needspinning", m=m)
    park_m(w, m)
    return Kind("recheck park", m=m)
