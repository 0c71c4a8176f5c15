"""The command outputs quoted in docs/lessons are what the commands print today.

Regenerate with `python -m gocheck.report.lessons --update` (from the repository root).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gocheck.report.lessons import lessons, main, output_of, quotes, stale, update

LESSONS = Path(__file__).parent.parent.parent / "docs" / "lessons"
ROOT = LESSONS.parent.parent


def test_there_are_lessons_and_each_quotes_a_command() -> None:
    found = lessons(LESSONS)
    assert len(found) >= 8, f"no lessons found in {LESSONS}"
    assert all(quotes(lesson) for lesson in found)


@pytest.mark.parametrize("lesson", lessons(LESSONS), ids=lambda p: p.stem)
def test_quoted_outputs_are_current(lesson: Path) -> None:
    for q in quotes(lesson):
        assert output_of(q.command, ROOT) == q.output, (
            f"{lesson.name}: `gocheck {q.command}` prints something else now; run "
            "`python -m gocheck.report.lessons --update` and reread the lesson")


def test_a_stale_quote_is_found_and_updated(tmp_path: Path) -> None:
    lessons_dir = tmp_path / "docs" / "lessons"
    lessons_dir.mkdir(parents=True)
    spec = ROOT / "spec" / "examples" / "early_exit.gos"
    (tmp_path / "early_exit.gos").write_text(spec.read_text())
    lesson = lessons_dir / "01-x.md"
    lesson.write_text("# x\n\n<!-- gocheck: explain early_exit.gos -->\n```text\nold\n```\n")
    assert len(stale(lessons_dir)) == 1
    assert update(lessons_dir) == [lesson]
    assert stale(lessons_dir) == []
    assert "fork_join is violated" in lesson.read_text()


def test_an_empty_lessons_directory_is_an_error(tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 2
