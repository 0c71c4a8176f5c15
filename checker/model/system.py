"""The one narrow interface every engine uses to see the machine.

An engine knows a transition system only through `TransitionSystem`: the initial state, the
enabled steps of a state with their successors in a fixed order, and the observables. The
explicit engine enumerates it, the trace checker replays through it, and the symbolic engine
cross-checks against it. States are opaque to engines, with one promise: a state is built only
from tuples, ints, bools, None and str, so it hashes, compares and marshals deterministically.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

State = TypeVar("State", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Step:
    """One atomic step of one actor, as a counterexample shows it.

    actor: who moves: "M1", "sysmon", "netpoller", "timers".
    action: what happened, in the runtime's words ("work tick", "steal 1 from P1", ...).
    g, p, m: the goroutine, P and M involved, where there is one.
    fairness: the weak-fairness class the step belongs to (an M, one of sysmon's actions, the
      netpoller or timers for one parked G): a class that stays enabled eventually moves.
    """

    actor: str
    action: str
    g: int | None = None
    p: int | None = None
    m: int | None = None
    fairness: str = ""

    @property
    def who(self) -> str:
        """The actor as tables show it: `M1@P0`, `sysmon`, `netpoller`."""
        if self.actor.startswith("M") and self.p is not None:
            return f"{self.actor}@P{self.p}"
        return self.actor

    def to_json(self) -> dict[str, object]:
        return {"actor": self.who, "action": self.action, "g": self.g, "p": self.p, "m": self.m}


class TransitionSystem(Protocol[State]):
    """What engines may ask of a model, and nothing more."""

    def initial_state(self) -> State:
        """The state the machine starts in."""
        ...

    def successors(self, state: State) -> Sequence[tuple[Step, State]]:
        """Every enabled step and the state it leads to, in a fixed, deterministic order.

        An empty sequence means the state is terminal (ended, fatal or deadlocked).
        """
        ...
