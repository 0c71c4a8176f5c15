"""Keep the command output quoted in the lessons (docs/lessons) true to the checker.

A lesson quotes a command's output in a fenced `text` block right after a marker:

    <!-- gocheck: explain spec/examples/early_exit.gos -->
    ```text
    (the output of `gocheck explain spec/examples/early_exit.gos`)
    ```

Each marked command is run in-process from the repository root (the lessons directory's
grandparent), as a reader would type it there; only commands whose output does not depend on
the clock belong in a lesson (explain, check, fmt, graph; not verify, which prints seconds).
`check` lists the quotes that no longer match; `--update` rewrites them.

    python -m gocheck.report.lessons [--update] [LESSONS_DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from gocheck.cli import main as gocheck

QUOTE = re.compile(r"<!-- gocheck: (?P<command>[^\n]*?) -->\n```text\n(?P<output>.*?)```",
                   re.S)


@dataclass(frozen=True, slots=True)
class Quote:
    """One marked command in a lesson and the output quoted after it (its span in the file)."""

    lesson: Path
    command: str
    output: str
    start: int
    end: int


def lessons(directory: Path) -> list[Path]:
    """The lesson files, in order (`NN-name.md`; an index such as README.md is not one)."""
    return sorted(directory.glob("[0-9]*.md"))


def quotes(lesson: Path) -> list[Quote]:
    text = lesson.read_text(encoding="utf-8")
    return [Quote(lesson, m["command"].strip(), m["output"], m.start("output"), m.end("output"))
            for m in QUOTE.finditer(text)]


def output_of(command: str, root: Path) -> str:
    """What `gocheck COMMAND` prints on stdout when run from `root`; a command that fails
    on its input (exit 2) is an error in the lesson."""
    with contextlib.chdir(root):
        result = CliRunner().invoke(gocheck, shlex.split(command))
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    if result.exit_code == 2 or crashed:
        raise ValueError(f"`gocheck {command}` failed: {result.stderr or result.exception}")
    return result.stdout


def stale(directory: Path) -> list[tuple[Quote, str]]:
    """Every quote whose output differs from the command's, with the current output."""
    root = directory.resolve().parent.parent
    return [(q, now) for lesson in lessons(directory) for q in quotes(lesson)
            if (now := output_of(q.command, root)) != q.output]


def update(directory: Path) -> list[Path]:
    """Rewrite the stale quotes in place; the lessons that changed."""
    changed: dict[Path, list[tuple[Quote, str]]] = {}
    for q, now in stale(directory):
        changed.setdefault(q.lesson, []).append((q, now))
    for lesson, fixes in changed.items():
        text = lesson.read_text(encoding="utf-8")
        for q, now in sorted(fixes, key=lambda f: -f[0].start):
            text = text[:q.start] + now + text[q.end:]
        lesson.write_text(text, encoding="utf-8")
    return list(changed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gocheck.report.lessons",
                                     description="Check or update the outputs quoted in "
                                                 "the lessons.")
    parser.add_argument("directory", nargs="?", default="docs/lessons", type=Path)
    parser.add_argument("--update", action="store_true", help="rewrite stale quotes")
    args = parser.parse_args(argv)
    if not lessons(args.directory):
        print(f"no lessons in {args.directory}", file=sys.stderr)
        return 2
    if args.update:
        for lesson in update(args.directory):
            print(f"updated {lesson}")
        return 0
    bad = stale(args.directory)
    for q, _ in bad:
        print(f"{q.lesson}: the output of `gocheck {q.command}` has changed", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
