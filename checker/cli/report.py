"""`gocheck report SPEC -o FILE`: one self-contained HTML page with the verdicts, and each
counterexample's story, timeline, step table and machine state after every step.

Exit codes: 0 the page was written (whatever the verdicts), 2 bad input or usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gocheck.errors import GocheckError, SpecError
from gocheck.lang.diagnostics import render_all
from gocheck.lang.parser import read_source
from gocheck.report.html import report_html
from gocheck.report.progress import SearchProgress
from gocheck.verify import Limits, verify


@click.command("report")
@click.argument("spec", type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The HTML file to write.")
@click.option("--property", "properties", multiple=True, metavar="NAME",
              help="Report only this property (repeatable).")
@click.option("--max-states", type=click.IntRange(min=1), default=None,
              help="Stop the search after this many states.")
@click.option("--max-seconds", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Stop the search after this many seconds.")
def command(spec: str, output: str, properties: tuple[str, ...], max_states: int | None,
            max_seconds: float | None) -> None:
    """Write an HTML report of SPEC's verdicts and counterexamples to OUTPUT."""
    try:
        with SearchProgress(spec) as progress:
            v = verify(spec, properties=properties, limits=Limits(max_states, max_seconds),
                       progress=progress.update)
    except SpecError as err:
        click.echo(render_all(err.diagnostics, {spec: read_source(spec)}), err=True)
        sys.exit(2)
    page = report_html(v, read_source(spec))
    try:
        Path(output).write_text(page, encoding="utf-8")
    except OSError as err:
        raise GocheckError(f"cannot write {output}: {err.strerror or err}") from None
    click.echo(f"wrote {output} ({len(page.encode()):,} bytes)")
