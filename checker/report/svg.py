"""A run's timeline as an SVG picture: one lane per P, then one per M, a column per state.

Column 0 is the initial state and column i the state after step i, as in the text timeline.
Each column is a group carrying `data-cx` and `data-step`, so the page's script selects a
step from a click without knowing the geometry. A cell is coloured by its goroutine when one
runs (the same colour in every lane and every run of the page) and by its kind otherwise.
"""

from __future__ import annotations

from html import escape

from gocheck.report.timeline import cell_g, kind, lanes, m_lanes

G_FILLS = ("#4e79a7", "#59a14f", "#b07aa1", "#e15759", "#f28e2b", "#76b7b2", "#9c755f",
           "#ff9da7")
KIND_FILLS = {"syscall": "#7f1d1d", "spin": "#f6d365", "sched": "#cfe3f5", "idle": "#eeeeee"}
DARK_TEXT = "#1f2933"
LABEL_W, ROW_H, HEAD_H, GAP = 44, 24, 20, 10


def fill(cell: str) -> str:
    """A cell's fill: its G's colour when it runs one, else its kind's."""
    g = cell_g(cell)
    if kind(cell) == "run" and g is not None:
        return G_FILLS[g % len(G_FILLS)]
    return KIND_FILLS[kind(cell)]


def timeline_svg(states: list[tuple], cx: int, loop_start: int | None = None) -> str:
    """The SVG element (a string) for one run's states."""
    rows = [(f"P{p}", lane) for p, lane in enumerate(lanes(states))]
    m_rows = [(f"M{m}", lane) for m, lane in m_lanes(states)]
    cw = max(40, 8 * max(len(c) for _, lane in rows + m_rows for c in lane) + 12)
    ys = [HEAD_H + i * ROW_H for i in range(len(rows))]
    ys += [HEAD_H + GAP + (len(rows) + i) * ROW_H for i in range(len(m_rows))]
    width = LABEL_W + cw * len(states)
    height = (ys[-1] if ys else HEAD_H) + ROW_H + 4
    out = [f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="timeline: a lane per P and per M, a column per step">']
    for (name, _), y in zip(rows + m_rows, ys, strict=True):
        out.append(f'<text class="lane-label" x="4" y="{y + 16}">{name}</text>')
    for i in range(len(states)):
        x = LABEL_W + i * cw
        out.append(f'<g class="col" data-cx="{cx}" data-step="{i}">'
                   f'<rect class="hit" x="{x}" y="0" width="{cw}" height="{height}"/>'
                   f'<text class="step-no" x="{x + cw / 2:g}" y="14">{i}</text>')
        for (name, lane), y in zip(rows + m_rows, ys, strict=True):
            out.append(_cell(lane[i], name, i, x=x, y=y, cw=cw))
        out.append("</g>")
    if loop_start is not None and loop_start < len(states) - 1:
        x = LABEL_W + loop_start * cw
        out.append(f'<line class="cycle" x1="{x}" y1="0" x2="{x}" y2="{height}"/>'
                   f'<text class="cycle-label" x="{x + 3}" y="{height - 2}">cycle</text>')
    out.append("</svg>")
    return "".join(out)


def _cell(cell: str, lane: str, i: int, *, x: int, y: int, cw: int) -> str:
    when = "initially" if i == 0 else f"after step {i}"
    colour = fill(cell)
    text = DARK_TEXT if kind(cell) in ("spin", "sched", "idle") else "#ffffff"
    label = cell
    return (f'<rect class="cell {kind(cell)}" x="{x + 1}" y="{y + 1}" width="{cw - 2}" '
            f'height="{ROW_H - 2}" fill="{colour}"><title>{lane} {when}: '
            f'{escape(cell or "not created")}</title></rect>'
            + (f'<text class="cell-label" x="{x + cw / 2:g}" y="{y + 16}" fill="{text}">'
               f'{escape(label)}</text>' if label else ""))
