"""`gocheck explain` on the bug zoo: every step told as what its action is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gocheck.cli import main
from gocheck.report.describe import Scene
from gocheck.report.narrate import tell
from gocheck.verify import load

ROOT = Path(__file__).parent.parent.parent
BUGS = sorted((ROOT / "spec" / "bugs").glob("*.gos"))
SPECS = sorted((ROOT / "spec" / "examples").glob("*.gos")) + BUGS


def buggy(path: Path) -> str:
    found = re.search(r"^// buggy: (\w+) violated$", path.read_text(), re.MULTILINE)
    assert found, path.name
    return found.group(1)


def kind_words(action: str) -> list[str]:
    """Words the sentence of a step with this action must contain."""
    words = []
    if "park" in action:
        words.append("park")
    if action.startswith("sample"):
        words.append("sample")
    if "retake" in action:
        words.append("retake")
    if action.startswith("search: steal"):
        words.append("steal")
    if action.endswith(", spin") or action.endswith("spin again"):
        words.append("spin")
    if action.startswith("work tick"):
        words.append("works")
    if action == "spin tick":
        words.append("spins")
    if action.startswith("preempt request"):
        words.append("preemption")
    return words


def check_told(action: str, text: str) -> None:
    flat = re.sub(r"\s+", " ", text)
    assert "G-1" not in flat, (action, flat)
    for word in kind_words(action):
        assert word in flat, (action, word, flat)


@pytest.mark.parametrize("path", BUGS, ids=lambda p: p.stem)
def test_zoo_story(path: Path) -> None:
    prop = buggy(path)
    result = CliRunner().invoke(main, ["explain", str(path), "--property", prop])
    assert result.exit_code == 0, result.output
    assert f"Why it breaks {prop}" in result.stdout
    assert "G-1" not in result.stdout


def test_every_label_is_narrated() -> None:
    """Every action label (digits aside) reached by any example or zoo spec is told as its
    kind of step."""
    labels: set[tuple[str, str]] = set()
    for path in SPECS:
        _spec, machine = load(str(path))
        scene = Scene(machine, path.read_text())
        start = machine.initial_state()
        seen, todo = {start}, [start]
        while todo:
            state = todo.pop()
            for step, nxt in machine.successors(state):
                key = (step.actor.rstrip("0123456789"), re.sub(r"\d+", "#", step.action))
                if key not in labels:
                    labels.add(key)
                    check_told(step.action, tell(scene, state, step, nxt).text)
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
    for needed in ("stop: release P#, stop spinning, park", "give up: release P#, recheck",
                   "recheck: work, take idle P#", "sample P#: a new syscall",
                   "give up: recheck while spinning: nothing"):
        assert any(action == needed for _, action in labels), needed
