"""Channels, select, mutexes and WaitGroups over a symbolic World (mirrors `model/sync.py`).

Each operation returns the model's outcome (CONTINUE, PARK, FATAL, CLOSED) for the path it
took. A waiter taken from a queue is a term: its wake-up is merged (`w.merge`), after pinning
the waiter to a slot and a place among those where such a waiter can stand.
"""

from __future__ import annotations

from gocheck.model import program as op
from gocheck.model.program import Instr
from gocheck.model.state import (
    FATAL_CLOSE_CLOSED,
    FATAL_CLOSE_SENDERS,
    FATAL_NEGATIVE_WG,
    FATAL_SEND_CLOSED,
    FATAL_UNLOCK,
    WAITING,
    waiter,
)
from gocheck.model.sync import CLOSED, CONTINUE, FATAL, PARK, WG_LIMIT, YIELD
from gocheck.symbolic.goroutine import place_of, wake
from gocheck.symbolic.values import Cond, Val, and_, eq, ite, or_
from gocheck.symbolic.world import World


# --- completing a parked waiter -------------------------------------------------------------
def _waits_on(kind: str, ch: int, case: int, ins: Instr) -> bool:
    """Whether a waiter with select case `case` in ch's `kind` queue can stand at `ins`."""
    if case >= 0:
        arms = ins.c if ins.op == op.SELECT else ()
        return case < len(arms) and arms[case][:2] == (kind, ch)  # type: ignore[index]
    ops = (op.SEND,) if kind == "send" else (op.RECV, op.RANGE)
    return ins.op in ops and ins.a == ch


def release(w: World, p: int, kind: str, ch: int, entry: Val, *, closed: bool = False,
            present: Cond = True, only_waiting: bool = False) -> None:
    """Sync._release: complete a queued channel waiter (merged by the caller). A plain op
    moves past itself (a range loop leaves on close); a select waiter leaves every queue and
    jumps to its case. `present`/`only_waiting` serve close's loop over its old queue."""
    if not w.test(present):
        return
    b, prog = w.layout.b, w.layout.prog
    options = [(g, case) for g in range(b.goroutines) for case in range(-1, b.max_cases)
               if any(_waits_on(kind, ch, case, prog.functions[f].code[pc])
                      for f, pc in b.places(prog, g))]
    if not options:
        return
    value = w.concretize(entry, [waiter(g, case) for g, case in options])
    g, case = next(o for o in options if waiter(*o) == value)
    if only_waiting and not w.test(eq(w.g(g, "status"), WAITING)):
        return
    where = place_of(w, g, lambda ins: _waits_on(kind, ch, case, ins))
    if where is None:
        return
    _, f, pc = where
    ins = prog.functions[f].code[pc]
    if case >= 0:
        _unqueue(w, g, ins)
        target = ins.c[case][2]  # type: ignore[index]
    elif closed and ins.op == op.RANGE:
        target = ins.b
    else:
        target = pc + 1
    wake(w, p, g, f, target)


def _unqueue(w: World, g: int, ins: Instr) -> None:
    """Remove every entry of select-waiter g from the queues of the select's channels."""
    lo, hi = waiter(g, -1), waiter(g + 1, -1)
    for ch in sorted({c for _k, c, _t in ins.c}):  # type: ignore[union-attr]
        for q in (f"c{ch}.sendq", f"c{ch}.recvq"):
            w.qfilter(q, lambda e: or_((e < lo), e >= hi))


# --- channels -------------------------------------------------------------------------------
def send_ready(w: World, ch: int) -> Cond:
    return or_(w[f"c{ch}.closed"] != 0, w.qlen(f"c{ch}.recvq") > 0,
               (w[f"c{ch}.count"] < w.layout.prog.chan_caps[ch]))


def recv_ready(w: World, ch: int) -> Cond:
    return or_(w[f"c{ch}.count"] > 0, w.qlen(f"c{ch}.sendq") > 0, w[f"c{ch}.closed"] != 0)


def send(w: World, p: int, g: int, ch: int, case: int = -1) -> int:
    c = f"c{ch}"
    if w.test(w[f"{c}.closed"] != 0):
        w["fatal"] = FATAL_SEND_CLOSED
        return FATAL
    if w.test(w.qlen(f"{c}.recvq") > 0):
        entry = w.qpop_front(f"{c}.recvq")
        w.merge(release, p, "recv", ch, entry)
        return CONTINUE
    if w.test(w[f"{c}.count"] < w.layout.prog.chan_caps[ch]):
        w[f"{c}.count"] = w[f"{c}.count"] + 1
        return CONTINUE
    w.qappend(f"{c}.sendq", waiter(g, case))
    return PARK


def recv(w: World, p: int, g: int, ch: int, case: int = -1) -> int:
    """Receive; returns CONTINUE, PARK, or CLOSED (closed and drained)."""
    c = f"c{ch}"
    if w.test(w[f"{c}.count"] > 0):
        if w.test(w.qlen(f"{c}.sendq") > 0):  # a parked sender's value takes the freed slot
            w.merge(release, p, "send", ch, w.qpop_front(f"{c}.sendq"))
        else:
            w[f"{c}.count"] = w[f"{c}.count"] - 1
        return CONTINUE
    if w.test(w.qlen(f"{c}.sendq") > 0):
        w.merge(release, p, "send", ch, w.qpop_front(f"{c}.sendq"))
        return CONTINUE
    if w.test(w[f"{c}.closed"] != 0):
        return CLOSED
    w.qappend(f"{c}.recvq", waiter(g, case))
    return PARK


def close(w: World, p: int, ch: int) -> int:
    c = f"c{ch}"
    if w.test(w[f"{c}.closed"] != 0):
        w["fatal"] = FATAL_CLOSE_CLOSED
        return FATAL
    if w.test(w.qlen(f"{c}.sendq") > 0):
        w["fatal"] = FATAL_CLOSE_SENDERS
        return FATAL
    old, n = w.qslots(f"{c}.recvq"), w.qlen(f"{c}.recvq")
    w[f"{c}.closed"] = 1
    w.qclear(f"{c}.sendq")
    w.qclear(f"{c}.recvq")
    for j, entry in enumerate(old):  # a select waiter may have left already
        w.merge(release, p, "recv", ch, entry, closed=True, present=(j < n),
                only_waiting=True)
    return CONTINUE


# --- select ---------------------------------------------------------------------------------
def case_ready(w: World, kind: str, ch: int) -> Cond:
    return send_ready(w, ch) if kind == "send" else recv_ready(w, ch)


def select_park(w: World, g: int, ins: Instr) -> None:
    """No case ready and no default: park on every channel, in case order."""
    for i, (kind, ch, _t) in enumerate(ins.c):  # type: ignore[arg-type]
        w.qappend(f"c{ch}.{'sendq' if kind == 'send' else 'recvq'}", waiter(g, i))


# --- mutexes --------------------------------------------------------------------------------
def lock(w: World, g: int, mu: int) -> int:
    if w.test(eq(w[f"mu{mu}.held"], 0)):
        w[f"mu{mu}.held"] = 1
        return CONTINUE
    w.qappend(f"mu{mu}.waiters", g)
    return PARK


def unlock(w: World, p: int, mu: int) -> int:
    if w.test(eq(w[f"mu{mu}.held"], 0)):
        w["fatal"] = FATAL_UNLOCK
        return FATAL
    if w.test(w.qlen(f"mu{mu}.waiters") > 0):  # starvation mode: hand off, then goyield
        w[f"mu{mu}.held"] = 1
        first = w.qpop_front(f"mu{mu}.waiters")
        w.merge(_wake_at, p, first, lambda ins: ins.op == op.LOCK and ins.a == mu, True)
        return YIELD
    w[f"mu{mu}.held"] = 0
    return CONTINUE


def _wake_at(w: World, p: int, g: Val, where: object, present: Cond) -> None:
    """wake(g, pc + 1) for a G parked at an instruction satisfying `where`."""
    if not w.test(present):
        return
    pinned = place_of(w, g, where)  # type: ignore[arg-type]
    if pinned is not None:
        gi, f, pc = pinned
        wake(w, p, gi, f, pc + 1)


# --- WaitGroups -----------------------------------------------------------------------------
def wg_add(w: World, p: int, wg: int, delta: int) -> int:
    key = f"wg{wg}.counter"
    counter = w[key] + delta
    counter = ite(counter > WG_LIMIT, WG_LIMIT, counter) if delta > 0 else counter
    if w.test(counter < 0):
        w["fatal"] = FATAL_NEGATIVE_WG
        return FATAL
    q = f"wg{wg}.waiters"
    if w.test(and_(eq(counter, 0), w.qlen(q) > 0)):
        old, n = w.qslots(q), w.qlen(q)
        w[key] = 0
        w.qclear(q)
        for j, g in enumerate(old):
            w.merge(_wake_at, p, g, lambda ins: ins.op == op.WGWAIT and ins.a == wg, (j < n))
    else:
        w[key] = counter
    return CONTINUE


def wg_wait(w: World, g: int, wg: int) -> int:
    if w.test(eq(w[f"wg{wg}.counter"], 0)):
        return CONTINUE
    w.qappend(f"wg{wg}.waiters", g)
    return PARK

