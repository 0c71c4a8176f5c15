"""`gocheck verify SPEC...`: a verdict per property, counterexamples as tables and timelines.

Exit codes: 0 every property holds, 1 a property is violated, 2 bad input or usage,
3 inconclusive (a limit stopped the search), 4 the engines disagree (an internal error).
"""

from __future__ import annotations

import json
import multiprocessing
import sys

import click

from gocheck.disagreement import EngineDisagreement
from gocheck.errors import GocheckError, SpecError
from gocheck.lang.diagnostics import render_all
from gocheck.lang.machine_keys import PRESETS
from gocheck.lang.parser import read_source
from gocheck.report.progress import SearchProgress
from gocheck.report.verdicts import (
    EXIT_DISAGREEMENT,
    exit_code,
    render_disagreement,
    render_text,
    to_json,
)
from gocheck.verify import Engine, Limits, Reductions, Verification, verify


@click.command("verify")
@click.argument("specs", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.option("--engine", type=click.Choice(["explicit", "symbolic", "both"]),
              default="explicit", show_default=True,
              help="Which engine decides the verdicts: explicit enumerates the states; "
                   "symbolic proves safety properties with z3 (BMC and k-induction; liveness "
                   "stays with the explicit engine); both runs the two, which must agree.")
@click.option("--depth", type=click.IntRange(min=1), default=None,
              help="Bound of the symbolic engine's BMC, in steps [default: 60].")
@click.option("--property", "properties", multiple=True, metavar="NAME",
              help="Check only this property (repeatable).")
@click.option("--max-states", type=click.IntRange(min=1), default=None,
              help="Stop after this many states (verdicts become unknown).")
@click.option("--max-seconds", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Stop each engine after this many seconds (verdicts become unknown).")
@click.option("--symmetry/--no-symmetry", default=False, show_default=True,
              help="Explore one state per class of states that differ only in the names "
                   "of Ms, goroutines and Ps (Ps keep theirs if an invariant reads "
                   "runq[i]); safety properties only.")
@click.option("--por/--no-por", default=False, show_default=True,
              help="Partial-order reduction: take a goroutine's private ticks alone "
                   "(safety properties only).")
@click.option("--dead-values/--no-dead-values", default=False, show_default=True,
              help="Forget schedtick and time-slice values that no rule reads before they "
                   "are overwritten (safety properties only).")
@click.option("--hash-compact", is_flag=True, default=False,
              help="Store a hash per state instead of the state (SPIN's -DHC): less memory, "
                   "and a `holds` says its probability of having missed a state.")
@click.option("--hash-bits", type=click.IntRange(min=32, max=512), default=64,
              show_default=True, help="Bits of the --hash-compact hash (a multiple of 8).")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes for the explicit search (same verdicts, states and "
                   "counterexamples as one, also with --symmetry and --por; "
                   "--hash-compact runs in one).")
@click.option("--runtime", type=click.Choice(list(PRESETS)), default=None,
              help="Set every scheduler switch as this Go version had it (keys the spec "
                   "sets itself still win).")
def command(specs: tuple[str, ...], as_json: bool, engine: str, depth: int | None,
            properties: tuple[str, ...], max_states: int | None, max_seconds: float | None,
            symmetry: bool, por: bool, dead_values: bool, hash_compact: bool, hash_bits: int,
            workers: int, runtime: str | None) -> None:
    """Explore every interleaving of each SPEC and check its properties."""
    limits = Limits(max_states, max_seconds, workers)
    if workers > 1 and "fork" not in multiprocessing.get_all_start_methods():
        raise click.BadParameter("needs processes started by fork (Linux, macOS)",
                                 param_hint="--workers")
    if hash_bits % 8:
        raise click.BadParameter("must be a multiple of 8", param_hint="--hash-bits")
    if depth is not None and engine == "explicit":
        raise click.BadParameter("bounds the symbolic engine: use it with --engine symbolic "
                                 "or both", param_hint="--depth")
    reductions = Reductions(symmetry=symmetry, por=por, hash_compact=hash_compact,
                            hash_bits=hash_bits, dead_values=dead_values)
    done: list[Verification] = []
    bad_input = disagreed = False
    for path in specs:
        try:
            with SearchProgress(path, enabled=not as_json) as progress:
                done.append(verify(path, properties=properties, limits=limits,
                                   reductions=reductions, progress=progress.update,
                                   runtime=runtime, engine=Engine(engine, depth)))
        except EngineDisagreement as err:
            disagreed = True
            click.echo(render_disagreement(err), err=True)
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
    sys.exit(EXIT_DISAGREEMENT if disagreed else 2 if bad_input else exit_code(done))
