"""A goroutine's own progress: moving its pc past control flow, finishing, being woken.

`settle` is where "calls, returns, loop tests and a G's exit fold into the neighbouring
steps": after every step, a G's pc runs through jumps and loop tests to its next action, and
a G at its END is dead on the spot (a sender released by its receiver has finished even if
it never runs again). When main finishes, the program ends in that same step.
"""

from __future__ import annotations

from gocheck.model import program as op
from gocheck.model.config import MachineConfig
from gocheck.model.program import Program
from gocheck.model.sched import ready
from gocheck.model.state import AT_CALL, DEAD, G_COUNTERS, G_FUNC, World


def settle(prog: Program, func: int, pc: int, counters: tuple) -> tuple[int, tuple, bool]:
    """Run pc through control instructions to the next action or END; also say whether the
    way there crossed a call."""
    code = prog.functions[func].code
    called = False
    while True:
        ins = code[pc]
        o = ins.op
        if o == op.JUMP:
            pc = ins.a
        elif o == op.CALL:
            pc += 1
            called = True
        elif o == op.LOOP_TEST:
            if counters[ins.a] < ins.b:
                pc += 1
            else:
                counters = _set(counters, ins.a, 0)
                pc = ins.c  # type: ignore[assignment]
        elif o == op.LOOP_NEXT:
            counters = _set(counters, ins.a, counters[ins.a] + 1)
            pc = ins.b
        else:
            return pc, counters, called


def _set(t: tuple, i: int, v: int) -> tuple:
    return (*t[:i], v, *t[i + 1:])


def new_g(prog: Program, func: int, status: int) -> tuple:
    """A fresh G of `func` at its first action (dead at once if the body has none).

    Its start is no cooperative safe point before a `spin` (unless a call lies on the way):
    execute clears the preemption flag, and sysmon cannot set it again before the new G is
    past its function's prologue (the urgent request of a runnext G that inherits a used-up
    slice would otherwise always land there).
    """
    pc, counters, called = settle(prog, func, 0, (0,) * prog.functions[func].loops)
    o = prog.functions[func].code[pc].op
    if o == op.END:
        return dead_g(func)
    return (func, status, pc, AT_CALL if called and o == op.SPIN else 0, 0, counters)


def dead_g(func: int) -> tuple:
    return (func, DEAD, 0, 0, 0, ())


def move_to(w: World, prog: Program, g: int, pc: int) -> bool:
    """Move G g to `pc` (its operation completed) and settle; False if it finished.

    A finished G becomes dead; a finished main ends the program.
    """
    G = w.gs[g]
    pc, counters, called = settle(prog, G[G_FUNC], pc, G[G_COUNTERS])
    o = prog.functions[G[G_FUNC]].code[pc].op
    if o == op.END:
        w.gs[g] = dead_g(G[G_FUNC])
        if g == 0:
            w.ended = 1
        return False
    w.set_g(g, pc=pc, counters=counters, left=AT_CALL if called and o == op.SPIN else 0)
    return True


def wake(w: World, prog: Program, cfg: MachineConfig, p: int, g: int, pc: int) -> None:
    """A parked G's operation completed in another G's step on P p: it moves on to `pc`
    and, unless that finished it, is readied onto p (ready: runnext + wakep)."""
    if move_to(w, prog, g, pc):
        ready(w, cfg, p, g)
