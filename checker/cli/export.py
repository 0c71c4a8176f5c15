"""`gocheck export --format promela SPEC`: print the spec's model in another checker's
language, for an independent check of gocheck's semantics and verdicts.

Exit 2 on bad input (the spec does not check, an unknown property, a model bound that the
export cannot fix on its own).
"""

from __future__ import annotations

import sys

import click

from gocheck.errors import SpecError
from gocheck.lang.diagnostics import render_all
from gocheck.lang.parser import read_source
from gocheck.report import promela
from gocheck.verify import load

_FORMATS = {"promela": promela.export}


@click.command("export")
@click.argument("spec", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(sorted(_FORMATS)), default="promela",
              show_default=True, help="The language to export to (SPIN's Promela).")
@click.option("--property", "properties", multiple=True, metavar="NAME",
              help="Check only this property (repeatable); default: the spec's checks and "
                   "invariants. Liveness properties are left out.")
@click.option("--max-goroutines", type=click.IntRange(min=1), default=None,
              help="Goroutine slots, for a spec that spawns inside `for range ch` (the "
                   "model asserts that no run needs more).")
def command(spec: str, fmt: str, properties: tuple[str, ...],
            max_goroutines: int | None) -> None:
    """Print SPEC's model (the same machine and program) as a Promela model on stdout."""
    try:
        parsed, machine = load(spec)
    except SpecError as err:
        click.echo(render_all(err.diagnostics, {spec: read_source(spec)}), err=True)
        sys.exit(2)
    click.echo(_FORMATS[fmt](parsed, machine, properties, max_goroutines), nl=False)
