"""`gocheck graph`: the explored state graph for other tools, counterexamples marked.

Nodes are state ids (0 is the initial state), each with a one-line summary of its state
(what every P does, the global queue, whether the program ended), its BFS depth, and the
properties whose counterexample passes through it; edges carry the step (actor, action, G)
and the same marking. Between two states only the first step is kept (a `DiGraph`), except
on a counterexample, whose own step is shown. GraphML and JSON come from networkx
(`write_graphml`, node-link data); DOT is written here, since networkx's DOT writer needs
pydot or pygraphviz.
"""

from __future__ import annotations

import io
import json

import networkx as nx

from gocheck.explore.graph import StateGraph
from gocheck.explore.minimal import Layers
from gocheck.model.state import (
    FATAL_MESSAGES,
    NO,
    P_RING,
    P_RUNNEXT,
    S_ENDED,
    S_FATAL,
    S_GLOBALQ,
    S_PS,
)
from gocheck.report.runs import Run
from gocheck.report.timeline import p_cell

FORMATS = ("dot", "graphml", "json")


def summary(state: tuple) -> str:
    """`P0:G0[G1,G3] P1:spin gq:G2`: each P, its runnext and ring in brackets, the global
    queue, and `ended` or the fatal error."""
    parts = []
    for p, P in enumerate(state[S_PS]):
        local = ([P[P_RUNNEXT]] if P[P_RUNNEXT] != NO else []) + list(P[P_RING])
        parts.append(f"P{p}:{p_cell(state, p)}"
                     + (f"[{','.join(f'G{g}' for g in local)}]" if local else ""))
    if state[S_GLOBALQ]:
        parts.append("gq:" + ",".join(f"G{g}" for g in state[S_GLOBALQ]))
    if state[S_ENDED]:
        parts.append("ended")
    if state[S_FATAL]:
        parts.append(f"fatal: {FATAL_MESSAGES[state[S_FATAL]]}")
    return " ".join(parts)


def marked_graph(graph: StateGraph, runs: list[Run]) -> nx.DiGraph:
    """The whole graph with string/int attributes only (what GraphML can hold)."""
    g = graph.to_networkx(attributes=False)
    depth = Layers(graph).depth
    for sid in g.nodes:
        g.nodes[sid].update(label=summary(graph.decode(sid)), depth=depth[sid],
                            initial=sid == 0, terminal=graph.is_terminal(sid),
                            counterexample="")
    for u, v in g.edges:
        step = graph.step(graph.edge_between(u, v))
        g.edges[u, v].update(actor=step.who, action=step.action,
                             g="" if step.g is None else f"G{step.g}", counterexample="")
    for run in runs:
        for sid in run.ids:
            _mark(g.nodes[sid], run.name)
        for step, (u, v) in zip(run.steps, zip(run.ids, run.ids[1:], strict=False),
                                strict=True):
            edge = g.edges[u, v]
            edge.update(actor=step.who, action=step.action,
                        g="" if step.g is None else f"G{step.g}")
            _mark(edge, run.name)
    return g


def _mark(attrs: dict, name: str) -> None:
    names = [n for n in attrs["counterexample"].split(",") if n]
    if name not in names:
        attrs["counterexample"] = ",".join([*names, name])


def render(g: nx.DiGraph, fmt: str, title: str) -> str:
    """The graph as DOT, GraphML or JSON text (deterministic: nodes and edges in id order)."""
    if fmt == "dot":
        return to_dot(g, title)
    if fmt == "graphml":
        out = io.BytesIO()
        nx.write_graphml(g, out)
        return out.getvalue().decode("utf-8")
    try:
        data = nx.node_link_data(g, edges="edges")
    except TypeError:  # networkx < 3.4 has no `edges` keyword and calls the list "links"
        data = nx.node_link_data(g)
    return json.dumps(data, indent=1) + "\n"


def to_dot(g: nx.DiGraph, title: str) -> str:
    lines = [f"digraph {_quote(title)} {{",
             '  node [shape=box, fontname="monospace", fontsize=10];',
             '  edge [fontname="monospace", fontsize=9];']
    for sid, a in g.nodes(data=True):
        style = ', style=filled, fillcolor="#fde2e1", color="#b42318", penwidth=2' \
            if a["counterexample"] else (', style=filled, fillcolor="#e3ecf7"' if a["initial"]
                                         else "")
        lines.append(f"  {sid} [label={_quote(f'{sid}: ' + a['label'])}{style}];")
    for u, v, a in g.edges(data=True):
        style = ', color="#b42318", penwidth=2' if a["counterexample"] else ""
        lines.append(f"  {u} -> {v} [label={_quote(a['actor'] + ' ' + a['action'])}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
