"""spec/examples: every example parses, checks, is canonical, and states its verdicts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gocheck.lang.check import check
from gocheck.lang.fmt import format_spec
from gocheck.lang.parser import parse_file

EXAMPLES = sorted((Path(__file__).parents[2] / "spec" / "examples").glob("*.gos"))
EXPECT = re.compile(r"^// expect: (\w+) (holds|violated)$")
LESSONS = {"forkjoin", "early_exit", "sleep_not_join", "unbuffered_nobody", "preempt_spin",
           "syscall_handoff", "netpoller", "wakep_off", "pipeline", "mutex_misuse", "select",
           "invariants"}


def test_the_examples_are_there():
    assert {p.stem for p in EXAMPLES} >= LESSONS


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_checks_and_is_canonical(path: Path):
    spec = parse_file(str(path))
    assert check(spec) == []
    assert format_spec(spec) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_opens_with_the_verdicts_it_expects(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    verdicts = [EXPECT.match(line) for line in lines[:next(
        i for i, line in enumerate(lines) if not line.startswith("// expect: "))]]
    assert verdicts and all(verdicts), "the file must open with `// expect:` lines"
    spec = parse_file(str(path))
    named = {c.name for c in spec.checks} | {i.name for i in spec.invariants}
    assert {m.group(1) for m in verdicts if m} == named
