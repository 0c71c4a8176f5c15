"""`gocheck verify SPEC...`: a verdict per property, counterexamples as tables and timelines.

Exit codes: 0 every property holds, 1 a property is violated, 2 bad input or usage,
3 inconclusive (a limit stopped the search).
"""

from __future__ import annotations

import json
import sys

import click

from gocheck.errors import GocheckError, SpecError
from gocheck.lang.diagnostics import render_all
from gocheck.lang.machine_keys import PRESETS
from gocheck.lang.parser import read_source
from gocheck.report.progress import SearchProgress
from gocheck.report.verdicts import exit_code, render_text, to_json
from gocheck.verify import Limits, Reductions, Verification, verify


@click.command("verify")
@click.argument("specs", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.option("--engine", type=click.Choice(["explicit"]), default="explicit",
              show_default=True, help="Which engine decides the verdicts.")
@click.option("--property", "properties", multiple=True, metavar="NAME",
              help="Check only this property (repeatable).")
@click.option("--max-states", type=click.IntRange(min=1), default=None,
              help="Stop after this many states (verdicts become unknown).")
@click.option("--max-seconds", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Stop after this many seconds (verdicts become unknown).")
@click.option("--symmetry/--no-symmetry", default=False, show_default=True,
              help="Explore one state per class of states that differ only in M names "
                   "(safety properties only).")
@click.option("--runtime", type=click.Choice(list(PRESETS)), default=None,
              help="Set every scheduler switch as this Go version had it (keys the spec "
                   "sets itself still win).")
def command(specs: tuple[str, ...], as_json: bool, engine: str, properties: tuple[str, ...],
            max_states: int | None, max_seconds: float | None, symmetry: bool,
            runtime: str | None) -> None:
    """Explore every interleaving of each SPEC and check its properties."""
    limits = Limits(max_states, max_seconds)
    reductions = Reductions(symmetry=symmetry)
    done: list[Verification] = []
    bad_input = False
    for path in specs:
        try:
            with SearchProgress(path, enabled=not as_json) as progress:
                done.append(verify(path, properties=properties, limits=limits,
                                   reductions=reductions, progress=progress.update,
                                   runtime=runtime))
        except SpecError as err:
            bad_input = True
            click.echo(render_all(err.diagnostics, {path: read_source(path)}), err=True)
        except GocheckError as err:
            bad_input = True
            click.echo(f"gocheck: {err}", err=True)
    if as_json:
        docs = [to_json(v) for v in done]
        click.echo(json.dumps(docs[0] if len(specs) == 1 and docs else docs, indent=2))
    else:
        for v in done:
            click.echo(render_text(v))
    sys.exit(2 if bad_input else exit_code(done))
