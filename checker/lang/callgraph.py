"""Cycles and unbounded spawning in the graph of calls and spawns that `bodies.py` collects.

Three errors, each reported where the user can fix it:
- recursion: a call edge inside a cycle of calls (calls run inline, so there is no end);
- a spawn cycle: a `go` edge inside a cycle of calls and spawns (each goroutine starts the
  next one, so their number has no bound, just as with `go` inside `for { }`);
- a call inside `for { }` to a function that starts goroutines (the same, one call away).
A cycle is named from the reporting site round to it, with the shortest path back, so
`a -> b -> a` at the call in `a` and `b -> a -> b` at the call in `b`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from gocheck.errors import Diagnostic
from gocheck.lang import codes
from gocheck.lang.bodies import Edge, Graph


def _components(nodes: list[str], edges: Iterable[Edge]) -> dict[str, int]:
    """Strongly connected component of each node (Tarjan's algorithm, without recursion)."""
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    for e in edges:
        succ[e.src].append(e.dst)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    comp: dict[str, int] = {}
    stack: list[str] = []
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
            if i < len(succ[node]):
                work.append((node, i + 1))
                nxt = succ[node][i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt not in comp:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    comp[member] = index[node]
                    if member == node:
                        break
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return comp


def _path_back(start: str, goal: str, edges: list[Edge]) -> list[Edge]:
    """The shortest edge path from `start` to `goal` (breadth-first, edges in source order)."""
    out: dict[str, list[Edge]] = {}
    for e in edges:
        out.setdefault(e.src, []).append(e)
    came: dict[str, Edge | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            break
        for e in out.get(node, ()):
            if e.dst not in came:
                came[e.dst] = e
                queue.append(e.dst)
    path: list[Edge] = []
    node = goal
    while (e := came[node]) is not None:
        path.append(e)
        node = e.src
    return path[::-1]


def _name_cycle(first: Edge, rest: list[Edge]) -> str:
    text = first.src
    for e in (first, *rest):
        text += (" -> go " if e.spawn else " -> ") + e.dst
    return text


def _cycle_edges(graph: Graph, edges: list[Edge], pick_spawns: bool) -> list[tuple[Edge, str]]:
    """Each edge of the wanted kind that lies on a cycle of `edges`, with the cycle's name."""
    comp = _components(graph.units, edges)
    found = []
    for e in edges:
        if e.spawn == pick_spawns and comp[e.src] == comp[e.dst]:
            inside = [x for x in edges if comp[x.src] == comp[e.src] == comp[x.dst]]
            found.append((e, _name_cycle(e, _path_back(e.dst, e.src, inside))))
    return found


def _spawn_witnesses(graph: Graph) -> dict[str, str]:
    """For each unit that starts goroutines when run inline, the shortest call chain to a `go`."""
    witness: dict[str, str] = {}
    callers: dict[str, list[str]] = {}
    for e in graph.edges:
        if e.spawn:
            witness.setdefault(e.src, f"{e.src} -> go {e.dst}")
        else:
            callers.setdefault(e.dst, []).append(e.src)
    queue = deque(u for u in graph.units if u in witness)
    while queue:
        unit = queue.popleft()
        for caller in callers.get(unit, ()):
            if caller not in witness:
                witness[caller] = f"{caller} -> {witness[unit]}"
                queue.append(caller)
    return witness


def graph_diagnostics(path: str, graph: Graph) -> list[Diagnostic]:
    """Recursion, spawn cycles and spawning calls inside `for { }`."""
    out = []
    calls = [e for e in graph.edges if not e.spawn]
    for edge, cycle in _cycle_edges(graph, calls, pick_spawns=False):
        out.append(Diagnostic(path, edge.span, f"recursive call: {cycle}", codes.RECURSION,
                              ("a call runs the function inline, so a function may not call "
                               "itself, directly or through others",)))
    for edge, cycle in _cycle_edges(graph, graph.edges, pick_spawns=True):
        out.append(Diagnostic(path, edge.span,
                              f"unbounded goroutines: {cycle} starts goroutines without end",
                              codes.SPAWN_CYCLE))
    witness = _spawn_witnesses(graph)
    for edge in graph.forever_calls:
        if edge.dst in witness:
            out.append(Diagnostic(
                path, edge.span,
                f"{edge.dst}() inside for {{ }} starts goroutines without bound "
                f"({witness[edge.dst]})", codes.UNBOUNDED_GO))
    return out
