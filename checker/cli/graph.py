"""`gocheck graph SPEC --format dot|graphml|json [-o FILE]`: the explored state graph, with
each counterexample's path marked, for Graphviz, Gephi, networkx and the like.

Graphs above `--max-nodes` states are refused (exit 2): the search stops just past the limit,
so a huge spec costs no more than the limit. Exit codes: 0 written, 2 bad input or too big.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gocheck.errors import GocheckError, SpecError
from gocheck.lang.diagnostics import render_all
from gocheck.lang.parser import read_source
from gocheck.report.graph import FORMATS, marked_graph, render
from gocheck.report.runs import counterexample_runs
from gocheck.verify import Limits, verify


@click.command("graph")
@click.argument("spec", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="dot", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of stdout.")
@click.option("--property", "properties", multiple=True, metavar="NAME",
              help="Check and mark only this property (repeatable).")
@click.option("--max-nodes", type=click.IntRange(min=1), default=5000, show_default=True,
              help="Refuse graphs with more states than this.")
def command(spec: str, fmt: str, output: str | None, properties: tuple[str, ...],
            max_nodes: int) -> None:
    """Write the state graph of SPEC, counterexample paths marked."""
    try:
        v = verify(spec, properties=properties, limits=Limits(max_states=max_nodes + 1))
    except SpecError as err:
        click.echo(render_all(err.diagnostics, {spec: read_source(spec)}), err=True)
        sys.exit(2)
    graph = v.result.graph
    if graph is None or v.result.stats.stop_reason is not None:
        raise GocheckError(f"{spec}: the state graph has more than {max_nodes:,} states, too "
                           "many to draw; raise --max-nodes, or shrink the spec (fewer "
                           "goroutines, procs or ticks)")
    text = render(marked_graph(graph, counterexample_runs(v)), fmt, spec)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as err:
        raise GocheckError(f"cannot write {output}: {err.strerror or err}") from None
    click.echo(f"wrote {output} ({len(graph):,} states, {graph.transitions:,} transitions)",
               err=True)
