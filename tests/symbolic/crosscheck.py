"""The cross-check of the two semantics: for a concrete state, the z3 transition relation's
post-states (every model, enumerated by blocking each one and solving again) against the
explicit model's successors, step by step.

`Checker.successors` fixes the pre-state's literals and enumerates every (selector,
post-state) model of T; each is decoded into the model's Step and state, with the kind of
the disjunct that produced it (what the coverage test counts). A model is read in one
evaluation of a bit-vector that packs all the literals: evaluating them one by one through
z3py would cost more than the solving.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

import z3

from gocheck.lang.check import check_or_raise
from gocheck.lang.parser import parse
from gocheck.model.config import machine_config
from gocheck.model.machine import Machine
from gocheck.model.program import compile_program
from gocheck.model.system import Step
from gocheck.symbolic import decode
from gocheck.symbolic.layout import ONE_HOT, Frame, Layout
from gocheck.symbolic.transition import Transition
from gocheck.symbolic.values import Cond, Sym, Val, and_, not_, or_


def machine_of(text: str) -> Machine:
    spec = parse(text, "<test>")
    check_or_raise(spec)
    return Machine(compile_program(spec), machine_config(spec))


def reachable(machine: Machine, limit: int) -> Iterator[tuple]:
    """Up to `limit` states in BFS order."""
    first = machine.initial_state()
    seen, queue = {first}, deque([first])
    while queue and limit > 0:
        state = queue.popleft()
        limit -= 1
        yield state
        for _, nxt in machine.successors(state):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)


def literals(x: Frame) -> list[z3.BoolRef]:
    return [lit for lits in x.literals.values() for lit in lits]


def truths(layout: Layout, x: Frame, values: dict[str, int]) -> list[bool]:
    """The truth of each literal of frame x (in `literals` order) for concrete values."""
    out: list[bool] = []
    for n, dom in layout.domains.items():
        if len(dom) <= ONE_HOT:
            out += [v == values[n] for v in dom]
        else:
            i = dom.index(values[n])
            out += [bool(i >> j & 1) for j in range(len(x.literals[n]))]
    return out


class Checker:
    """The z3 transition relation of one machine, queried state by state."""

    def __init__(self, machine: Machine):
        self.machine = machine
        self.t = Transition(machine)
        self.solver = z3.SolverFor("QF_FD")
        self.solver.add(self.t.formula)
        self.cur = literals(self.t.cur)
        self.watched = [*self.t.sel.bits, *literals(self.t.nxt)]
        self.packed = z3.Concat(*(z3.If(b, z3.BitVecVal(1, 1), z3.BitVecVal(0, 1))
                                  for b in self.watched))

    def successors(self, state: tuple) -> set[tuple[Step, tuple, str]]:
        t, s, layout = self.t, self.solver, self.t.layout
        fixed = zip(self.cur, truths(layout, t.cur, layout.encode(state)), strict=True)
        s.push()
        s.add(and_(*(lit if v else not_(lit) for lit, v in fixed)))
        found = set()
        while s.check() == z3.sat:
            bits = s.model().eval(self.packed).as_long()
            width = len(self.watched)
            truth = [bool(bits >> (width - 1 - i) & 1) for i in range(width)]
            sel = truth.index(True)
            post = layout.decode(self._values(truth[len(t.sel.bits):]))
            kind = t.disjuncts[sel].kind
            found.add((decode.step_of(self.machine, kind, state, post), post, kind.name))
            s.add(or_(*(not_(lit) if v else lit
                        for lit, v in zip(self.watched, truth, strict=True))))
        s.pop()
        return found

    def _values(self, truth: list[bool]) -> dict[str, int]:
        layout, x = self.t.layout, self.t.nxt
        out, i = {}, 0
        for n, dom in layout.domains.items():
            k = len(x.literals[n])
            bits = truth[i:i + k]
            i += k
            out[n] = dom[bits.index(True)] if len(dom) <= ONE_HOT else dom[
                sum(1 << j for j, bit in enumerate(bits) if bit)]
        return out

    def evaluate(self, state: tuple, value: Val | Cond) -> int | bool:
        """A value or condition over the current frame, in a concrete state."""
        if isinstance(value, bool | int):
            return value
        layout, x = self.t.layout, self.t.cur
        pairs = [(lit, z3.BoolVal(v)) for lit, v in
                 zip(self.cur, truths(layout, x, layout.encode(state)), strict=True)]
        if isinstance(value, Sym):
            return next(v for v, c in value.cases.items() if _holds(c, pairs))
        return _holds(value, pairs)


def _holds(c: Cond, pairs: list) -> bool:
    if isinstance(c, bool):
        return c
    return z3.is_true(z3.simplify(z3.substitute(c, *pairs)))
