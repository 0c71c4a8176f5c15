"""`gocheck explain`: each counterexample told as a story, in the runtime's words.

For each violated property: the readable run (shortest, then fewest goroutine switches),
one entry a step saying what happened and, for a decisive step, why it could; why the run
breaks the property; what would change the verdict (machine keys checked by whatif.py,
program changes where the states make the cause plain); and the per-P timeline. When nothing
is violated, the verdicts and a shortest run to main's return, told the same way, show what
the scheduler does with the program.

The result is a list of rich `Text` lines: styled on a terminal, `.plain` everywhere else.
Nothing here depends on the clock, so the text is a golden file's (docs/lessons).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from rich.text import Text

from gocheck.explore.minimal import switches
from gocheck.report.describe import Scene
from gocheck.report.narrate import Told, narrate
from gocheck.report.reasons import advice, why_broken
from gocheck.report.runs import Run, counterexample_runs, end_run
from gocheck.report.text import WIDTH, styled_timeline
from gocheck.report.whatif import what_ifs
from gocheck.verify import Verification

VERDICT_STYLES = {"holds": "bold green", "violated": "bold red", "unknown": "bold yellow"}
TIMELINE_KEY = ("  Per-P timeline after each step (. idle, sys:G syscall, "
                "spin/sched: an M seeks work):")


@dataclass(frozen=True, slots=True)
class Account:
    """Everything told about one run: each step, why the run breaks its property (None for
    an illustration) and what would change the verdict. The text and HTML reports render it."""

    run: Run
    told: list[Told]
    why: str | None
    changes: list[str]


def accounts(v: Verification, scene: Scene) -> list[Account]:
    """An account per violated property; if every property holds, one of a shortest run to
    main's return (none if no explored run gets there)."""
    runs = counterexample_runs(v)
    if runs:
        return [Account(r, narrate(scene, r.steps, r.states), why_broken(scene, r, v.spec),
                        [w.text(r.name) for w in what_ifs(v.spec, v.machine, r.name)]
                        + advice(scene, r)) for r in runs]
    if any(p.verdict != "holds" for p in v.result.properties):
        return []
    run = end_run(v)
    return [] if run is None else [Account(run, narrate(scene, run.steps, run.states), None,
                                           [])]


def explain(v: Verification, source: str) -> list[Text]:
    """The whole explanation of one verification, as lines."""
    scene = Scene(v.machine, source)
    told = accounts(v, scene)
    lines = _verdicts(v, [a.run for a in told if a.why is not None])
    for account in told:
        lines += [Text(""), *(_counterexample(account) if account.why is not None
                              else _illustration(account))]
    if not told and all(p.verdict == "holds" for p in v.result.properties):
        lines += [Text(""), Text("Every property holds, and no explored run reaches main's "
                                 "return.")]
    return lines


def stories(v: Verification, source: str) -> list[Text]:
    """Each counterexample's story as `explain` tells it: every step with its why-lines, and
    why the run breaks its property; without the verdicts, the what-ifs (each a verification
    of its own) and the timeline. For pages that keep the stories (docs/bugs.md)."""
    scene = Scene(v.machine, source)
    out: list[Text] = []
    for run in counterexample_runs(v):
        account = Account(run, narrate(scene, run.steps, run.states),
                          why_broken(scene, run, v.spec), [])
        out += [*_story(account), Text(""),
                *_paragraph(f"Why it breaks {run.name}: ", account.why or "")]
    return out


def _verdicts(v: Verification, runs: list[Run]) -> list[Text]:
    stats = v.result.stats
    out = [Text(f"{v.spec.path}: {_count(stats.states, 'state')}, "
                f"{_count(stats.transitions, 'transition')}", style="bold")]
    if stats.stop_reason:
        out.append(Text(f"  search stopped early: {stats.stop_reason}", style="yellow"))
    steps = {r.name: r for r in runs}
    width = max((len(p.name) for p in v.result.properties), default=0)
    for p in v.result.properties:
        line = Text(f"  {p.name:<{width}}  ")
        line.append(p.verdict, style=VERDICT_STYLES[p.verdict])
        if p.name in steps:
            line.append(f"  ({size(steps[p.name])})")
        elif p.reason:
            line.append(f"  ({p.reason})")
        out.append(line)
    return out


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'s' * (n != 1)}"


def size(run: Run) -> str:
    """"12 steps, 1 goroutine switch, cycle from step 12"."""
    n = len(run.steps)
    cycle = "" if run.loop_start is None or run.loop_start == n \
        else f", cycle from step {run.loop_start + 1}"
    k = switches(run.steps)
    return f"{_count(n, 'step')}, {k} goroutine switch{'es' * (k != 1)}{cycle}"


def _counterexample(account: Account) -> list[Text]:
    run = account.run
    head = Text(f"{run.name} is violated. ", style="bold")
    head.append("A shortest run that breaks it, with the fewest goroutine switches:")
    out = [head, Text(""), *_story(account)]
    out += [Text(""), *_paragraph(f"Why it breaks {run.name}: ", account.why or "")]
    if account.changes:
        out += [Text(""), Text("  What would change the verdict:", style="bold")]
        for c in account.changes:
            out += [Text(line) for line in _wrap(c, "    - ", "      ")]
    out += [Text(""), Text(TIMELINE_KEY), *_indented(styled_timeline(run.states, WIDTH - 2))]
    return out


def _illustration(account: Account) -> list[Text]:
    run = account.run
    head = Text("Every property holds. ", style="bold")
    head.append(f"A shortest run in which main returns ({size(run)}) shows what the "
                "scheduler does:")
    return [head, Text(""), *_story(account), Text(""), Text(TIMELINE_KEY),
            *_indented(styled_timeline(run.states, WIDTH - 2))]


def _story(account: Account) -> list[Text]:
    """One entry a step: number, actor, what happened, and `why:` for decisive steps."""
    run = account.run
    who = max(len(s.who) for s in run.steps) if run.steps else 0
    out: list[Text] = []
    for i, (step, told) in enumerate(zip(run.steps, account.told, strict=True)):
        if i == run.loop_start:
            out.append(Text("        -- the cycle starts here and repeats forever --",
                            style="bold"))
        prefix = f"  {i + 1:>3}  {step.who:<{who}}  "
        body = _wrap(told.text, prefix, " " * len(prefix))
        first = Text(prefix[:6], style="dim")
        first.append(prefix[6:], style="bold cyan")
        first.append(body[0][len(prefix):])
        out += [first, *(Text(line) for line in body[1:])]
        if told.why:
            pad = " " * len(prefix)
            for j, line in enumerate(_wrap(told.why, pad + "why: ", pad + "     ")):
                text = Text(line[:len(pad)])
                if j == 0:
                    text.append("why:", style="yellow")
                    text.append(line[len(pad) + 4:])
                else:
                    text.append(line[len(pad):])
                out.append(text)
    if run.loop_start is not None and run.loop_start == len(run.steps):
        out.append(Text("        -- the run stays in this last state forever --", style="bold"))
    return out


def _paragraph(label: str, text: str) -> list[Text]:
    lines = _wrap(label + text, "  ", "  ")
    first = Text(lines[0][:2 + len(label)], style="bold")
    first.append(lines[0][2 + len(label):])
    return [first, *(Text(line) for line in lines[1:])]


def _wrap(text: str, first: str, rest: str) -> list[str]:
    """Wrapped at WIDTH without splitting a word (quoted code stays whole)."""
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_long_words=False, break_on_hyphens=False)


def _indented(lines: list[Text]) -> list[Text]:
    return [Text("  ") + line for line in lines]
