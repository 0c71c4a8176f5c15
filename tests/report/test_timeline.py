"""Timelines: the styled lanes lay out exactly the plain text; colour only on a terminal."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from gocheck.cli.explain import write_lines
from gocheck.model.state import M_NETPOLL, M_RECHECK, M_RECHECK_IDLE, NO, S_MS
from gocheck.report.explain import explain
from gocheck.report.runs import counterexample_runs
from gocheck.report.text import styled_timeline, timeline
from gocheck.report.timeline import cell_g, kind, m_cell, m_lanes
from gocheck.verify import verify

EXAMPLES = Path(__file__).parent.parent.parent / "spec" / "examples"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def mutex_run() -> tuple:
    v = verify(str(EXAMPLES / "mutex_misuse.gos"), properties=("no_fatal",))
    return v, counterexample_runs(v)[0]


def test_styled_timeline_has_the_plain_characters_and_colours(mutex_run: tuple) -> None:
    _, run = mutex_run
    styled = styled_timeline(run.states)
    assert [t.plain for t in styled] == timeline(run.states)
    assert len(timeline(run.states)) == 6  # 26 columns wrap once at 100 characters: 2 x 3 rows
    assert any(span.style for t in styled for span in t.spans)


def test_plain_timeline_layout_is_unchanged(mutex_run: tuple) -> None:
    _, run = mutex_run
    lines = timeline(run.states[:3])
    assert lines == ["  step    0    1    2",
                     "  P0     G0   G0   G0",
                     "  P1      .    . spin"]


def test_m_lanes_and_cell_kinds(mutex_run: tuple) -> None:
    _, run = mutex_run
    assert [m for m, _ in m_lanes(list(run.states))] == [0, 1]
    assert [kind(c) for c in ("G3", "sys:G1", "spin", "sched", ".", "park", "")] == [
        "run", "syscall", "spin", "sched", "idle", "idle", "idle"]
    assert (cell_g("sys:G12"), cell_g("spin")) == (12, None)


def test_terminal_gets_colour_and_the_same_text(mutex_run: tuple,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    v, _ = mutex_run
    lines = explain(v, (EXAMPLES / "mutex_misuse.gos").read_text())

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    tty = Terminal()
    monkeypatch.setattr(sys, "stdout", tty)
    write_lines(lines)
    assert "\x1b[" in tty.getvalue()
    assert ANSI.sub("", tty.getvalue()).splitlines() == [t.plain for t in lines]


@pytest.mark.parametrize(("m_state", "cell"), [
    (M_RECHECK, "recheck"), (M_RECHECK_IDLE, "recheck"), (M_NETPOLL, "netpoll")])
def test_ms_without_a_p_between_schedule_steps_have_cells(m_state: int, cell: str) -> None:
    """A non-spinner's recheck (`recheck = all`) and an M blocked in netpoll (per-P timers)
    hold no P: neither is shown as scheduling."""
    state = [()] * (S_MS + 1)
    state[S_MS] = ((m_state, NO, NO, False),)
    assert m_cell(tuple(state), 0) == cell
    assert kind(cell) == "idle"
