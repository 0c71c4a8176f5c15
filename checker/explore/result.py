"""What the explicit engine returns: data only (report/ and the CLI render it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from gocheck.model.system import Step

if TYPE_CHECKING:
    from gocheck.explore.graph import StateGraph

Verdict = Literal["holds", "violated", "unknown"]


@dataclass(frozen=True, slots=True)
class Counterexample:
    """A run from the initial state that breaks a property, replayable step by step.

    `states` are the state ids the run passes through (one more than `steps`; decode them
    with the result's graph). For a liveness lasso, `loop_start` is the index of the step
    that starts the cycle; the cycle runs to the end and returns to `states[loop_start]`.
    `loop_start == len(steps)` means the run ends in a terminal state that repeats forever.
    A safety counterexample has `loop_start = None`.
    """

    steps: tuple[Step, ...]
    states: tuple[int, ...]
    loop_start: int | None = None

    def to_json(self) -> dict[str, object]:
        return {"steps": [s.to_json() for s in self.steps], "loop_start": self.loop_start}


@dataclass(frozen=True, slots=True)
class PropertyResult:
    """One property's verdict; `reason` says why a verdict is `unknown`."""

    name: str
    verdict: Verdict
    engine: str = "explicit"
    counterexample: Counterexample | None = None
    reason: str | None = None

    def to_json(self) -> dict[str, object]:
        cx = self.counterexample
        return {"name": self.name, "verdict": self.verdict, "engine": self.engine,
                "counterexample": None if cx is None else cx.to_json()}


@dataclass(frozen=True, slots=True)
class Stats:
    """Size of the explored graph, the wall time, the BFS depth, and why the search stopped
    early (None: it enumerated every reachable state)."""

    states: int
    transitions: int
    seconds: float
    depth: int
    stop_reason: str | None = None

    def to_json(self) -> dict[str, object]:
        return {"states": self.states, "transitions": self.transitions,
                "seconds": round(self.seconds, 3)}


@dataclass(slots=True)
class ExploreResult:
    """Verdicts in property order, the statistics, and the explored graph for later views
    (`gocheck graph`, decoding counterexample states); the graph takes no part in equality."""

    properties: list[PropertyResult]
    stats: Stats
    graph: StateGraph | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, object]:
        return {"properties": [p.to_json() for p in self.properties],
                "stats": self.stats.to_json()}
