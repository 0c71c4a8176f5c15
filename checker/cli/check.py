"""`gocheck check FILE...`: parse and check specs, reporting every problem of every file.

Exit 0 when every file is clean, 2 otherwise; the diagnostics go to stderr, each with its
source line and a caret.
"""

from __future__ import annotations

import click

from gocheck.errors import InputError, SpecError
from gocheck.lang.check import check_or_raise
from gocheck.lang.diagnostics import render_all
from gocheck.lang.parser import parse, read_source


@click.command("check")
@click.argument("files", nargs=-1, required=True)
@click.pass_context
def command(ctx: click.Context, files: tuple[str, ...]) -> None:
    """Check spec FILES for syntax and semantic errors."""
    failed = False
    for path in files:
        try:
            text = read_source(path)
        except InputError as err:
            click.echo(f"gocheck: {err}", err=True)
            failed = True
            continue
        try:
            check_or_raise(parse(text, path))
        except SpecError as err:
            click.echo(render_all(err.diagnostics, {path: text}), err=True)
            failed = True
    ctx.exit(2 if failed else 0)
