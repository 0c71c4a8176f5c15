"""References the engine is checked against, written from the definitions and sharing no
code with it: plain BFS, a brute-force search for fair runs over every set of states, and a
validator for lasso counterexamples that replays them through the system."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from itertools import combinations
from typing import Any

from gocheck.explore import Counterexample, replay
from gocheck.model.system import TransitionSystem

Labels = Callable[[Any], frozenset[Hashable]]


def reachable(system: TransitionSystem) -> tuple[dict[Any, int], int]:
    """BFS depth of every reachable state, and the number of transitions."""
    depth = {system.initial_state(): 0}
    queue, transitions = [system.initial_state()], 0
    for s in queue:
        for _, t in system.successors(s):
            transitions += 1
            if t not in depth:
                depth[t] = depth[s] + 1
                queue.append(t)
    return depth, transitions


def _classes(system: TransitionSystem, s: Any) -> frozenset[str]:
    return frozenset(step.fairness for step, _ in system.successors(s)) - {""}


def _strongly_connected(nodes: tuple, edges: list[tuple[Any, Any]]) -> bool:
    def reach(start: Any, pairs: list[tuple[Any, Any]]) -> set:
        seen, todo = {start}, [start]
        while todo:
            u = todo.pop()
            for a, b in pairs:
                if a == u and b not in seen:
                    seen.add(b)
                    todo.append(b)
        return seen
    back = [(b, a) for a, b in edges]
    return reach(nodes[0], edges) == set(nodes) == reach(nodes[0], back)


def fair_stem(system: TransitionSystem, labels: Labels, terminal_counts: bool) -> int | None:
    """The shortest stem of a violation, or None if the property holds.

    A run that eventually keeps label L visits some set S of L-states infinitely often; the
    most it can take infinitely often is every edge inside S. So a violation exists iff some
    reachable S of L-states is strongly connected by its own edges (at least one) and every
    fairness class enabled in all of S has an edge inside S; or, if finite runs count, a
    terminal state carries a label. Every subset is tried: exponential, for tiny systems.
    """
    depth, _ = reachable(system)
    found = [d for s, d in depth.items()
             if terminal_counts and labels(s) and not system.successors(s)]
    for label in {x for s in depth for x in labels(s)}:
        states = [s for s in depth if label in labels(s)]
        for size in range(1, len(states) + 1):
            for group in combinations(states, size):
                inside = [(s, step, t) for s in group for step, t in system.successors(s)
                          if t in group]
                if not inside or not _strongly_connected(group, [(s, t) for s, _, t in inside]):
                    continue
                always = frozenset.intersection(*(_classes(system, s) for s in group))
                if always <= {step.fairness for _, step, _ in inside}:
                    found.append(min(depth[s] for s in group))
    return min(found, default=None)


def check_lasso(system: TransitionSystem, cx: Counterexample, labels: Labels,
                terminal_counts: bool) -> list[Any]:
    """Assert that `cx` is a fair run keeping one label forever; return its states."""
    states = replay(system, cx.steps)
    k = cx.loop_start
    assert k is not None and 0 <= k <= len(cx.steps)
    assert len(cx.states) == len(states)
    if k == len(cx.steps):  # the run ends; its last state repeats forever
        assert terminal_counts
        assert not system.successors(states[-1]) and labels(states[-1])
        return states
    assert states[k] == states[-1], "the cycle returns to its start"
    cycle = states[k:-1]
    assert frozenset.intersection(*(labels(s) for s in cycle)), "one label all along the cycle"
    always = frozenset.intersection(*(_classes(system, s) for s in cycle))
    taken = {step.fairness for step in cx.steps[k:]}
    assert always <= taken, f"the cycle starves {sorted(always - taken)}"
    return states
