"""The netpoller and the timers over a symbolic World (mirrors Machine._pollers and
_inject): one step per G parked at a `netread` or `time.Sleep`."""

from __future__ import annotations

from gocheck.model import program as op
from gocheck.model.state import NO, RUNNABLE, WAITING
from gocheck.symbolic.goroutine import move_to
from gocheck.symbolic.kind import Kind
from gocheck.symbolic.sched import available_m, set_needspinning, startm
from gocheck.symbolic.values import and_, eq
from gocheck.symbolic.world import World

POLLED = {op.NETREAD: "netpoller", op.SLEEP: "timers"}


def poller(w: World, g: int, f: int, pc: int) -> Kind:
    """netpoll / timer firing for G g parked at (f, pc)."""
    w.require(and_(eq(w.g(g, "status"), WAITING), eq(w.g(g, "func"), f),
                   eq(w.g(g, "pc"), pc)))
    inject(w, g, f, pc)
    return Kind(POLLED[w.layout.prog.functions[f].code[pc].op], g=g, f=f, pc=pc)


def inject(w: World, g: int, f: int, pc: int) -> None:
    """injectglist without a P: the G joins the global queue and one idle P, if any, goes
    to a non-spinning M (even with wakep = off); with no idle P, needspinning is set."""
    if not move_to(w, g, f, pc + 1):
        return
    w.set_g(g, status=RUNNABLE)
    w.qappend("gq", g)
    if not w.test(w.qlen("pidle") > 0):
        set_needspinning(w)
        return
    m = w.merge(available_m)
    if w.test(m != NO):
        startm(w, m, w.qpop_back("pidle"), spinning=False)
