"""The runs that reports tell: each violated property's counterexample made readable, or, when
nothing is violated, a shortest run to the end of main, to show what the program does.

Readable means explore/minimal's choice: as short as the engine's run, with the fewest
switches between goroutines. A lasso keeps its cycle and gets the most readable stem to the
same entry state. Every run is replayed through the model (`Verification.states_of`), so the
reports read the model's own states.
"""

from __future__ import annotations

from dataclasses import dataclass

from gocheck.explore.graph import Path
from gocheck.explore.minimal import Layers, fewest_switches, same_layer
from gocheck.explore.result import Counterexample, PropertyResult
from gocheck.model.state import S_ENDED
from gocheck.model.system import Step
from gocheck.props.library import SafetyProperty, properties_for
from gocheck.verify import Verification


@dataclass(frozen=True, slots=True)
class Run:
    """A run to tell: whose it is (a property, or "" for an illustration), its steps, the
    graph's state ids and the replayed states (one more than the steps), and for a lasso the
    index of the step that starts the cycle (`len(steps)`: the last state repeats)."""

    name: str
    steps: tuple[Step, ...]
    ids: tuple[int, ...]
    states: tuple[tuple, ...]
    loop_start: int | None = None


def counterexample_runs(v: Verification) -> list[Run]:
    """A readable run per violated property, in property order."""
    graph = v.result.graph
    layers = Layers(graph) if graph is not None else None
    runs = []
    for p in v.result.properties:
        cx = p.counterexample
        if cx is None:
            continue
        path, loop = (Path(cx.steps, cx.states), cx.loop_start) if layers is None \
            else _readable(v, p, cx, layers)
        runs.append(Run(p.name, path.steps, path.states, tuple(v.states_of(path.steps)), loop))
    return runs


def _readable(v: Verification, p: PropertyResult, cx: Counterexample,
              layers: Layers) -> tuple[Path, int | None]:
    """A safety run: the fewest switches to any bad state as shallow as the engine's. A
    lasso: the fewest switches to its entry state, then the engine's cycle."""
    graph = layers.graph
    if cx.loop_start is None:
        prop = properties_for(v.spec, v.machine, (p.name,))[0]
        assert isinstance(prop, SafetyProperty)
        return fewest_switches(graph, same_layer(layers, cx.states[-1], prop.bad), layers), None
    stem = fewest_switches(graph, [cx.states[cx.loop_start]], layers)
    return Path(stem.steps + cx.steps[cx.loop_start:],
                stem.states + cx.states[cx.loop_start + 1:]), len(stem.steps)


def end_run(v: Verification) -> Run | None:
    """A shortest, most readable run in which main returns; None if main never does (or the
    search did not get that far)."""
    graph = v.result.graph
    if graph is None:
        return None
    first = next((s for s in range(len(graph)) if graph.decode(s)[S_ENDED]), None)
    if first is None:
        return None
    layers = Layers(graph)
    ended = same_layer(layers, first, lambda s: bool(s[S_ENDED]))
    path = fewest_switches(graph, ended, layers)
    return Run("", path.steps, path.states, tuple(v.states_of(path.steps)))
