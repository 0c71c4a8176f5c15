"""An M running a G: a step of the G or its preemption (mirrors Machine._running and the
methods it calls). Instantiated per P, G slot and place (function, pc); the M is the step's
actor variable `am` (any M whose state says it runs that G on that P).
"""

from __future__ import annotations

from gocheck.model import program as op
from gocheck.model.program import Instr
from gocheck.model.state import M_RUNNING, M_SEARCH, NO, RUNNABLE, WAITING
from gocheck.symbolic import sync
from gocheck.symbolic.goroutine import move_to, new_g_fields
from gocheck.symbolic.kind import Kind
from gocheck.symbolic.sched import ready, runqput, slice_tick, wakep
from gocheck.symbolic.syscalls import enter_syscall
from gocheck.symbolic.sysmon import preempt_requested
from gocheck.symbolic.values import Cond, Val, and_, eq, ite, not_, or_
from gocheck.symbolic.world import World

_SIMPLE = {op.WORK: "work", op.SPIN: "spin", op.NETREAD: "netread", op.SLEEP: "sleep",
           op.GO: "go", op.GOSCHED: "gosched", op.SEND: "send", op.RECV: "recv",
           op.RANGE: "range", op.CLOSE: "close", op.LOCK: "lock", op.UNLOCK: "unlock",
           op.WGADD: "wg add", op.WGWAIT: "wg wait", op.SYSCALL: "enter syscall"}


def running(w: World, p: int, g: int, f: int, pc: int) -> Kind:
    """Machine._running: unless sysmon's preemption request for P p is pending (urgency),
    the running G is preempted at a preemption point if flagged, else takes its step."""
    m = w.actor()
    w.require(and_(eq(w.m(m, "state"), M_RUNNING), eq(w.m(m, "p"), p), eq(w.m(m, "g"), g),
                   eq(w.g(g, "func"), f), eq(w.g(g, "pc"), pc)))
    w.require(not_(preempt_requested(w, p)))
    ins = w.layout.prog.functions[f].code[pc]
    kind = Kind("", p=p, g=g, f=f, pc=pc)
    if w.test(and_(w.g(g, "preempt") != 0, at_preemption_point(w, g, ins))):
        preempt(w, m, p, g)
        return _named(kind, "preempted")
    if ins.op == op.SELECT:
        return select(w, m, p, g, f, pc, ins, kind)
    slice_tick(w, p)
    do(w, m, p, g, f, pc, ins)
    return _named(kind, _SIMPLE[ins.op])


def _named(kind: Kind, name: str, case: int | None = None) -> Kind:
    return Kind(name, kind.p, kind.g, kind.f, kind.pc, case=case)


def at_preemption_point(w: World, g: int, ins: Instr) -> Cond:
    """Async: every boundary. Cooperative: before an action other than `spin`, between
    `work` ticks, and before a spin reached through a call (AT_CALL)."""
    mode = w.layout.cfg.preemption
    if mode != "cooperative":
        return mode == "async"
    left = w.g(g, "left")
    return or_(and_(left > 0, ins.op == op.WORK),
               and_(left <= 0, or_(eq(left, -1), ins.safe)))


def preempt(w: World, m: Val, p: int, g: int) -> None:
    """gopreempt_m -> goschedImpl: the G goes to the global queue, wakep, schedule."""
    w.set_g(g, status=RUNNABLE, preempt=0)
    w.qappend("gq", g)
    w.set_m(m, state=M_SEARCH, g=NO)
    gosched_wakep(w)


def gosched_wakep(w: World) -> None:
    """goschedImpl's wakep after the global-queue put (not with `gosched_wakep = off`)."""
    if w.layout.cfg.gosched_wakep:
        w.merge(wakep)


def finish_or_park(w: World, m: Val, g: int, f: int, pc: int | None) -> None:
    """After a G's statement: move it on to pc (None: it parked) and let its M schedule if
    it parked or finished."""
    if pc is None:
        w.set_g(g, status=WAITING)
        w.set_m(m, state=M_SEARCH, g=NO)
    elif not move_to(w, g, f, pc):
        w.set_m(m, state=M_SEARCH, g=NO)


def do(w: World, m: Val, p: int, g: int, f: int, pc: int, ins: Instr) -> None:
    """Machine._do: the effect of G g's next action `ins` (everything but select)."""
    o = ins.op
    if o in (op.WORK, op.SPIN):
        left = w.g(g, "left")
        left = ite(left > 0, left, ins.a) - 1  # AT_CALL: not started yet
        if w.test(left != 0):
            w.set_g(g, left=left)
        else:
            finish_or_park(w, m, g, f, pc + 1)
    elif o == op.SYSCALL:
        enter_syscall(w, m, p, g, ins)
    elif o in (op.NETREAD, op.SLEEP):
        finish_or_park(w, m, g, f, None)
    elif o == op.GO:
        child = w["ng"]
        fields = new_g_fields(w, ins.a)
        w.set_g(child, **fields)
        w["ng"] = child + 1
        if fields["status"] == RUNNABLE:
            ready(w, p, child)
        finish_or_park(w, m, g, f, pc + 1)
    elif o == op.GOSCHED:
        if move_to(w, g, f, pc + 1):
            w.set_g(g, status=RUNNABLE)
            w.qappend("gq", g)
        w.set_m(m, state=M_SEARCH, g=NO)
        gosched_wakep(w)
    else:
        result, target = sync_op(w, p, g, ins, pc)
        if result == sync.YIELD:
            goyield(w, m, p, g, f, target)
        elif result != sync.FATAL:
            finish_or_park(w, m, g, f, None if result == sync.PARK else target)


def goyield(w: World, m: Val, p: int, g: int, f: int, pc: int) -> None:
    """goyield_m: the G moves on to pc and goes to its P's ring tail (no wakep); its M
    schedules."""
    if move_to(w, g, f, pc):
        w.set_g(g, status=RUNNABLE)
        w.merge(runqput, p, g, next=False)
    w.set_m(m, state=M_SEARCH, g=NO)


def sync_op(w: World, p: int, g: int, ins: Instr, pc: int) -> tuple[int, int]:
    """Machine._sync_op: the outcome of a synchronisation statement and where G goes on."""
    o = ins.op
    if o == op.SEND:
        return sync.send(w, p, g, ins.a), pc + 1
    if o == op.RECV:
        r = sync.recv(w, p, g, ins.a)
        return (sync.CONTINUE if r == sync.CLOSED else r), pc + 1
    if o == op.RANGE:
        r = sync.recv(w, p, g, ins.a)
        return (sync.CONTINUE, ins.b) if r == sync.CLOSED else (r, pc + 1)
    if o == op.CLOSE:
        return sync.close(w, p, ins.a), pc + 1
    if o == op.LOCK:
        return sync.lock(w, g, ins.a), pc + 1
    if o == op.UNLOCK:
        return sync.unlock(w, p, ins.a), pc + 1
    if o == op.WGADD:
        return sync.wg_add(w, p, ins.a, ins.b), pc + 1
    if o == op.WGWAIT:
        return sync.wg_wait(w, g, ins.a), pc + 1
    raise AssertionError(f"not a synchronisation op: {ins}")


def select(w: World, m: Val, p: int, g: int, f: int, pc: int, ins: Instr,
           kind: Kind) -> Kind:
    """Machine._select: a successor per ready case; else default; else park on all."""
    arms = ins.c
    ready_conds = [sync.case_ready(w, k, ch) for k, ch, _t in arms]  # type: ignore[union-attr]
    i = w.pick(len(arms) + 1)  # type: ignore[arg-type]
    if i < len(arms):  # type: ignore[arg-type]
        w.require(ready_conds[i])
        slice_tick(w, p)
        k, ch, target = arms[i]  # type: ignore[index]
        if k == "send":
            result = sync.send(w, p, g, ch)
        else:
            sync.recv(w, p, g, ch)
            result = sync.CONTINUE
        if result != sync.FATAL:
            finish_or_park(w, m, g, f, target)
        return _named(kind, "select case", case=i)
    w.require(and_(*(not_(c) for c in ready_conds)))
    slice_tick(w, p)
    if ins.b >= 0:
        finish_or_park(w, m, g, f, ins.b)
        return _named(kind, "select default")
    sync.select_park(w, g, ins)
    finish_or_park(w, m, g, f, None)
    return _named(kind, "select park")
