"""Control flow of a G's flat code (model/program.py), for the progress lemmas (lemmas.py):
whether a G has passed an action or a loop exit, and how many times it has run an action,
read off its function, pc, status and loop counters.

Everything here only chooses *candidates*: Houdini proves a lemma before it is assumed, so
a flow fact that is too optimistic costs a lemma, never soundness.
"""

from __future__ import annotations

from dataclasses import dataclass

from gocheck.model import program as op
from gocheck.model.program import Function
from gocheck.model.state import DEAD
from gocheck.symbolic.values import Cond, Val, and_, as_int, eq, not_, or_
from gocheck.symbolic.world import World


def targets(ins: op.Instr) -> list[int]:
    """Where a control transfer at `ins` may go other than the next instruction."""
    if ins.op == op.JUMP:
        return [ins.a]
    if ins.op == op.LOOP_TEST:
        return [ins.c]  # type: ignore[list-item]
    if ins.op == op.LOOP_NEXT:
        return [ins.b]
    if ins.op == op.RANGE:
        return [ins.b]
    if ins.op == op.SELECT:
        return [t for _, _, t in ins.c] + ([ins.b] if ins.b >= 0 else [])  # type: ignore
    return []


def successors(code: tuple[op.Instr, ...], pc: int) -> list[int]:
    """Every pc control may reach from pc in one instruction."""
    ins = code[pc]
    if ins.op == op.END:
        return []
    if ins.op in (op.JUMP, op.LOOP_NEXT):
        return targets(ins)
    return [*([pc + 1] if pc + 1 < len(code) else []), *targets(ins)]


def settled(f: Function, pc: int) -> bool:
    """Every run of f passes pc once, and past pc means having executed it: no transfer
    before pc jumps over it, none at or after it jumps back to it or before, and no return
    before it ends the G (dead counts as past)."""
    return all(t <= pc if at < pc else t > pc
               for at, ins in enumerate(f.code) for t in targets(ins)) and \
        all(ins.op != op.END for ins in f.code[:pc])


def once(f: Function, pc: int) -> bool:
    """No transfer at or after pc jumps back to pc or before: pc runs at most once."""
    return all(t > pc for at, ins in enumerate(f.code) if at >= pc for t in targets(ins))


def executed(w: World, g: int, f: int, pc: int) -> Cond:
    """G slot g, running f, has executed the action at pc (which must be `settled`)."""
    return and_(w["ng"] > g, eq(w.g(g, "func"), f),
                or_(eq(w.g(g, "status"), DEAD), w.g(g, "pc") > pc))


def _reach(code: tuple[op.Instr, ...], cut: tuple[int, int]) -> set[int]:
    """The pcs reachable from the entry without taking the edge `cut`."""
    seen, todo = {0}, [0]
    while todo:
        pc = todo.pop()
        for nxt in successors(code, pc):
            if (pc, nxt) != cut and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def passed(w: World, g: int, f: int, edge: tuple[int, int]) -> Cond:
    """G slot g, running f, has taken the control edge `edge` (e.g. a loop's exit): it
    stands where no run gets without it, or is dead and no run ends without it."""
    code = w.layout.prog.functions[f].code
    before = _reach(code, edge)
    ended = all(pc not in before for pc, ins in enumerate(code) if ins.op == op.END)
    status, at = w.g(g, "status"), w.g(g, "pc")
    after = [pc for pc, ins in enumerate(code) if ins.op in op.ACTIONS and pc not in before]
    return and_(w["ng"] > g, eq(w.g(g, "func"), f),
                or_(and_(eq(status, DEAD), ended),
                    and_(not_(eq(status, DEAD)), or_(*(eq(at, pc) for pc in after)))))


@dataclass(frozen=True, slots=True)
class Loop:
    """A counted loop: its test and LOOP_NEXT pcs, counter slot and count."""

    test: int
    next: int
    slot: int
    count: int

    @property
    def exit(self) -> tuple[int, int]:
        return self.test, self.next + 1

    def inside(self, pc: int) -> bool:
        return self.test < pc < self.next


def loops(f: Function) -> list[Loop]:
    out = []
    for at, ins in enumerate(f.code):
        if ins.op == op.LOOP_NEXT:
            test = f.code[ins.b]
            out.append(Loop(ins.b, at, test.a, test.b))
    return out


def simple(f: Function, loop: Loop) -> bool:
    """The loop is entered at most once and its body runs straight through: no transfer in
    the body, none from before the loop into it or past it, none from after it back, and
    its exit is the pc after its LOOP_NEXT."""
    code = f.code
    if code[loop.test].c != loop.next + 1:
        return False
    own = {(loop.next, loop.test), loop.exit}
    for at, ins in enumerate(code):
        if loop.inside(at) and (targets(ins) or ins.op == op.END):
            return False
        for t in targets(ins):
            if (at, t) not in own and (t > loop.test if at < loop.test
                                       else at > loop.next and t <= loop.next):
                return False
    return True


def runs(w: World, g: int, f: int, pc: int) -> Val | None:
    """How many times G slot g, running f, has executed the action at pc: 0 or 1 for a
    `settled` action, the counter's value (plus one past pc in the body) for an action in
    a `simple` counted loop, and the full count once past its exit; None otherwise."""
    code = w.layout.prog.functions[f]
    if settled(code, pc):
        return as_int(executed(w, g, f, pc))
    loop = next((lp for lp in loops(code) if lp.inside(pc)), None)
    if loop is None or not simple(code, loop):
        return None
    status, at = w.g(g, "status"), w.g(g, "pc")
    here = and_(w["ng"] > g, eq(w.g(g, "func"), f), not_(eq(status, DEAD)))
    body = and_(here, or_(*(eq(at, p) for p in range(loop.test + 1, loop.next))))
    later = and_(here, or_(*(eq(at, p) for p in range(pc + 1, loop.next))))
    return as_int(body) * w.g(g, f"c{loop.slot}") + as_int(later) + \
        as_int(passed(w, g, f, loop.exit)) * loop.count
