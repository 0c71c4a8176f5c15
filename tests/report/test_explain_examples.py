"""Every violation among the examples gets an explanation that names its cause."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gocheck.cli import main

EXAMPLES = sorted((Path(__file__).parent.parent.parent / "spec" / "examples").glob("*.gos"))
VIOLATIONS = [
    (path, name)
    for path in EXAMPLES
    for name in re.findall(r"^// expect: (\w+) violated$", path.read_text(), re.MULTILINE)
]


def test_there_are_violations_to_explain() -> None:
    assert len(VIOLATIONS) >= 8


@pytest.mark.parametrize(("path", "name"), VIOLATIONS, ids=lambda x: getattr(x, "stem", x))
def test_each_violation_is_explained(path: Path, name: str) -> None:
    result = CliRunner().invoke(main, ["explain", str(path), "--property", name])
    assert result.exit_code == 0, result.output
    story = result.stdout
    assert f"Why it breaks {name}" in story
    assert re.search(r"^\s+1\s+\S", story, re.MULTILINE), "the story is told step by step"
