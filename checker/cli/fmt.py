"""`gocheck fmt FILE...`: print specs in canonical form, rewrite them, or list the unformatted.

Formatting needs only the syntax, as gofmt does: a spec with semantic errors still formats.
Exit 2 when a file cannot be read, parsed or written (after doing the others), else 1 when `--check`
found an unformatted file, else 0.
"""

from __future__ import annotations

from pathlib import Path

import click

from gocheck.errors import InputError, SpecError
from gocheck.lang.diagnostics import render_all
from gocheck.lang.fmt import format_spec
from gocheck.lang.parser import parse, read_source


def _rewrite(path: str, text: str) -> bool:
    """Write `text` to `path`; say why not and return False if the file cannot be written."""
    try:
        Path(path).write_text(text, encoding="utf-8", newline="")
    except OSError as err:
        click.echo(f"gocheck: cannot write {path}: {err.strerror or err}", err=True)
        return False
    return True


@click.command("fmt")
@click.option("-w", "write", is_flag=True, help="Rewrite each file in canonical form.")
@click.option("--check", "list_only", is_flag=True,
              help="List the files that are not in canonical form; exit 1 if there are any.")
@click.argument("files", nargs=-1, required=True)
@click.pass_context
def command(ctx: click.Context, write: bool, list_only: bool, files: tuple[str, ...]) -> None:
    """Print spec FILES in canonical form."""
    if write and list_only:
        raise click.UsageError("-w and --check exclude each other")
    bad_input = unformatted = False
    for path in files:
        try:
            text = read_source(path)
            canonical = format_spec(parse(text, path))
        except InputError as err:
            click.echo(f"gocheck: {err}", err=True)
            bad_input = True
            continue
        except SpecError as err:
            click.echo(render_all(err.diagnostics, {path: text}), err=True)
            bad_input = True
            continue
        if list_only:
            if canonical != text:
                click.echo(path)
                unformatted = True
        elif not write:
            click.echo(canonical, nl=False)
        elif canonical != text and not _rewrite(path, canonical):
            bad_input = True
    ctx.exit(2 if bad_input else 1 if unformatted else 0)
