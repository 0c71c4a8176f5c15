"""A goroutine's own progress over a symbolic World (mirrors `model/goroutine.py`).

The function and pc of a G are always concrete here: rules are instantiated per place, and a
G woken through a queue entry is first pinned to a slot and a place (`place_of`). Only loop
counters stay symbolic; `settle` pins a counter to its values where a loop reads it, so the
walk through control instructions is the model's own, value by value.
"""

from __future__ import annotations

from collections.abc import Callable

from gocheck.model import program as op
from gocheck.model.goroutine import new_g
from gocheck.model.program import Instr
from gocheck.model.state import AT_CALL, DEAD, RUNNABLE
from gocheck.symbolic.sched import ready
from gocheck.symbolic.values import Val, and_, eq
from gocheck.symbolic.world import World


def settle(w: World, func: int, pc: int, counters: list[Val]) -> tuple[int, list[Val], bool]:
    """Run pc through control instructions to the next action or END; also say whether the
    way there crossed a call."""
    code = w.layout.prog.functions[func].code
    called = False
    while True:
        ins = code[pc]
        if ins.op == op.JUMP:
            pc = ins.a
        elif ins.op == op.CALL:
            pc += 1
            called = True
        elif ins.op == op.LOOP_TEST:
            if w.test(counters[ins.a] < ins.b):
                pc += 1
            else:
                counters[ins.a] = 0
                pc = ins.c  # type: ignore[assignment]
        elif ins.op == op.LOOP_NEXT:
            # inside the body the counter is below the loop's count: pin it to a value
            count = code[ins.b].b
            counters[ins.a] = w.concretize(counters[ins.a], range(max(count, 1))) + 1
            pc = ins.b
        else:
            return pc, counters, called


def move_to(w: World, g: int, func: int, pc: int) -> bool:
    """Move G g (running `func`) to `pc` and settle; False if it finished (it is dead; a
    finished main ends the program)."""
    loops = w.layout.prog.functions[func].loops
    counters = [w.g(g, f"c{j}") for j in range(loops)]
    pc, counters, called = settle(w, func, pc, counters)
    o = w.layout.prog.functions[func].code[pc].op
    if o == op.END:
        w.set_g(g, status=DEAD, pc=0, left=0, preempt=0,
                **{f"c{j}": 0 for j in range(w.layout.b.counters)})
        if g == 0:
            w["ended"] = 1
        return False
    w.set_g(g, pc=pc, left=AT_CALL if called and o == op.SPIN else 0,
            **{f"c{j}": c for j, c in enumerate(counters)})
    return True


def place_of(w: World, g: Val, where: Callable[[Instr], bool]) -> tuple[int, int, int] | None:
    """Pin G g (a term) to a slot and to one of the places where it can stand at an
    instruction satisfying `where`: (slot, function, pc); None if it can stand nowhere
    such (not a reachable case)."""
    b, prog = w.layout.b, w.layout.prog
    gi = w.concretize(g, range(b.goroutines))
    places = [(f, pc) for f, pc in b.places(prog, gi)
              if where(prog.functions[f].code[pc])]
    if not places:
        return None
    for f, pc in places[:-1]:
        if w.test(and_(eq(w.g(gi, "func"), f), eq(w.g(gi, "pc"), pc))):
            return gi, f, pc
    return gi, *places[-1]


def wake(w: World, p: int, g: int, func: int, pc: int) -> None:
    """A parked G's operation completed in another G's step on P p: it moves on to `pc`
    and, unless that finished it, is readied onto p (ready: runnext + wakep)."""
    if move_to(w, g, func, pc):
        ready(w, p, g)


def new_g_fields(w: World, func: int) -> dict[str, Val]:
    """The fields of a fresh G of `func` (model.goroutine.new_g, which is concrete)."""
    fn, status, pc, left, preempt, counters = new_g(w.layout.prog, func, RUNNABLE)
    fields: dict[str, Val] = {"func": fn, "status": status, "pc": pc, "left": left,
                              "preempt": preempt}
    fields.update({f"c{j}": counters[j] if j < len(counters) else 0
                   for j in range(w.layout.b.counters)})
    return fields

