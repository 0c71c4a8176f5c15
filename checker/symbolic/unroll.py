"""Unrolling T into frames x_0, x_1, ... shared by every solver that needs them, and
solvers set up the same way everywhere.

An `Unrolling` builds each frame, each instance of T and each simple-path constraint once
(by substitution into the template, which is fast in z3; building z3 terms from Python is
not), so BMC and the forward check of k-induction share one.
"""

from __future__ import annotations

import z3

from gocheck.symbolic.layout import Frame
from gocheck.symbolic.transition import Selector, Transition
from gocheck.symbolic.values import and_, not_, or_

SEED = 0  # fixed: the same query always gets the same model


def solver() -> z3.Solver:
    """z3's incremental SAT solver (the encoding is purely Boolean) with a fixed random
    seed: the same query always gets the same model, so runs are deterministic."""
    s = z3.SolverFor("QF_FD")
    s.set("random_seed", SEED)
    return s


class Unrolling:
    """Frames named `<var>...@<tag><i>`, the steps between them, and T per step."""

    def __init__(self, t: Transition, tag: str):
        self.t, self.tag = t, tag
        self.frames: list[Frame] = [t.layout.frame(f"{tag}0")]
        self.steps: list[Selector] = []
        self.transitions: list[z3.BoolRef] = []

    def frame(self, k: int) -> Frame:
        """Frame k, with the transitions up to it."""
        while len(self.frames) <= k:
            i = len(self.frames)
            self.frames.append(self.t.layout.frame(f"{self.tag}{i}"))
            self.steps.append(self.t.selector(f"{self.tag}{i - 1}"))
            self.transitions.append(self.t.between(self.frames[-2], self.frames[-1],
                                                   self.steps[-1]))
        return self.frames[k]

    def transition(self, k: int) -> z3.BoolRef:
        """T from frame k to frame k + 1."""
        self.frame(k + 1)
        return self.transitions[k]

    def distinct(self, i: int, j: int) -> z3.BoolRef:
        """Frames i and j are different states (a simple-path constraint): some variable's
        value in frame i is not its value in frame j."""
        x, y = self.frame(i), self.frame(j)
        return or_(*(and_(c, not_(y[n].cases[v]))
                     for n in self.t.layout.names for v, c in x[n].cases.items()))
