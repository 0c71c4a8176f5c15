"""Bounded model checking: one incremental solver holds the run from the initial state, one
transition more per depth; each property's bad state is asked for at the newest frame
inside push/pop. Depth by depth, so the first counterexample found is a shortest one."""

from __future__ import annotations

import z3

from gocheck.model.machine import Machine
from gocheck.model.system import Step
from gocheck.symbolic import decode
from gocheck.symbolic.transition import Transition
from gocheck.symbolic.unroll import Unrolling, solver
from gocheck.symbolic.values import Cond, boolean


def check(s: z3.Solver, extra: Cond, timeout_ms: int) -> tuple[z3.CheckSatResult,
                                                                  z3.ModelRef | None]:
    """Check s with one more constraint, retracted afterwards; the model if sat."""
    s.push()
    s.add(boolean(extra))
    s.set("timeout", max(1, timeout_ms))
    result = s.check()
    model = s.model() if result == z3.sat else None
    s.pop()
    return result, model


class Bmc:
    def __init__(self, machine: Machine, t: Transition, run: Unrolling):
        self.machine, self.t, self.run = machine, t, run
        self.depth = 0
        self.solver = solver()
        initial = t.layout.encode(machine.initial_state())
        self.solver.add(t.layout.values_term(run.frame(0), initial))

    def extend(self) -> None:
        self.solver.add(self.run.transition(self.depth))
        self.depth += 1

    def find(self, bad: Cond, timeout_ms: int) -> tuple[z3.CheckSatResult, z3.ModelRef | None]:
        """Is `bad` (a predicate of frame `depth`) reachable in exactly `depth` steps?"""
        return check(self.solver, bad, timeout_ms)

    def trace(self, model: z3.ModelRef) -> tuple[list[Step], list[tuple]]:
        """The model's run as the model's Steps and states."""
        layout = self.t.layout
        states = [layout.decode(layout.read(model, self.run.frame(i)))
                  for i in range(self.depth + 1)]
        steps = [decode.step_of(self.machine, self.t.disjuncts[self.run.steps[i].read(model)]
                                .kind, states[i], states[i + 1])
                 for i in range(self.depth)]
        return steps, states
