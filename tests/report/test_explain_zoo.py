"""`gocheck explain` on the bug zoo: every step told as what its action is."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gocheck.cli import main
from gocheck.lang.parser import parse
from gocheck.model.machine import Machine
from gocheck.report.describe import Scene
from gocheck.report.narrate import tell
from gocheck.verify import build, load

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


def told_labels(machine: Machine, source: str) -> set[tuple[str, str]]:
    """Every (actor kind, action with digits as #) the machine reaches, each checked to be
    told as its kind of step."""
    labels: set[tuple[str, str]] = set()
    scene = Scene(machine, source)
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
    return labels


def test_every_label_is_narrated() -> None:
    """Every action label (digits aside) reached by any example or zoo spec is told as its
    kind of step."""
    labels: set[tuple[str, str]] = set()
    for path in SPECS:
        labels |= told_labels(load(str(path))[1], path.read_text())
    for needed in ("stop: release P#, stop spinning, park", "give up: release P#, recheck",
                   "recheck: work, take idle P#", "sample P#: a new syscall",
                   "give up: recheck while spinning: nothing", "timer of G# on P# expires",
                   "search: run P#'s expired timers", "recheck: nothing, block in netpoll",
                   "netpoll: deadline, take idle P#"):
        assert any(action == needed for _, action in labels), needed


# Steps no example or zoo spec reaches, with a spec that reaches them.
PER_P_TIMERS = """
machine {
    procs = 2
    timer_steal = preempt_marked_only
}

func w() {
    work(2)
}

func main() {
    go w()
    time.Sleep(1)
    work(1)
}
"""
REACHED_BY = {
    "search: steal P#'s expired timers": PER_P_TIMERS,
    "give up: release P#, block in netpoll": PER_P_TIMERS,
    "netpoll: deadline, no idle P, park": PER_P_TIMERS,
    "select: park": """
var a = make(chan int)
var b = make(chan int)

func sender() {
    a <- 1
}

func main() {
    go sender()
    select {
    case <-a:
        work(1)
    case <-b:
        work(1)
    }
}
""",
    "recheck: work, no idle P, park": """
machine {
    recheck = spinning
}

func quick() {
    work(1)
}

func worker() {
    work(1)
}

func main() {
    go quick()
    go worker()
    work(2)
}
""",
}


@functools.cache
def _told_once(source: str) -> frozenset[tuple[str, str]]:
    return frozenset(told_labels(build(parse(source, "reach.gos")), source))


@pytest.mark.parametrize("action", REACHED_BY)
def test_steps_no_spec_reaches_are_reached_and_told(action: str) -> None:
    source = REACHED_BY[action]
    labels = _told_once(source)
    assert any(a == action for _, a in labels), sorted(labels)
