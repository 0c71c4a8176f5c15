"""Text rendering of verification results: verdict lines, step tables, timelines.

Timelines come plain (`timeline`, what pipes, files and tests get) or styled for a terminal
(`styled_timeline`, rich `Text` with one colour per goroutine); both lay out the same
characters, so colour never changes what a reader of the plain text sees.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from gocheck.model.system import Step
from gocheck.report.timeline import cell_g, kind, lanes

WIDTH = 100
G_COLOURS = ("bright_blue", "bright_green", "bright_magenta", "bright_cyan", "orange3",
             "deep_pink3", "chartreuse3", "steel_blue1")
KIND_STYLES = {"syscall": "bold red", "spin": "yellow", "sched": "cyan", "idle": "bright_black"}


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
    return [line.plain for line in styled_timeline(states, width)]


def styled_timeline(states: Sequence[tuple], width: int = WIDTH) -> list[Text]:
    """`timeline` with each cell coloured: by goroutine when one runs, else by what the P
    does (syscall, spinning, scheduling, idle)."""
    grid = lanes(list(states))
    cols = len(states)
    cw = max(3, *(len(c) for lane in grid for c in lane))
    per_row = max(1, (width - 6) // (cw + 1))
    out: list[Text] = []
    for start in range(0, cols, per_row):
        stop = min(cols, start + per_row)
        out.append(Text("  step " + " ".join(f"{i:>{cw}}" for i in range(start, stop)),
                        style="bold"))
        for p, lane in enumerate(grid):
            row = Text()
            row.append(f"  P{p:<4}", style="bold")
            for j, c in enumerate(lane[start:stop]):
                row.append(" " if j else "")
                row.append(f"{c:>{cw}}", style=cell_style(c))
            out.append(row)
    return out


def cell_style(cell: str) -> str:
    """A terminal style for a lane cell: the G's colour, or its kind's."""
    g = cell_g(cell)
    if kind(cell) == "run" and g is not None:
        return f"bold {G_COLOURS[g % len(G_COLOURS)]}"
    return KIND_STYLES.get(kind(cell), "")
