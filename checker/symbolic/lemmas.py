"""Structural lemmas: facts of the modelled machine that hold in every reachable state, as
conditions over one frame, to strengthen the step case of k-induction.

Without them the step case starts from any well-formed state, most of which no run reaches
(a G in two queues, a P held by two Ms, a WaitGroup counter unrelated to the Dones still to
come), and finds counterexamples to induction there. Each lemma here is only a *candidate*:
`houdini.py` keeps the ones that hold initially and are inductive together, and only those
are assumed. A lemma is written once over a `World` (world.py) and read two ways: over a
frame's Syms it is a z3 condition, over a state's concrete ints (`Layout.encode`) a Python
bool, which is how the tests check every lemma on every reachable state of the examples.

Families, per G slot, P, M, queue and synchronisation object:
- where a G is: a runnable G sits in exactly one run-queue place (a ring slot, a runnext,
  the global queue), a running G is run by exactly one running M, a G in a syscall by
  exactly one M in a syscall, a waiting G waits where its pc says (a mutex's, WaitGroup's
  or channel's queue, or the poller), and a G is nowhere else;
- Ps and Ms: an idle P is on the idle list and held by no M, a P and an M point at each
  other or at nobody, each M state has its P, G and spinning fields, a parked M is on the
  idle-M list, Ms are created in index order;
- program progress (for actions every run passes once, `settled`): the number of goroutines
  equals one plus the `go` statements executed, each slot runs the target of its `go`, a
  WaitGroup counter equals its executed Adds minus Dones, a mutex is held by the G between
  its Lock and Unlock, a G past a Wait saw the counter at zero for good;
- loops (flow.py reads how often a G ran an action off its pc and loop counters): a loop
  counter is below its count inside the loop and zero outside, a channel is closed iff its
  close ran, holds the sends minus the receives executed (at most the sends where receives
  are not counted, as a range loop's), and a G past a range loop saw it closed and drained.
"""

from __future__ import annotations

from collections.abc import Iterator

from gocheck.model import program as op
from gocheck.model.state import (
    DEAD,
    G_STATUS,
    M_GIVEUP,
    M_NETPOLL,
    M_PARKED,
    M_RECHECK,
    M_RECHECK_IDLE,
    M_RUNNING,
    M_SEARCH,
    M_STATE,
    M_SYSCALL,
    M_UNBORN,
    NO,
    P_IDLE,
    P_RUNNING,
    P_SYSCALL,
    RUNNABLE,
    RUNNING,
    SYSCALL,
    WAITING,
    waiter,
)
from gocheck.symbolic.flow import executed, loops, once, passed, runs, settled
from gocheck.symbolic.layout import Frame, Layout
from gocheck.symbolic.values import Cond, Val, and_, as_int, eq, not_, or_, total
from gocheck.symbolic.world import World

Lemma = tuple[str, Cond]  # a name (for reports and tests) and its condition
BLOCKING = frozenset({op.SEND, op.RECV, op.RANGE, op.LOCK, op.WGWAIT, op.SELECT,
                      op.NETREAD, op.SLEEP})
TICKS = frozenset({op.WORK, op.SPIN, op.SYSCALL})


def symbolic(layout: Layout, x: Frame) -> list[Lemma]:
    """The candidate lemmas over frame x."""
    return lemmas(World(layout, dict(x.vars), 0, {}, ()))


def concrete(layout: Layout, values: dict[str, int]) -> list[Lemma]:
    """The candidate lemmas of a concrete state (`Layout.encode`): each condition a bool."""
    return lemmas(World(layout, dict(values), 0, {}, ()))


def lemmas(w: World) -> list[Lemma]:
    return [*_goroutines(w), *_procs(w), *_threads(w), *_sync(w), *_awake(w), *_progress(w)]


def implies(a: Cond, b: Cond) -> Cond:
    return or_(not_(a), b)


def iff(a: Cond, b: Cond) -> Cond:
    return and_(implies(a, b), implies(b, a))


def at_most_one(cs: list[Cond]) -> Cond:
    return and_(*(not_(and_(a, b)) for i, a in enumerate(cs) for b in cs[i + 1:]))


def exactly_one(cs: list[Cond]) -> Cond:
    return and_(or_(*cs), at_most_one(cs))


def _slots(w: World, q: str) -> list[str]:
    return [f"{q}.{j}" for j in range(w.layout.caps[q])]


def _run_places(w: World) -> list[str]:
    """Every variable that may hold a runnable G's id."""
    procs = w.layout.cfg.procs
    return [*(n for p in range(procs) for n in _slots(w, f"p{p}.ring")),
            *(f"p{p}.runnext" for p in range(procs)), *_slots(w, "gq")]


def _wait_places(w: World, g: int) -> dict[str, list[Cond]]:
    """For each wait queue, the conditions that it holds G g (one per slot)."""
    prog, b = w.layout.prog, w.layout.b
    out: dict[str, list[Cond]] = {}
    for i in range(len(prog.mutex_names)):
        out[f"mu{i}.waiters"] = [eq(w[n], g) for n in _slots(w, f"mu{i}.waiters")]
    for i in range(len(prog.wg_names)):
        out[f"wg{i}.waiters"] = [eq(w[n], g) for n in _slots(w, f"wg{i}.waiters")]
    entries = [waiter(g, c) for c in range(-1, b.max_cases)]
    for c in range(len(prog.chan_caps)):
        for side in ("sendq", "recvq"):
            q = f"c{c}.{side}"
            out[q] = [or_(*(eq(w[n], e) for e in entries)) for n in _slots(w, q)]
    return out


def _waits_on(ins: op.Instr) -> list[str]:
    """The queues a G blocked at instruction `ins` is in (none: the poller, or forever)."""
    if ins.op in (op.SEND,):
        return [f"c{ins.a}.sendq"]
    if ins.op in (op.RECV, op.RANGE):
        return [f"c{ins.a}.recvq"]
    if ins.op == op.LOCK:
        return [f"mu{ins.a}.waiters"]
    if ins.op == op.WGWAIT:
        return [f"wg{ins.a}.waiters"]
    if ins.op == op.SELECT:
        return sorted({f"c{chan}.{'sendq' if kind == 'send' else 'recvq'}"
                       for kind, chan, _ in ins.c})  # type: ignore[union-attr]
    return []


def _goroutines(w: World) -> Iterator[Lemma]:
    layout = w.layout
    b, prog, threads = layout.b, layout.prog, layout.cfg.threads
    run_places = _run_places(w)
    for g in range(b.goroutines):
        live = w["ng"] > g
        status = w.g(g, "status")
        queued = [eq(w[n], g) for n in run_places]
        yield f"g{g} runnable iff in one run queue place", and_(
            implies(and_(live, eq(status, RUNNABLE)), exactly_one(queued)),
            implies(not_(and_(live, eq(status, RUNNABLE))), not_(or_(*queued))))
        on_m = {s: [and_(eq(w.m(m, "state"), s), eq(w.m(m, "g"), g)) for m in range(threads)]
                for s in (M_RUNNING, M_SYSCALL)}
        for s, gs in ((M_RUNNING, RUNNING), (M_SYSCALL, SYSCALL)):
            mine = and_(live, eq(status, gs))
            yield f"g{g} {G_STATUS[gs]} iff on one M {M_STATE[s]}", and_(
                implies(mine, exactly_one(on_m[s])), implies(not_(mine), not_(or_(*on_m[s]))))
        yield f"g{g} preemption requested only while running", implies(
            eq(w.g(g, "preempt"), 1), eq(status, RUNNING))
        waits = _wait_places(w, g)
        places = b.places(prog, g)
        for f, pc in places:
            ins = prog.functions[f].code[pc]
            here = and_(live, eq(w.g(g, "func"), f), eq(w.g(g, "pc"), pc))
            waiting = and_(here, eq(status, WAITING))
            mine = _waits_on(ins)
            if ins.op == op.WGWAIT:
                yield f"g{g} waits at {f}:{pc} only while wg{ins.a} counts", implies(
                    waiting, w[f"wg{ins.a}.counter"] > 0)
            if ins.op not in BLOCKING or (ins.op == op.SELECT and ins.b >= 0):
                yield f"g{g} not waiting at {f}:{pc}", not_(waiting)
            for q, conds in waits.items():
                if q in mine:
                    yield f"g{g} waiting at {f}:{pc} is once in {q}", implies(
                        waiting, exactly_one(conds))
            if ins.op != op.SYSCALL:
                yield f"g{g} no syscall at {f}:{pc}", not_(and_(here, eq(status, SYSCALL)))
            if ins.op == op.SYSCALL:
                yield f"g{g} no ticks left before its syscall at {f}:{pc}", implies(
                    and_(here, not_(eq(status, SYSCALL))), eq(w.g(g, "left"), 0))
            if ins.op not in TICKS:
                yield f"g{g} no ticks left at {f}:{pc}", implies(here, eq(w.g(g, "left"), 0))
            else:
                yield f"g{g} ticks at {f}:{pc} within {ins.a}", implies(
                    here, w.g(g, "left") <= ins.a)
        for q, conds in waits.items():
            waiting_here = or_(*(and_(live, eq(w.g(g, "func"), f), eq(w.g(g, "pc"), pc),
                                      eq(status, WAITING))
                                 for f, pc in places
                                 if q in _waits_on(prog.functions[f].code[pc])))
            yield f"g{g} in {q} only while waiting on it", implies(
                not_(waiting_here), not_(or_(*conds)))


def _procs(w: World) -> Iterator[Lemma]:
    cfg = w.layout.cfg
    pidle = _slots(w, "pidle")
    for p in range(cfg.procs):
        status, holder = w.p(p, "status"), w.p(p, "m")
        listed = [eq(w[n], p) for n in pidle]
        yield f"p{p} idle iff once on the idle list", and_(
            implies(eq(status, P_IDLE), and_(exactly_one(listed), eq(holder, NO))),
            implies(not_(eq(status, P_IDLE)), not_(or_(*listed))))
        for m in range(cfg.threads):
            yield f"p{p} held by m{m} iff m{m} holds p{p}", iff(eq(holder, m),
                                                                  eq(w.m(m, "p"), p))
            state = w.m(m, "state")
            yield f"p{p} running is held by a scheduling or running m{m}", implies(
                and_(eq(status, P_RUNNING), eq(holder, m)),
                or_(*(eq(state, s) for s in (M_RUNNING, M_SEARCH, M_GIVEUP))))
            yield f"p{p} held by m{m} giving up has no local work", implies(
                and_(eq(holder, m), eq(state, M_GIVEUP)), not_(w.queued(p)))
            yield f"p{p} in syscall is held by m{m} in a syscall", implies(
                and_(eq(status, P_SYSCALL), eq(holder, m)), eq(state, M_SYSCALL))
        yield f"p{p} not idle is held", implies(not_(eq(status, P_IDLE)), not_(eq(holder, NO)))
        yield f"p{p} idle has no local work", implies(eq(status, P_IDLE), not_(w.queued(p)))


def _threads(w: World) -> Iterator[Lemma]:
    cfg = w.layout.cfg
    midle = _slots(w, "midle")
    for m in range(cfg.threads):
        state, p, g, spinning = (w.m(m, f) for f in ("state", "p", "g", "spinning"))
        listed = [eq(w[n], m) for n in midle]
        parked = eq(state, M_PARKED)
        yield f"m{m} parked iff once on the idle-M list", and_(
            implies(parked, exactly_one(listed)), implies(not_(parked), not_(or_(*listed))))
        bare = and_(eq(p, NO), eq(g, NO), eq(spinning, 0))
        yield f"m{m} unborn or parked holds nothing", implies(
            or_(parked, eq(state, M_UNBORN)), bare)
        yield f"m{m} in a state of the default machine", and_(
            *(not_(eq(state, s)) for s in (M_RECHECK_IDLE, M_NETPOLL)))
        yield f"m{m} holds a G only while running it or in a syscall", implies(
            not_(eq(g, NO)), or_(eq(state, M_RUNNING), eq(state, M_SYSCALL)))
        yield f"m{m} running has a P and a G", implies(
            eq(state, M_RUNNING), and_(not_(eq(p, NO)), not_(eq(g, NO)), eq(spinning, 0)))
        yield f"m{m} scheduling has a P and no G", implies(
            or_(eq(state, M_SEARCH), eq(state, M_GIVEUP)), and_(not_(eq(p, NO)), eq(g, NO)))
        yield f"m{m} rechecking has neither P nor G", implies(
            eq(state, M_RECHECK), and_(eq(p, NO), eq(g, NO)))
        yield f"m{m} in a syscall has a G and is not spinning", implies(
            eq(state, M_SYSCALL), and_(not_(eq(g, NO)), eq(spinning, 0)))
        yield f"m{m} spinning only while scheduling", implies(
            eq(spinning, 1), or_(*(eq(state, s) for s in (M_SEARCH, M_GIVEUP, M_RECHECK))))
        if m + 1 < cfg.threads:
            yield f"m{m + 1} created after m{m}", implies(
                eq(state, M_UNBORN), eq(w.m(m + 1, "state"), M_UNBORN))


def _sync(w: World) -> Iterator[Lemma]:
    """A G waits on a mutex only while it is held, on a channel only while its operation
    cannot complete."""
    prog = w.layout.prog
    for i in range(len(prog.mutex_names)):
        yield f"mu{i} has waiters only while held", implies(w[f"mu{i}.waiters.n"] > 0,
                                                            eq(w[f"mu{i}.held"], 1))
    for c, cap in enumerate(prog.chan_caps):
        senders, receivers = w[f"c{c}.sendq.n"] > 0, w[f"c{c}.recvq.n"] > 0
        count = w[f"c{c}.count"]
        yield f"c{c} has waiting senders only while full and open", implies(
            senders, and_(eq(count, cap), eq(w[f"c{c}.closed"], 0), not_(receivers)))
        yield f"c{c} has waiting receivers only while empty and open", implies(
            receivers, and_(eq(count, 0), eq(w[f"c{c}.closed"], 0)))


def _awake(w: World) -> Iterator[Lemma]:
    """Runnable work always has an M awake to run it (the spinning protocol's promise);
    main's end is the program's."""
    cfg, b = w.layout.cfg, w.layout.b
    threads = range(cfg.threads)
    awake = or_(*(not_(or_(eq(w.m(m, "state"), M_PARKED), eq(w.m(m, "state"), M_UNBORN)))
                  for m in threads))
    runnable = or_(*(and_(w["ng"] > g, eq(w.g(g, "status"), RUNNABLE))
                     for g in range(b.goroutines)))
    yield "a runnable G has an M awake", implies(runnable, awake)
    yield "a global queue with Gs has an M awake", implies(w["gq.n"] > 0, awake)
    yield "main dead iff the program ended", iff(eq(w.g(0, "status"), DEAD),
                                                 eq(w["ended"], 1))


# --- program progress ---------------------------------------------------------------------

def _executions(w: World, ops: frozenset[int]) -> list[tuple[Cond, op.Instr]] | None:
    """(executed, instruction) for every action of `ops` every G slot may run; None if
    one of them is not `settled`."""
    layout, out = w.layout, []
    for g in range(layout.b.goroutines):
        for f, pc in layout.b.places(layout.prog, g, ops):
            code = layout.prog.functions[f]
            if not settled(code, pc):
                return None
            out.append((executed(w, g, f, pc), code.code[pc]))
    return out


def _progress(w: World) -> Iterator[Lemma]:
    prog = w.layout.prog
    main = prog.functions[prog.main]
    gos = [pc for pc, ins in enumerate(main.code) if ins.op == op.GO]
    spawns = _executions(w, frozenset({op.GO}))
    if spawns is not None:
        yield "goroutines = 1 + executed go statements", eq(
            w["ng"], 1 + total(as_int(e) for e, _ in spawns))
        if len(spawns) == len(gos):  # only main spawns: slot i runs its i-th go's target
            for i, pc in enumerate(gos, start=1):
                yield f"g{i} runs its go's target", implies(
                    w["ng"] > i, eq(w.g(i, "func"), main.code[pc].a))
    adds = _executions(w, frozenset({op.WGADD}))
    waits = _executions(w, frozenset({op.WGWAIT})) or []
    for i in range(len(prog.wg_names)):
        if adds is not None:
            delta = total(as_int(e) * ins.b for e, ins in adds if ins.a == i)
            yield f"wg{i} counter = executed Adds - Dones", eq(w[f"wg{i}.counter"], delta)
        for e, ins in waits:
            if ins.a == i:
                yield f"wg{i} stays zero after a Wait", implies(e, eq(w[f"wg{i}.counter"], 0))
    yield from _holders(w)
    yield from _buffers(w)
    yield from _counters(w)


def _buffers(w: World) -> Iterator[Lemma]:
    """A channel nobody closes stays open, one closed by `settled` closes is closed iff one
    ran; a buffer holds at most the sends executed (each send outside loops runs at most
    once, and only a G past it can have run it), and exactly the sends minus the receives
    where both are counted (`flow.runs`: straight-line code and simple counted loops; an
    unbuffered channel's handoff completes both at once) and nobody closes it; a G past a
    range loop's exit saw its channel closed and drained, for good."""
    prog, b = w.layout.prog, w.layout.b
    for c, cap in enumerate(prog.chan_caps):
        closes = [(g, f, pc) for g in range(b.goroutines)
                  for f, pc in b.places(prog, g, frozenset({op.CLOSE}))
                  if prog.functions[f].code[pc].a == c]
        closed = eq(w[f"c{c}.closed"], 1)
        if not closes:
            yield f"c{c} stays open", not_(closed)
        elif all(settled(prog.functions[f], pc) for _, f, pc in closes):
            yield f"c{c} closed iff a close ran", iff(
                closed, or_(*(executed(w, g, f, pc) for g, f, pc in closes)))
        for g in range(b.goroutines):
            for f, pc in b.places(prog, g, frozenset({op.RANGE})):
                ins = prog.functions[f].code[pc]
                if ins.a == c:
                    yield f"g{g} past the range at {f}:{pc} saw c{c} closed and drained", \
                        implies(passed(w, g, f, (pc, ins.b)),
                                and_(closed, eq(w[f"c{c}.count"], 0)))
        sent, received = _counted(w, c, op.SEND), _counted(w, c, op.RECV)
        if sent is not None and received is not None and not closes:
            # (a receive from a closed, drained channel completes without a send)
            yield f"c{c} buffers the sends minus the receives", eq(
                w[f"c{c}.count"] + received, sent)
        if cap == 0:
            continue
        sites = [(g, f, pc, arms) for g in range(b.goroutines)
                 for f, pc in b.places(prog, g, frozenset({op.SEND, op.SELECT}))
                 if (arms := _sends(prog.functions[f].code[pc], c))]
        if all(once(prog.functions[f], pc) for _, f, pc, _ in sites):
            yield f"c{c} buffers at most the sends executed", w[f"c{c}.count"] <= total(
                as_int(executed(w, g, f, pc)) * arms for g, f, pc, arms in sites)
        elif sent is not None:
            yield f"c{c} buffers at most the sends executed", w[f"c{c}.count"] <= sent


def _counted(w: World, c: int, kind: int) -> Val | None:
    """How many sends (kind SEND) or receives (RECV) on channel c have completed, if every
    site that may make one is a plain operation `flow.runs` counts (None otherwise: a range
    loop's receives, a select's)."""
    prog, b = w.layout.prog, w.layout.b
    ops = frozenset({kind, op.SELECT} | ({op.RANGE} if kind == op.RECV else set()))
    counts = []
    for g in range(b.goroutines):
        for f, pc in b.places(prog, g, ops):
            ins = prog.functions[f].code[pc]
            if ins.op == op.SELECT:
                if any(ch == c for _, ch, _ in ins.c):  # type: ignore[union-attr]
                    return None
            elif ins.a == c:
                n = runs(w, g, f, pc) if ins.op == kind else None
                if n is None:
                    return None
                counts.append(n)
    return total(counts)


def _counters(w: World) -> Iterator[Lemma]:
    """A counted loop's counter is below its count in the loop's body and zero elsewhere
    (it starts at zero and is reset on the loop's exit)."""
    prog, b = w.layout.prog, w.layout.b
    for g in range(b.goroutines):
        for f, pc in b.places(prog, g):
            here = and_(w["ng"] > g, eq(w.g(g, "func"), f), eq(w.g(g, "pc"), pc),
                        not_(eq(w.g(g, "status"), DEAD)))
            for loop in loops(prog.functions[f]):
                counter = w.g(g, f"c{loop.slot}")
                yield f"g{g} loop counter {loop.slot} at {f}:{pc}", implies(
                    here, counter < loop.count if loop.inside(pc) else eq(counter, 0))


def _sends(ins: op.Instr, c: int) -> int:
    """How many sends on channel c instruction `ins` may make (a select: one per arm)."""
    if ins.op == op.SEND:
        return int(ins.a == c)
    return sum(1 for kind, ch, _ in ins.c or () if kind == "send" and ch == c)  # type: ignore


def _holders(w: World) -> Iterator[Lemma]:
    """A mutex is held iff one G stands between a Lock and the next Unlock of its code."""
    prog, b = w.layout.prog, w.layout.b
    if _executions(w, frozenset({op.LOCK, op.UNLOCK})) is None:
        return
    for i in range(len(prog.mutex_names)):
        holding = []
        for g in range(b.goroutines):
            for f, pc in b.places(prog, g, frozenset({op.LOCK})):
                code = prog.functions[f].code
                if code[pc].a != i:
                    continue
                unlock = next((u for u in range(pc + 1, len(code))
                               if code[u].op == op.UNLOCK and code[u].a == i), None)
                if unlock is not None:
                    holding.append(and_(executed(w, g, f, pc),
                                        not_(executed(w, g, f, unlock))))
        yield f"mu{i} held by the G between Lock and Unlock", and_(
            eq(w[f"mu{i}.held"], as_int(or_(*holding))), at_most_one(holding))
