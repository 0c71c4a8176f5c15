"""Plain-text rendering of verification results: verdict lines, step tables, timelines."""

from __future__ import annotations

from collections.abc import Sequence

from gocheck.model.system import Step
from gocheck.report.timeline import lanes

WIDTH = 100


def step_table(steps: Sequence[Step], loop_start: int | None = None) -> list[str]:
    """A numbered table: step, actor (`M1@P0`, `sysmon`, ...), action, G."""
    who = max([len("actor"), *(len(s.who) for s in steps)])
    act = max([len("action"), *(len(s.action) for s in steps)])
    rows = [f"  {'#':>3}  {'actor':<{who}}  {'action':<{act}}  G"]
    for i, s in enumerate(steps, 1):
        if loop_start is not None and i - 1 == loop_start:
            rows.append(f"  {'':>3}  -- the cycle starts here and repeats forever --")
        g = "" if s.g is None else f"G{s.g}"
        rows.append(f"  {i:>3}  {s.who:<{who}}  {s.action:<{act}}  {g}".rstrip())
    return rows


def timeline(states: Sequence[tuple], width: int = WIDTH) -> list[str]:
    """Per-P lanes after each step (column 0 is the initial state), wrapped to `width`."""
    grid = lanes(list(states))
    cols = len(states)
    cw = max(3, *(len(c) for lane in grid for c in lane))
    per_row = max(1, (width - 6) // (cw + 1))
    out: list[str] = []
    for start in range(0, cols, per_row):
        stop = min(cols, start + per_row)
        out.append("  step " + " ".join(f"{i:>{cw}}" for i in range(start, stop)))
        for p, lane in enumerate(grid):
            out.append(f"  P{p:<4}" + " ".join(f"{c:>{cw}}" for c in lane[start:stop]))
    return out
