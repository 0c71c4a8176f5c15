"""`gocheck explain SPEC`: the counterexamples of SPEC told as stories, in the runtime's terms.

Exit codes: 0 the explanation was written (whatever the verdicts), 2 bad input or usage.
Verdicts as exit codes are `gocheck verify`'s job.
"""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.text import Text

from gocheck.errors import SpecError
from gocheck.lang.diagnostics import render_all
from gocheck.lang.parser import read_source
from gocheck.report.explain import explain
from gocheck.report.progress import SearchProgress
from gocheck.verify import Limits, verify


@click.command("explain")
@click.argument("spec", type=click.Path())
@click.option("--property", "properties", multiple=True, metavar="NAME",
              help="Explain only this property (repeatable).")
@click.option("--max-states", type=click.IntRange(min=1), default=None,
              help="Stop the search after this many states.")
@click.option("--max-seconds", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Stop the search after this many seconds.")
def command(spec: str, properties: tuple[str, ...], max_states: int | None,
            max_seconds: float | None) -> None:
    """Tell why each property of SPEC is violated, step by step, and what would change it."""
    try:
        with SearchProgress(spec) as progress:
            v = verify(spec, properties=properties, limits=Limits(max_states, max_seconds),
                       progress=progress.update)
    except SpecError as err:
        click.echo(render_all(err.diagnostics, {spec: read_source(spec)}), err=True)
        sys.exit(2)
    write_lines(explain(v, read_source(spec)))


def write_lines(lines: list[Text]) -> None:
    """Styled on a terminal, plain text (exactly `Text.plain`) anywhere else."""
    if sys.stdout.isatty():
        console = Console(file=sys.stdout, highlight=False, soft_wrap=True)
        for line in lines:
            console.print(line)
    else:
        click.echo("\n".join(line.plain for line in lines))
