"""`gocheck simulate SPEC`: random runs of the model as canonical JSONL traces.

Run i uses seed N + i, so `--seed N+i` alone reproduces it. One run goes to stdout or to
`-o FILE`; several need `-o`, and run i goes to FILE with its seed before the suffix
(`run.jsonl` -> `run.7.jsonl`). A line per run on stderr says how it ended.
Exit codes: 0 written, 2 bad input or usage.
"""

from __future__ import annotations

from pathlib import Path

import click

from gocheck.errors import InputError, SpecError
from gocheck.lang.diagnostics import render_all
from gocheck.lang.parser import read_source
from gocheck.model.machine import Machine
from gocheck.traces.jsonl import dump_lines, write_jsonl
from gocheck.traces.simulate import simulate
from gocheck.verify import load


def load_machine(path: str) -> Machine:
    """The spec's machine; a spec with errors prints its diagnostics and exits 2."""
    try:
        return load(path)[1]
    except SpecError as err:
        click.echo(render_all(err.diagnostics, {path: read_source(path)}), err=True)
        raise click.exceptions.Exit(2) from None


@click.command("simulate")
@click.argument("spec", type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the trace to this file (default: stdout).")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Seed of the first run.")
@click.option("--runs", type=click.IntRange(min=1), default=1, show_default=True,
              help="How many runs (seeds N, N+1, ...).")
@click.option("--max-steps", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Stop a run after this many model steps.")
def command(spec: str, output: str | None, seed: int, runs: int, max_steps: int) -> None:
    """Write random runs of SPEC's model as canonical JSONL traces (see `gocheck trace`)."""
    if runs > 1 and output is None:
        raise click.UsageError("several runs need -o FILE (each goes to FILE with its seed"
                               " before the suffix)")
    machine = load_machine(spec)
    for s in range(seed, seed + runs):
        run = simulate(machine, s, max_steps)
        target = None if output is None else _numbered(Path(output), s, runs > 1)
        if target is None:
            click.echo("".join(dump_lines(run.events)), nl=False)
        else:
            try:
                with target.open("w", encoding="utf-8") as out:
                    write_jsonl(run.events, out)
            except OSError as err:
                raise InputError(f"{target}: cannot write: {err.strerror or err}") from None
        where = "" if target is None else f"{target}: "
        click.echo(f"{where}seed {s}: {run.steps} steps, {len(run.events)} events,"
                   f" {run.outcome}", err=True)


def _numbered(path: Path, seed: int, several: bool) -> Path:
    return path.with_name(f"{path.stem}.{seed}{path.suffix}") if several else path
