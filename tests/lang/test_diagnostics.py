"""Rendering diagnostics: position, message, code, the source line and a caret."""

from __future__ import annotations

from gocheck.errors import Diagnostic
from gocheck.lang.ast import Span
from gocheck.lang.diagnostics import render, render_all


def test_caret_under_the_span():
    d = Diagnostic("a.gos", Span(2, 5, 2, 12), "work(0): too few ticks", "GOS213")
    assert render(d, "func main() {\n    work(0)\n}\n") == (
        "a.gos:2:5: error: work(0): too few ticks [GOS213]\n"
        "    work(0)\n"
        "    ^~~~~~~")


def test_tabs_are_kept_so_the_caret_lines_up():
    d = Diagnostic("a.gos", Span(2, 3, 2, 4), "m", "GOS101")
    assert render(d, "x\n\t\tz\n").splitlines()[1:] == ["\t\tz", "\t\t^"]


def test_span_running_past_the_line_and_notes():
    d = Diagnostic("a.gos", Span(1, 1, 3, 2), "m", "GOS206", ("one", "two"))
    assert render(d, "func f() {\n}\n").splitlines() == [
        "a.gos:1:1: error: m [GOS206]", "func f() {", "^~~~~~~~~~", "note: one", "note: two"]


def test_without_source_or_on_an_empty_file():
    d = Diagnostic("a.gos", Span(1, 1, 1, 2), "empty spec", "GOS100")
    assert render(d, None) == "a.gos:1:1: error: empty spec [GOS100]"
    assert render(d, "").splitlines()[1:] == ["", "^"]


def test_render_all_uses_each_file_s_source():
    a = Diagnostic("a.gos", Span(1, 1, 1, 2), "x", "GOS201")
    b = Diagnostic("b.gos", Span(1, 2, 1, 3), "y", "GOS201")
    out = render_all([a, b], {"a.gos": "AB", "b.gos": "CD"}).splitlines()
    assert out == ["a.gos:1:1: error: x [GOS201]", "AB", "^",
                   "b.gos:1:2: error: y [GOS201]", "CD", " ^"]
