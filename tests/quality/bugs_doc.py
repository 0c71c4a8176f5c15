"""docs/bugs.md, generated from spec/bugs/ and the checker's own verdicts.

`render()` verifies every zoo spec in both variants and writes the page; test_bugs_doc.py
compares it with the file. After a deliberate change, regenerate with
`python -m tests.quality.bugs_doc > docs/bugs.md` from the repository root.
"""

from __future__ import annotations

from dataclasses import dataclass

from gocheck.explore.result import Counterexample
from gocheck.report.explain import stories
from gocheck.verify import Verification, verify_spec

from .zoo import BUGS, ZooSpec, buggy_spec, fixed_spec, zoo_spec


@dataclass(frozen=True, slots=True)
class Entry:
    zoo: str  # the bug-zoo's number
    issue: str
    versions: str
    broke: str


ENTRIES: dict[str, Entry] = {
    "gosched_wakep": Entry(
        "#55160", "#55160 (window only)", "<= 1.21",
        "Gosched and preemption put the G on the global queue without wakep: it waits beside "
        "an idle P until its own M looks there (a lasting loss was not reproduced)"),
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
    "z9_timer_steal": Entry(
        "Z9", "#38860", "1.14 - 1.15",
        "per-P timers: a thief skipped a running P whose G was not marked for preemption, and "
        "an idle M's poll deadline covered only timers it could take: an expired timer on a "
        "busy P waited while another P idled"),
}

HEAD = """# The bug zoo

Real (and three teaching) Go scheduler bugs, each restored by one machine key whose default is
today's rule (docs/language.md, "machine"). Every spec in `spec/bugs/` is written as the buggy
variant; the fixed variant is the same spec with that key at its fixed value. This page is
generated from the specs and the checker's verdicts, and a test keeps it current
(`tests/quality/test_bugs_doc.py`; regenerate with `python -m tests.quality.bugs_doc >
docs/bugs.md`). The design notes behind each entry are in the project's bug-zoo design note.

Each story below is `gocheck explain`'s for the buggy variant (`gocheck explain
spec/bugs/NAME --property PROPERTY`): its shortest counterexample with the fewest goroutine
switches, every step told in the runtime's words with the reason for the decisive ones, and
why the run breaks the property. (`explain` also lists what would change the verdict and the
per-P timeline, left out here.)

Presets: `machine { runtime = "go1.16" }` or `gocheck verify --runtime go1.16` set `recheck`,
`gosched_wakep`, `runnext_without_sysmon`, `preemption` and `timer_steal` as that Go version
had them (go1.13: all, off, on, cooperative, any; go1.14-1.15: all, off, on, async,
preempt_marked_only; go1.16: all, off, on, async, any; go1.17-1.19: spinning, off, on,
async, any; go1.20-1.21: needspinning, off, on, async, any; go1.22: needspinning, on, on,
async, any; go1.23 and later, and "tip": today's defaults). Keys a spec sets itself win.
Go 1.13's global timer buckets are closest to `timer_steal = any` (no per-P heap holds a
timer back). `retake_slice_check` is in no preset: its default is the model's urgent sysmon,
not a version.

"""
COLUMNS = ("#", "spec", "issue", "Go versions", "what broke", "property",
           "switch (buggy -> fixed)", "buggy", "fixed", "counterexample")

TAIL = """
## Not in the zoo yet

- **#55160** as a lasting lost wakeup (`work_conserving` with `gosched_wakep = off`): no spec
  with a counterexample was found; in the model's steps the recheck and needspinning protocol
  closes every window a yield opens. `gosched_wakep.gos` above shows the short window only.
"""


def _cx_length(cx: Counterexample) -> str:
    n = len(cx.steps)
    if cx.loop_start is None:
        return f"{n} step{'s' * (n != 1)}"
    if cx.loop_start == n:
        return f"{n} steps, then stuck"
    return f"{n} steps, cycle from step {cx.loop_start + 1}"


def _explained(v: Verification, z: ZooSpec) -> list[str]:
    """`gocheck explain`'s story of the buggy variant, as a text block."""
    return ["```text", *(line.plain.rstrip() for line in stories(v, z.path.read_text())), "```"]


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
        v = verify_spec(buggy_spec(z), properties=(z.prop,))
        buggy = v.result.properties[0]
        fixed = verify_spec(fixed_spec(z), properties=(z.prop,)).result.properties[0]
        assert buggy.counterexample is not None
        switch = _switch(z)
        rows.append(f"| {e.zoo} | `{path.name}` | {e.issue} | {e.versions} | {e.broke} | "
                    f"{z.prop} | `{switch}` -> `{z.fixed_value}` | {buggy.verdict} | "
                    f"{fixed.verdict} | {_cx_length(buggy.counterexample)} |")
        sections += [f"## {e.zoo}: `{path.name}`", "", *_story(z), "",
                     f"`gocheck explain spec/bugs/{path.name} --property {z.prop}`: "
                     f"{z.prop} {buggy.verdict}:", "", *_explained(v, z), ""]
    header = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    return HEAD + "\n".join(header + rows) + "\n\n" + "\n".join(sections) + TAIL


def _switch(z: ZooSpec) -> str:
    machine = buggy_spec(z).machine
    assert machine is not None
    value = next(e.value for e in machine.entries if e.key == z.key)
    return f"{z.key} = {value}"


if __name__ == "__main__":
    print(render(), end="")
