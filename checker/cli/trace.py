"""`gocheck trace FILE`: check a runtime trace for consistency and summarise it.

Exit codes: 0 consistent, 1 inconsistent (the first broken rule is reported with its event
index, time and the states involved), 2 unreadable input (with a byte offset or line).
With `--spec SPEC`, a consistent trace is also checked for conformance to the spec (see
`gocheck.traces.conformance`); a goroutine that does what its function cannot, channel
waits no order of the trace explains, or an order search that gave up (unknown) is exit 1.
"""

from __future__ import annotations

import json

import click

from gocheck.cli.simulate import load_machine
from gocheck.traces.check import TraceReport, check_file
from gocheck.traces.conformance import Conformance, Mismatch
from gocheck.traces.load import FORMATS
from gocheck.traces.properties import parse_check


@click.command("trace")
@click.argument("file", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="Trace format (default: detected from the content).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.option("--check", "checks", multiple=True, metavar="PROPERTY[=T]",
              help="Also measure a property: work_conserving, syscall_handoff, preemption"
                   " (with a bound T such as 2ms) or fork_join. Repeatable.")
@click.option("--spec", type=click.Path(dir_okay=False),
              help="Also check that each goroutine blocks only as its function in this"
                   " spec allows (conformance).")
@click.pass_context
def command(ctx: click.Context, file: str, fmt: str | None, as_json: bool,
            checks: tuple[str, ...], spec: str | None) -> None:
    """Check the runtime trace FILE against Go's scheduler state machines.

    Exit status: 0 consistent (and every --check holds, and the trace conforms to
    --spec), 1 inconsistent, a property violated or not conforming, 2 unreadable input.
    """
    machine = None if spec is None else load_machine(spec)
    report = check_file(file, fmt, [parse_check(c) for c in checks],
                        None if machine is None else machine.prog)
    click.echo(json.dumps(_document(report), indent=2) if as_json else _text(report, spec))
    ctx.exit(0 if report.holds else 1)


def _document(report: TraceReport) -> dict[str, object]:
    checks = [c.to_json() for c in report.checks]
    if report.conformance is not None:
        checks.append(report.conformance.to_json())
    return {
        "file": report.file,
        "format": report.format,
        "verdict": "valid" if report.valid else "invalid",
        "events": report.summary.events,
        "goroutines": report.summary.goroutines,
        "error": report.error.to_json() if report.error else None,
        "checks": checks,
    }


def _text(report: TraceReport, spec: str | None) -> str:
    s = report.summary
    verdict = "consistent" if report.valid else "INCONSISTENT"
    lines = [f"{report.file}: {verdict} ({report.format} format)",
             f"  events       {s.events}",
             f"  goroutines   {s.goroutines}",
             f"  Ps           {len(s.procs)}",
             f"  duration     {s.duration / 1e6:.3f} ms"]
    util = s.utilisation()
    if util:
        lines.append("  utilisation  " + "  ".join(f"P{p} {u:.1%}" for p, u in util.items()))
    err = report.error
    if err is not None:
        when = "" if err.time is None else f" at t={err.time}"
        lines.append(f"  first inconsistency: event #{err.event}{when} [{err.rule}]")
        lines.append(f"    {err.message}")
        for label, state in err.states.items():
            lines.append(f"    {label}: {state}")
    for c in report.checks:
        bound = "" if c.threshold is None else f" (bound {c.threshold / 1e6:g} ms)"
        verdict = "holds" if c.holds else "VIOLATED"
        lines.append(f"  {c.name}{bound}: {verdict}")
        if c.worst is not None:
            lines.append(f"    worst window: start t={c.worst.start},"
                         f" {c.worst.length / 1e6:.3f} ms, {' '.join(c.worst.resources)}")
    if report.conformance is not None:
        lines.extend(_conformance_text(spec, report.conformance))
    if report.expectation is not None:
        exp = report.expectation
        want = "SUCCESS" if exp.success else f"FAILURE {exp.pattern!r}"
        agree = exp.matches(None if err is None else err.message)
        lines.append(f"  test case expects {want}: {'agrees' if agree else 'DISAGREES'}")
    return "\n".join(lines)


def _conformance_text(spec: str | None, c: Conformance) -> list[str]:
    checked = f"{c.checked} goroutine{'s' if c.checked != 1 else ''} checked"
    if c.waits:
        checked += f", {c.waits} channel wait{'s' if c.waits != 1 else ''}"
    f = c.first
    if f is None and c.unknown is None:
        again = "; channel waits explained by another order than the trace's" \
            if c.reordered else ""
        return [f"  conformance to {spec}: holds ({checked}{again})"]
    if f is None:
        return [f"  conformance to {spec}: UNKNOWN ({checked}): {c.unknown}"]
    head = f"  conformance to {spec}: VIOLATED ({checked})"
    if isinstance(f, Mismatch):
        expected = ", ".join(f.expected) or "nothing more"
        return [head, f"    event #{f.event} at t={f.time}: G{f.goroutine} ({f.function})"
                f" {f.seen}; the spec allows here: {expected}"]
    return [head, f"    event #{f.event} at t={f.time} [{f.rule}] {f.resource}: {f.message}"]
