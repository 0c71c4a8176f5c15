"""Verdicts for people (text) and for programs (JSON), and the exit code they imply."""

from __future__ import annotations

from collections.abc import Sequence

from gocheck.report.text import step_table, timeline
from gocheck.verify import Verification

EXIT_HOLDS, EXIT_VIOLATED, EXIT_UNKNOWN = 0, 1, 3


def exit_code(done: Sequence[Verification]) -> int:
    verdicts = {p.verdict for v in done for p in v.result.properties}
    if "violated" in verdicts:
        return EXIT_VIOLATED
    if "unknown" in verdicts:
        return EXIT_UNKNOWN
    return EXIT_HOLDS


def to_json(v: Verification) -> dict[str, object]:
    stats = v.result.stats
    return {
        "spec": v.spec.path,
        "properties": [p.to_json() for p in v.result.properties],
        "stats": {"states": stats.states, "transitions": stats.transitions,
                  "seconds": round(stats.seconds, 3)},
    }


def render_text(v: Verification) -> str:
    stats = v.result.stats
    lines = [f"{v.spec.path}: {stats.states:,} states, {stats.transitions:,} transitions, "
             f"{stats.seconds:.2f} s"]
    if stats.stop_reason:
        lines.append(f"  search stopped early: {stats.stop_reason}")
    width = max(len(p.name) for p in v.result.properties) if v.result.properties else 0
    for p in v.result.properties:
        note = ""
        if p.verdict == "unknown" and p.reason:
            note = f"  ({p.reason})"
        elif p.counterexample is not None:
            cx = p.counterexample
            note = f"  ({len(cx.steps)} steps" + (
                f", cycle from step {cx.loop_start + 1})" if cx.loop_start is not None else ")")
        lines.append(f"  {p.name:<{width}}  {p.verdict}{note}")
    for p in v.result.properties:
        if p.counterexample is None:
            continue
        cx = p.counterexample
        lines += ["", f"{p.name} violated: a shortest run that breaks it"]
        lines += step_table(cx.steps, cx.loop_start)
        lines += ["", "  per-P timeline (state after each step; . idle, sys:G in syscall,"
                  " spin/sched: an M looking for work)"]
        lines += timeline(v.states_of(cx.steps))
    return "\n".join(lines)
