"""Render diagnostics for people: position, message and code, the source line, a caret.

    forkjoin.gos:12:5: error: work(0): the number of ticks must be at least 1 [GOS213]
        work(0)
        ^~~~~~~
    note: ...

The caret line copies the tabs of the source line so it stays under the column in any
terminal; `~` runs to the end of the span (or of the line, for a span that goes on).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from gocheck.errors import Diagnostic


def render(diag: Diagnostic, source: str | None) -> str:
    """One diagnostic; without `source` (an unreadable file) the code excerpt is left out."""
    span = diag.span
    lines = [f"{diag.path}:{span.line}:{span.col}: error: {diag.message} [{diag.code}]"]
    src_lines = source.split("\n") if source is not None else []
    if 1 <= span.line <= len(src_lines):
        text = src_lines[span.line - 1].rstrip("\r")
        end = span.end_col if span.end_line == span.line else len(text) + 1
        pad = "".join("\t" if ch == "\t" else " " for ch in text[:span.col - 1])
        pad += " " * (span.col - 1 - len(pad))
        lines += [text, pad + "^" + "~" * (max(1, end - span.col) - 1)]
    lines += [f"note: {note}" for note in diag.notes]
    return "\n".join(lines)


def render_all(diagnostics: Iterable[Diagnostic], sources: Mapping[str, str]) -> str:
    """Every diagnostic, each with the source of its file when `sources` has it."""
    return "\n".join(render(d, sources.get(d.path)) for d in diagnostics)
