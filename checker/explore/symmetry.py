"""Symmetry reduction: explore one representative per class of symmetric states.

`Quotient` wraps a transition system so that every state it hands out is canonical; the
ordinary search over it then stores one state per class. This keeps safety verdicts: a bad
state is reachable iff its class is, provided the system's symmetry maps runs to runs and
the property does not tell symmetric states apart (the model argues both for its `canonical`).
Liveness is not reduced: fairness classes name actors, and a cycle of classes need not be a
cycle of states, so liveness runs use the full graph.

A counterexample found in the quotient is a path of representatives; `concretize` maps it
back to a run of the real system by choosing, at each state, a successor in the next class.
It recognises the class by its representative, so it needs `canonical` to be exact (every
member of a class gets the same representative), as the model's are; a canonical function
that were merely sound (a state to some member of its own class) would keep verdicts but
could fail to map a counterexample back (a `ReplayError`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from gocheck.explore.engine import ReplayError
from gocheck.model.system import Step, TransitionSystem

Canonical = Callable[[Any], Any]


class Quotient:
    """The transition system whose states are the canonical representatives of `system`'s."""

    def __init__(self, system: TransitionSystem, canonical: Canonical):
        self.system = system
        self.canonical = canonical

    def initial_state(self) -> Any:
        return self.canonical(self.system.initial_state())

    def successors(self, state: Any) -> list[tuple[Step, Any]]:
        canonical = self.canonical
        return [(step, canonical(nxt)) for step, nxt in self.system.successors(state)]


def concretize(system: TransitionSystem, canonical: Canonical,
               classes: Sequence[Any]) -> list[Step]:
    """A run of `system` through the given sequence of classes (first: the initial one)."""
    state = system.initial_state()
    steps: list[Step] = []
    for n, target in enumerate(classes[1:], 1):
        for step, nxt in system.successors(state):
            if canonical(nxt) == target:
                steps.append(step)
                state = nxt
                break
        else:
            raise ReplayError(f"no step from class {n - 1} reaches class {n}")
    return steps
