"""k-induction with simple-path constraints (Sheeran, Singh and Stålmarck's formulation).

Two checks per k, both over paths whose states are pairwise distinct:
- forward (`Forward`, one for all properties): no simple path of k steps leaves the initial
  state. Then every reachable state lies within k - 1 steps, where BMC found no bad state;
- step (`Induction`, one solver for all properties): no simple path of k steps from any
  well-formed state satisfying the proved invariant (houdini.py) passes k good states and
  ends in a bad one. With BMC's base case (no
  bad state within k - 1 steps) the property holds: the last k + 1 states of a shortest run
  to a bad state would be such a path.
Either way the property holds with "k-induction, k=N". The models are finite, so some k
always works (the longest simple path); the forward check decides small systems, the step
check proves properties whose violations need long runs from well-formed states.
"""

from __future__ import annotations

from collections.abc import Callable

import z3

from gocheck.model.machine import Machine
from gocheck.symbolic.bmc import check
from gocheck.symbolic.houdini import Invariant
from gocheck.symbolic.layout import Frame
from gocheck.symbolic.transition import Transition
from gocheck.symbolic.unroll import Unrolling, solver
from gocheck.symbolic.values import Cond, and_, not_


class _SimplePath:
    """An incremental solver over a simple path of an unrolling, one frame at a time."""

    def __init__(self, run: Unrolling):
        self.run = run
        self.k = 0
        self.solver = solver()

    def extend(self) -> None:
        self.solver.add(self.run.transition(self.k))
        self.k += 1
        for j in range(self.k):
            self.solver.add(self.run.distinct(j, self.k))


class Forward(_SimplePath):
    """Is there a simple path of k steps from the initial state? (Shares BMC's frames.)"""

    def __init__(self, machine: Machine, t: Transition, run: Unrolling):
        super().__init__(run)
        initial = t.layout.encode(machine.initial_state())
        self.solver.add(t.layout.values_term(run.frame(0), initial))

    def exhausted(self, timeout_ms: int) -> z3.CheckSatResult:
        """unsat: no simple path of k steps; every reachable state is within k - 1."""
        return check(self.solver, True, timeout_ms)[0]


class Induction(_SimplePath):
    """The step case, for each property in turn, over one unrolling from any
    well-formed state that satisfies the proved invariant (houdini.py) in every frame:
    the states of a shortest run to a bad state are reachable, so they satisfy it."""

    def __init__(self, t: Transition, run: Unrolling, invariant: Invariant | None = None):
        super().__init__(run)
        self.invariant: Invariant | None = None
        self.solver.add(t.layout.well_formed(run.frame(0)))
        if invariant is not None:
            self.strengthen(invariant)

    def strengthen(self, invariant: Invariant) -> None:
        """Assume the invariant in every frame, from now on."""
        self.invariant = invariant
        for i in range(self.k + 1):
            self.solver.add(invariant.at(self.run.frame(i)))

    def extend(self) -> None:
        super().extend()
        if self.invariant is not None:
            self.solver.add(self.invariant.at(self.run.frame(self.k)))

    def step_holds(self, bad: Callable[[Frame], Cond], timeout_ms: int) -> z3.CheckSatResult:
        """unsat: the step case holds for k (no good simple path of k steps ends bad)."""
        good = [not_(bad(self.run.frame(i))) for i in range(self.k)]
        return check(self.solver, and_(*good, bad(self.run.frame(self.k))), timeout_ms)[0]
