"""The `gocheck` command: one click group; each subcommand lives in its own module.

A module in `COMMANDS` exposes `command`, a click command. Bad input raises `GocheckError`
(exit 2) and is printed as a message, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import click

from gocheck import __version__
from gocheck.errors import GocheckError

COMMANDS: tuple[str, ...] = (
    "check", "fmt", "verify", "trace", "explain", "report", "graph", "simulate", "export",
)


class _Group(click.Group):
    """Turns every `GocheckError` raised by a subcommand into its message and exit code 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except GocheckError as err:
            click.echo(f"gocheck: {err}", err=True)
            sys.exit(err.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gocheck")
def main() -> None:
    """A model and trace checker for Go's G/M/P goroutine scheduler."""


for _name in COMMANDS:
    main.add_command(importlib.import_module(f"gocheck.cli.{_name}").command)
