"""Liveness under weak fairness, by fair strongly connected components.

A liveness property is a persistence labelling: `labels(state)` is a set of labels, and the
property fails iff some fair run eventually stays forever in states that all carry one label
L (work_conserving: L = an idle P while a G is runnable; starvation_free: L = goroutine g is
runnable; terminates: L = main has not returned).

Runs. An infinite run of a finite graph ends up in the set S of states it visits infinitely
often, taking the set E of edges it takes infinitely often, and (S, E) is strongly connected.
A terminal state (no step: ended, fatal, deadlocked) repeats forever: an implicit self-loop
on which no class is enabled, so trivially fair. With `terminal_counts` False such a run does
not count (starvation_free speaks of runs that do not end).

Weak fairness. Each step has a fairness class (an M, a sysmon action, the netpoller for one
G, ...; "" means none). A run is weakly fair iff no class is enabled forever from some point
on yet never taken: for each class f, f is disabled in some state of S or E has an f-edge.
"Enabled" is judged in the whole system: a step of class f out of a state counts whether it
stays in S, leaves S or leads to a state without L; a run that ignores an exit forever, while
the exit stays enabled, is unfair.

The test is exact at the level of SCCs. Let G_L be the subgraph of the states carrying L; a
violating run has S inside one SCC C of G_L. Call a class *starved* in C if it is enabled in
every state of C and taken on no edge inside C. If no class is starved, the run that goes
round every state and every internal edge of C forever is fair. If f is starved, every run
that stays in any S within C is unfair: f is enabled all along and E, a subset of C's edges,
has no f-edge. So no recursive decomposition is needed. Strong fairness needs one because
there a class enabled only somewhere must still be taken, so the states enabling it are
removed and the rest searched again; under weak fairness a class disabled somewhere in C is
already satisfied by C, and a starved class is enabled in every part of C, so a smaller part
never does better than all of C.

The search. For each label, in order of first occurrence: drop the states of G_L with no
successor or no predecessor in G_L, repeatedly (linear, on the compact arrays; every cycle
survives), hand the rest to `nx.strongly_connected_components`, and keep the components that
have an internal edge and no starved class; with `terminal_counts`, terminal states carrying
L count too. The winner has the smallest entry state, a component's smallest id: ids are BFS
order, so its BFS path is the shortest stem of all.

The lasso. The stem is the BFS path to the entry. The cycle starts there and, for each class
enabled somewhere in C (by name) that the cycle has not yet satisfied, follows a shortest path
inside C to the nearest witness: a state where the class is disabled, or an internal edge of
the class, which it then takes. It closes with a shortest path back to the entry (or, if it
never left, the shortest cycle through it).
"""

from __future__ import annotations

from array import array
from itertools import pairwise

import networkx as nx

from gocheck.explore.graph import StateGraph
from gocheck.explore.result import Counterexample
from gocheck.explore.store import Labelling

Component = frozenset[int]


def fair_lasso(graph: StateGraph, labelling: Labelling,
               terminal_counts: bool) -> Counterexample | None:
    """A fair run that eventually keeps one label forever, with the shortest stem; or None."""
    best: tuple[int, Component | None] | None = None
    for label in labelling.labels():
        found = first_violation(graph, labelling.members(label), terminal_counts)
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    if best is None:
        return None
    entry, component = best
    stem = graph.path_to(entry)
    cycle = fair_cycle(graph, component, entry) if component is not None else []
    return Counterexample(stem.steps + tuple(graph.step(e) for e in cycle),
                          stem.states + tuple(graph.target(e) for e in cycle),
                          len(stem.steps))


def first_violation(graph: StateGraph, members: bytearray,
                    terminal_counts: bool) -> tuple[int, Component | None] | None:
    """(entry, component) of the violation among `members` with the smallest entry; the
    component is None for a terminal state that repeats forever."""
    candidates: list[tuple[int, Component | None]] = []
    if terminal_counts:
        terminal = next((s for s, m in enumerate(members) if m and graph.is_terminal(s)), None)
        if terminal is not None:
            candidates.append((terminal, None))
    core = graph.to_networkx(cyclic_core(graph, members), attributes=False)
    for scc in nx.strongly_connected_components(core):
        component = frozenset(scc)
        entry = min(component)
        if (len(component) > 1 or core.has_edge(entry, entry)) and not starved(graph, component):
            candidates.append((entry, component))
    return min(candidates, key=lambda c: c[0], default=None)


def starved(graph: StateGraph, component: Component) -> frozenset[str]:
    """Classes enabled in every state of `component` but taken on none of its edges: a run
    that stays in the component forever is unfair to each of them."""
    always = frozenset.intersection(*(graph.enabled(s) for s in component))
    if not always:
        return always
    return always - {graph.fairness(e) for s in component for e in graph.out_edges(s)
                     if graph.target(e) in component}


def cyclic_core(graph: StateGraph, members: bytearray) -> list[int]:
    """The members left after repeatedly dropping those with no successor or no predecessor
    among the rest: every cycle of the member subgraph survives, the chains between do not,
    so networkx sees only the part that can hold a cycle."""
    start, dst = graph.store.edge_start, graph.store.edge_dst
    nodes = [s for s, m in enumerate(members) if m]
    indeg, outdeg = array("i", bytes(4 * len(members))), array("i", bytes(4 * len(members)))
    for u in nodes:
        for e in range(start[u], start[u + 1]):
            if members[dst[e]]:
                outdeg[u] += 1
                indeg[dst[e]] += 1
    # predecessors in compressed sparse row form, to tell a node that its successor is gone
    pstart = array("i", [0])
    for s in range(len(members)):
        pstart.append(pstart[-1] + indeg[s])
    fill, preds = array("i", pstart), array("i", bytes(4 * pstart[-1]))
    for u in nodes:
        for e in range(start[u], start[u + 1]):
            v = dst[e]
            if members[v]:
                preds[fill[v]] = u
                fill[v] += 1
    alive = bytearray(members)
    queue = [s for s in nodes if not indeg[s] or not outdeg[s]]
    while queue:
        v = queue.pop()
        if not alive[v]:
            continue
        alive[v] = 0
        for e in range(start[v], start[v + 1]):
            w = dst[e]
            if alive[w]:
                indeg[w] -= 1
                if not indeg[w]:
                    queue.append(w)
        for w in preds[pstart[v]:pstart[v + 1]]:
            if alive[w]:
                outdeg[w] -= 1
                if not outdeg[w]:
                    queue.append(w)
    return [s for s in nodes if alive[s]]


def fair_cycle(graph: StateGraph, component: Component, entry: int) -> list[int]:
    """Edges of a cycle from `entry` back to it inside `component` that satisfies every class
    enabled in the component: it visits a state where the class is disabled or takes it."""
    sub = graph.to_networkx(component, attributes=False)
    enabled = {s: graph.enabled(s) for s in sorted(component)}
    needed = frozenset().union(*enabled.values())
    internal = [(s, e) for s in enabled for e in graph.out_edges(s)
                if graph.target(e) in component]
    walk: list[int] = []
    done = set(needed - enabled[entry])
    here = entry

    def follow(states: list[int], edge: int | None = None) -> None:
        nonlocal here
        edges = [graph.edge_between(a, b) for a, b in pairwise(states)]
        if edge is not None:
            edges.append(edge)
        for e in edges:
            here = graph.target(e)
            done.add(graph.fairness(e))
            done.update(needed - enabled[here])
        walk.extend(edges)

    for f in sorted(needed):
        if f in done:
            continue
        paths = nx.single_source_shortest_path(sub, here)
        # (length, state to reach, edge of class f to take there or -1); ties by id
        witnesses = [(len(paths[s]), s, -1) for s in enabled if f not in enabled[s]]
        witnesses += [(len(paths[s]) + 1, s, e) for s, e in internal if graph.fairness(e) == f]
        _, s, e = min(witnesses)
        follow(paths[s], None if e < 0 else e)
    if not walk:  # nothing to satisfy: the shortest cycle through the entry
        back = nx.single_source_shortest_path_length(sub.reverse(copy=False), entry)
        _, e = min((back[graph.target(e)], e) for s, e in internal if s == entry)
        follow([entry], e)
    if here != entry:
        follow(nx.shortest_path(sub, here, entry))
    return walk
