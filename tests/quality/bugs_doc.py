"""docs/bugs.md, generated from spec/bugs/ and the checker's own verdicts.

`render()` verifies every zoo spec in both variants and writes the page; test_bugs_doc.py
compares it with the file. After a deliberate change, regenerate with
`python -m tests.quality.bugs_doc > docs/bugs.md` from the repository root.
"""

from __future__ import annotations

from dataclasses import dataclass

from gocheck.explore.result import Counterexample
from gocheck.verify import verify_spec

from .zoo import BUGS, ZooSpec, buggy_spec, fixed_spec, zoo_spec


@dataclass(frozen=True, slots=True)
class Entry:
    zoo: str  # the bug-zoo's number
    issue: str
    versions: str
    broke: str


ENTRIES: dict[str, Entry] = {
    "z1_recheck_order": Entry(
        "Z1", "none (proc.go's spinning protocol)", "synthetic regression",
        "a spinning M out of work looked at the queues before it stopped spinning, then "
        "parked without looking again; a submission in between saw a spinner and woke nobody"),
    "z2_nonspinning_recheck": Entry(
        "Z2", "#43997", "<= 1.16",
        "every M rechecked after dropping its P; a non-spinning M retook an idle P it was not "
        "allowed to use (the spinning cap) and dropped it again, forever"),
    "z3_needspinning": Entry(
        "Z3", "#45867", "1.17 - 1.19",
        "only spinners rechecked and there was no needspinning flag: a spinner that found work "
        "but no idle P woke nobody while a non-spinning M was about to release its P"),
    "z4_idle_with_local_work": Entry(
        "Z4", "#10573", "1.5 development tree",
        "an emptiness test blind to runnext put a P holding a runnext G on the idle list"),
    "z4_spinning_with_local_work": Entry(
        "Z4", "#10573", "1.5 development tree",
        "an emptiness test blind to runnext handed a P holding a runnext G to a spinning M "
        "(\"spinning with local work\")"),
    "z5_runnext_without_sysmon": Entry(
        "Z5", "#65178", "wasm ports <= 1.22",
        "without sysmon nothing bounds a runnext ping-pong; the ring behind it starves"),
    "z6_global_check": Entry(
        "Z6", "none (the 1-in-61 check)", "no released version",
        "without the periodic global-queue check, two goroutines readying each other keep "
        "the local queue busy and the global queue starves"),
    "z8_retake_misaligned": Entry(
        "Z8", "#28701", "1.11 (reported)",
        "sysmon, sampling a P that makes back-to-back short syscalls, always saw a new "
        "syscall and never checked its slice: the P was never retaken, its queue starved"),
    "z7_cooperative_preemption": Entry(
        "Z7", "#10958, #13546", "<= 1.13",
        "cooperative preemption only at calls: a loop without calls holds its P for good"),
}

HEAD = """# The bug zoo

Real (and two teaching) Go scheduler bugs, each restored by one machine key whose default is
today's rule (docs/language.md, "machine"). Every spec in `spec/bugs/` is written as the buggy
variant; the fixed variant is the same spec with that key at its fixed value. This page is
generated from the specs and the checker's verdicts, and a test keeps it current
(`tests/quality/test_bugs_doc.py`; regenerate with `python -m tests.quality.bugs_doc >
docs/bugs.md`). The design notes behind each entry are in the project's bug-zoo design note.

`gocheck explain` exists, but its narration does not yet know the steps that only the
switches produce (`give up: recheck while spinning`, `stop: ...`, `give up: release P, recheck`,
`recheck: work, take idle P` without spinning, `recheck: work, no idle P, park`, sysmon's
`sample P...`), so it would tell some of these stories wrongly; each story below is therefore
`gocheck verify`'s step table of the shortest counterexample.

Presets: `machine { runtime = "go1.16" }` or `gocheck verify --runtime go1.16` set `recheck`,
`gosched_wakep`, `runnext_without_sysmon` and `preemption` as that Go version had them
(go1.13: all, off, on, cooperative; go1.14-1.16: all, off, on, async; go1.17-1.19: spinning,
off, on, async; go1.20-1.21: needspinning, off, on, async; go1.22: needspinning, on, on,
async; go1.23 and later, and "tip": today's defaults). Keys a spec sets itself win.
`retake_slice_check` is in no preset: its default is the model's urgent sysmon, not a version.

"""
COLUMNS = ("#", "spec", "issue", "Go versions", "what broke", "property",
           "switch (buggy -> fixed)", "buggy", "fixed", "counterexample")

TAIL = """
## Not in the zoo yet

- **Z9** (#38860, `timer_steal`, `timer_conserving`): needs per-P timer heaps and the three
  ways a timer fires; not built.
- **#55160** (`gosched_wakep = off`, Go <= 1.21): the switch exists (and is in the presets),
  but no spec with a counterexample was found yet; the lost wakeup needs a Gosched or a
  preemption whose G is overtaken by local work while a P is idle and nobody spins.
"""


def _cx_length(cx: Counterexample) -> str:
    n = len(cx.steps)
    if cx.loop_start is None:
        return f"{n} steps"
    if cx.loop_start == n:
        return f"{n} steps, then stuck"
    return f"{n} steps, cycle from step {cx.loop_start + 1}"


def _table(cx: Counterexample) -> list[str]:
    rows = ["| # | actor | action |", "|---|---|---|"]
    for i, s in enumerate(cx.steps, 1):
        mark = " (cycle starts)" if cx.loop_start == i - 1 else ""
        rows.append(f"| {i}{mark} | {s.who} | {s.action} |")
    return rows


def _story(z: ZooSpec) -> list[str]:
    """The spec's own comment (its story), less the verdict lines."""
    lines = []
    for line in z.path.read_text().splitlines():
        if not line.startswith("//"):
            break
        text = line[2:].strip()
        if not text.startswith(("buggy:", "fixed (")):
            lines.append(text)
    return [" ".join(" ".join(lines).split())]


def render() -> str:
    rows, sections = [], []
    for path in BUGS:
        z = zoo_spec(path)
        e = ENTRIES[path.stem]
        buggy = verify_spec(buggy_spec(z), properties=(z.prop,)).result.properties[0]
        fixed = verify_spec(fixed_spec(z), properties=(z.prop,)).result.properties[0]
        assert buggy.counterexample is not None
        switch = _switch(z)
        rows.append(f"| {e.zoo} | `{path.name}` | {e.issue} | {e.versions} | {e.broke} | "
                    f"{z.prop} | `{switch}` -> `{z.fixed_value}` | {buggy.verdict} | "
                    f"{fixed.verdict} | {_cx_length(buggy.counterexample)} |")
        sections += [f"## {e.zoo}: `{path.name}`", "", *_story(z), "",
                     f"`gocheck verify spec/bugs/{path.name}`: {z.prop} {buggy.verdict} "
                     f"({_cx_length(buggy.counterexample)}):", "",
                     *_table(buggy.counterexample), ""]
    header = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    return HEAD + "\n".join(header + rows) + "\n\n" + "\n".join(sections) + TAIL


def _switch(z: ZooSpec) -> str:
    machine = buggy_spec(z).machine
    assert machine is not None
    value = next(e.value for e in machine.entries if e.key == z.key)
    return f"{z.key} = {value}"


if __name__ == "__main__":
    print(render(), end="")
