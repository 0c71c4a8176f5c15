"""From a z3 model back to the model's terms: states, and the `Step` each transition took.

A step is named from the disjunct that fired (its `Kind`), the acting M and the concrete
states before and after, in exactly the words Machine.successors uses, so that a symbolic
run replays through the explicit model step by step. The labels are written here a second
time on purpose: the cross-check compares every decoded step with the model's, so the two
spellings cannot drift apart unnoticed.
"""

from __future__ import annotations

from gocheck.model import program as op
from gocheck.model.machine import Machine
from gocheck.model.program import Instr
from gocheck.model.state import (
    G_LEFT,
    M_G,
    M_P,
    M_RECHECK,
    M_STATE_,
    NO,
    P_M,
    P_RING,
    S_GS,
    S_MS,
    S_PIDLE,
    S_PS,
)
from gocheck.model.system import Step
from gocheck.symbolic.kind import Kind


class Disagreement(Exception):
    """A symbolic run does not replay through the explicit model: an internal error."""


def step_of(machine: Machine, kind: Kind, pre: tuple, post: tuple) -> Step:
    """The model's Step for a transition of `kind` from `pre` to `post`."""
    name = kind.name
    if name in _SYSMON:
        return _sysmon(kind, pre)
    if name in ("netpoller", "timers"):
        return Step(name, f"ready G{kind.g}", kind.g, None, None, f"{name}:G{kind.g}")
    m = kind.m
    if name.startswith(("syscall tick", "exit syscall")):
        return _syscall(kind, m, pre)
    if name.startswith(("search", "give up", "recheck", "stop")):
        return _schedule(machine, kind, m, pre, post)
    return _m_step(m, _running_label(machine, kind, pre), kind.g, kind.p)


def _m_step(m: int, action: str, g: int | None = None, p: int | None = None) -> Step:
    return Step(f"M{m}", action, g, p, m, f"M{m}")


_SYSMON = ("sysmon retake", "sysmon preempt request")


def _sysmon(kind: Kind, pre: tuple) -> Step:
    p = kind.p
    m = pre[S_PS][p][P_M]
    if kind.name == "sysmon retake":
        return Step("sysmon", f"retake P{p} from M{m} in syscall", None, p, m,
                    f"sysmon:retake:P{p}")
    g = pre[S_MS][m][M_G]
    return Step("sysmon", f"preempt request for G{g} (slice used up)", g, p, m,
                f"sysmon:preempt:P{p}")


def _syscall(kind: Kind, m: int, pre: tuple) -> Step:
    old = pre[S_MS][m][M_P]
    if kind.name == "syscall tick":
        p, how = (None if old == NO else old), "syscall tick"
    elif kind.name == "exit syscall kept":
        p, how = old, f"exit syscall: P{old} kept"
    elif kind.name == "exit syscall idle P":
        p = pre[S_PIDLE][-1]
        how = f"exit syscall: idle P{p}"
    else:
        p, how = None, "exit syscall: no P, G to the global queue, M parks"
    return Step(f"M{m}", how, kind.g, p, m, f"M{m}")


_TAKES = {
    "search global (fairness)": "search: global queue (fairness check)",
    "search runnext": "search: runnext",
    "search local": "search: local queue",
    "search global batch": "search: global queue batch",
    "give up global batch": "give up: global queue batch",
}
_QUIET = {
    "search nothing found": "search: nothing found",
    "search spinning nothing": "search: spinning, nothing to steal",
    "give up needspinning": "give up: needspinning, spin again",
    "give up recheck while spinning: work": "give up: recheck while spinning: work, "
                                            "search again",
    "give up recheck while spinning: nothing": "give up: recheck while spinning: nothing",
}


def _schedule(machine: Machine, kind: Kind, m: int, pre: tuple, post: tuple) -> Step:
    name, p = kind.name, kind.p
    if name in _TAKES:
        return _m_step(m, _TAKES[name], post[S_MS][m][M_G], p)
    if name in _QUIET:
        return _m_step(m, _QUIET[name], None, p)
    if name == "search steal":
        ring = pre[S_PS][kind.q][P_RING]
        what = "runnext" if not ring else (
            "1" if machine.cfg.steal == "one" else str(len(ring) - len(ring) // 2))
        return _m_step(m, f"search: steal {what} from P{kind.q}", post[S_MS][m][M_G], p)
    if name == "give up release spinning":
        return _m_step(m, f"give up: release P{p}, stop spinning", None, p)
    if name == "give up release park":
        return _m_step(m, f"give up: release P{p}, park", None, p)
    if name == "give up release recheck":
        return _m_step(m, f"give up: release P{p}, recheck", None, p)
    if name == "stop after recheck":
        held = pre[S_MS][m][M_P]
        return _m_step(m, f"stop: release P{held}, stop spinning, park", None, held)
    if name == "recheck take":
        top = pre[S_PIDLE][-1]
        spin = ", spin" if pre[S_MS][m][M_STATE_] == M_RECHECK else ""
        return _m_step(m, f"recheck: work, take idle P{top}{spin}", None, top)
    if name == "recheck needspinning":
        return _m_step(m, "recheck: work, no idle P: needspinning, park"
                       if machine.cfg.recheck == "needspinning"
                       else "recheck: work, no idle P, park")
    return _m_step(m, "recheck: nothing, park")


def _running_label(machine: Machine, kind: Kind, pre: tuple) -> str:
    prog = machine.prog
    ins = prog.functions[kind.f].code[kind.pc]  # type: ignore[index]
    if kind.name == "preempted":
        return "preempted: to the global queue"
    if kind.name == "select case":
        k, ch, _t = ins.c[kind.case]  # type: ignore[index]
        return f"select case {kind.case}: {_chan_op(machine, k, ch)}"
    if kind.name == "select default":
        return "select: default"
    if kind.name == "select park":
        return "select: park"
    return _label(machine, ins, pre[S_GS][kind.g])


def _chan_op(machine: Machine, kind: str, ch: int) -> str:
    name = machine.prog.chan_names[ch]
    return f"{name} <-" if kind == "send" else f"<-{name}"


def _label(machine: Machine, ins: Instr, G: tuple) -> str:
    prog, o = machine.prog, ins.op
    if o == op.WORK:
        return "work tick" + ("" if G[G_LEFT] or ins.a == 1 else f" (1 of {ins.a})")
    if o == op.SPIN:
        return "spin tick"
    if o == op.SYSCALL:
        return "enter syscall" + (" (block)" if ins.b else "")
    names = {op.NETREAD: "netread: park on the netpoller",
             op.SLEEP: "time.Sleep: park on a timer", op.GOSCHED: "runtime.Gosched"}
    if o in names:
        return names[o]
    if o == op.GO:
        return f"go {prog.functions[ins.a].name}"
    if o in (op.SEND, op.RECV, op.RANGE):
        return _chan_op(machine, "send" if o == op.SEND else "recv", ins.a) + (
            " (range)" if o == op.RANGE else "")
    if o == op.CLOSE:
        return f"close({prog.chan_names[ins.a]})"
    if o in (op.LOCK, op.UNLOCK):
        return f"{prog.mutex_names[ins.a]}.{'Lock' if o == op.LOCK else 'Unlock'}()"
    if o == op.WGADD:
        wg = prog.wg_names[ins.a]
        return f"{wg}.Done()" if ins.b == -1 else f"{wg}.Add({ins.b})"
    return f"{prog.wg_names[ins.a]}.Wait()"
