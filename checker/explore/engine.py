"""The explicit engine's entry point: search, then a verdict per property.

`explore` runs one breadth-first search (search.py) that checks every safety property on each
state as it is discovered, then decides each liveness property on the finished graph by fair
SCCs (liveness.py). A safety violation is final as soon as it is found, limit or not;
anything else the search could not finish is `unknown`, with the limit as the reason, and
liveness always needs the whole graph. `replay` re-executes a counterexample through the
model: how every engine's answer is checked.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from gocheck.explore.codec import InterningCodec
from gocheck.explore.graph import StateGraph
from gocheck.explore.liveness import fair_lasso
from gocheck.explore.parallel import parallel_search
from gocheck.explore.result import Counterexample, ExploreResult, PropertyResult, Stats
from gocheck.explore.search import Progress, search
from gocheck.explore.store import Labelling, StateStore
from gocheck.model.system import Step, TransitionSystem


@dataclass(frozen=True, slots=True)
class SafetyProperty:
    """Violated iff some reachable state is `bad`."""

    name: str
    bad: Callable[[Any], bool]


@dataclass(frozen=True, slots=True)
class LivenessProperty:
    """Violated iff some fair run eventually stays in states that all carry one label of
    `labels` (see liveness.py); `terminal_counts`: a run that ends counts, its last state
    repeating forever."""

    name: str
    labels: Callable[[Any], frozenset[Hashable]]
    terminal_counts: bool


class ReplayError(Exception):
    """A counterexample step is not enabled where it is replayed: an engine or model bug."""


def explore(system: TransitionSystem, safety: Sequence[SafetyProperty] = (),
            liveness: Sequence[LivenessProperty] = (), *, max_states: int | None = None,
            max_seconds: float | None = None, progress: Progress | None = None,
            store: StateStore | None = None, workers: int = 1) -> ExploreResult:
    """Check every property on the reachable state graph; `progress(states, transitions,
    depth, states_per_second)` is called at most five times a second during the search.
    `store`: where to keep the states (default: an exact `StateStore`, with interned keys for
    one process). `workers` > 1: search in that many processes (parallel.py), which fills the
    same store."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    started = time.perf_counter()
    if store is None:
        store = StateStore(codec=InterningCodec() if workers == 1 else None)
    run = search if workers == 1 else partial(parallel_search, workers=workers)
    found = run(system, store, [p.bad for p in safety], [p.labels for p in liveness],
                max_states=max_states, max_seconds=max_seconds, progress=progress)
    graph = StateGraph(store)
    results = [_safety(p, bad, graph, found.stats) for p, bad in zip(safety, found.first_bad,
                                                                     strict=True)]
    results += [_liveness(p, lab, graph, found.stats) for p, lab in zip(liveness,
                                                                       found.labellings,
                                                                       strict=True)]
    stats = replace(found.stats, seconds=time.perf_counter() - started)
    return ExploreResult(results, stats, graph)


def _safety(prop: SafetyProperty, bad: int | None, graph: StateGraph,
            stats: Stats) -> PropertyResult:
    if bad is not None:
        path = graph.path_to(bad)
        return PropertyResult(prop.name, "violated", counterexample=Counterexample(*path))
    if stats.stop_reason is not None:
        return PropertyResult(prop.name, "unknown", reason=(
            f"{stats.stop_reason}; no violation in the {stats.states:,} states explored"))
    return PropertyResult(prop.name, "holds")


def _liveness(prop: LivenessProperty, labelling: Labelling, graph: StateGraph,
              stats: Stats) -> PropertyResult:
    if stats.stop_reason is not None:
        return PropertyResult(prop.name, "unknown", reason=(
            f"{stats.stop_reason}; liveness needs the whole state graph"))
    lasso = fair_lasso(graph, labelling, prop.terminal_counts)
    if lasso is None:
        return PropertyResult(prop.name, "holds")
    return PropertyResult(prop.name, "violated", counterexample=lasso)


def replay(system: TransitionSystem, steps: Sequence[Step]) -> list[Any]:
    """The states a run passes through (one more than `steps`), re-executed step by step:
    each step must be enabled and lead to exactly one state."""
    state = system.initial_state()
    states = [state]
    for n, step in enumerate(steps, 1):
        targets = list(dict.fromkeys(nxt for s, nxt in system.successors(state) if s == step))
        if len(targets) != 1:
            problem = "is not enabled" if not targets else "leads to several states"
            raise ReplayError(f"step {n} ({step.who}: {step.action}) {problem}")
        state = targets[0]
        states.append(state)
    return states
