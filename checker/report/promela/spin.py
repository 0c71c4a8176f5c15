"""Run SPIN on an exported model and read pan's verdicts, state count, time and memory.

Three stages, each timed: `spin -a` (Promela to C), the C compiler (pan), and pan's search.
pan runs with `-c0`, so it goes on past the first error and prints one line per violation
found: a violated property is `assertion violated !(bad_NAME)`, a deadlock is an `invalid
end state`. Peak memory is pan's own maximum resident set, read from the kernel when it
exits (`os.wait4`), so it is per run, not per test session.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from gocheck.errors import GocheckError
from gocheck.report.promela.props import ASSERTION_PREFIX

MODEL = "model.pml"
_ERROR = re.compile(r"^pan:\d+: (.*?)(?: \(at depth \d+\))?$", re.MULTILINE)
_BAD = re.compile(r"assertion violated\s+!\(" + ASSERTION_PREFIX + r"(\w+)\)")
_INCOMPLETE = ("max search depth too small", "out of memory", "reached -DMEMLIM bound",
               "too small, recompile", "aborting")


@dataclass(frozen=True, slots=True)
class Build:
    """How pan is compiled and run."""

    cflags: tuple[str, ...] = ("-O2", "-DSAFETY")
    depth: int = 1_000_000  # pan -m: DFS stack depth
    hash_bits: int = 22  # pan -w: 2**bits hash slots (collisions are resolved, not lost)
    timeout: float | None = None  # seconds for the whole run; then `complete` is False


@dataclass(frozen=True, slots=True)
class PanResult:
    """pan's verdicts and statistics; `violated` names properties (`no_deadlock` for an
    invalid end state); `errors` are every other error pan reported (a model bound)."""

    states: int | None
    violated: frozenset[str]
    errors: tuple[str, ...]
    complete: bool
    seconds: dict[str, float] = field(default_factory=dict)  # spin, cc, pan
    peak_rss_mb: float = 0.0
    output: str = ""

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def spin_available() -> bool:
    return shutil.which("spin") is not None and shutil.which("gcc") is not None


def _run(cmd: list[str], cwd: Path, deadline: float | None) -> tuple[str, float, float, bool]:
    """Run cmd; (output, seconds, peak RSS in MB, finished before the deadline)."""
    started = time.perf_counter()
    with open(cwd / "out.txt", "w+") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        timer = None
        if deadline is not None:
            timer = threading.Timer(max(0.0, deadline - time.monotonic()), proc.kill)
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if timer is not None:
            timer.cancel()
        out.seek(0)
        text = out.read()
    killed = proc.returncode < 0
    return text, time.perf_counter() - started, usage.ru_maxrss / 1024, not killed


def run_spin(model: str, workdir: Path, build: Build = Build()) -> PanResult:
    """Write `model` into `workdir` (an empty directory), build pan and run it."""
    deadline = time.monotonic() + build.timeout if build.timeout is not None else None
    (workdir / MODEL).write_text(model, encoding="utf-8")
    seconds: dict[str, float] = {}
    stages = [("spin", ["spin", "-a", MODEL]),
              ("cc", ["gcc", *build.cflags, "-o", "pan", "pan.c"]),
              ("pan", ["./pan", f"-m{build.depth}", f"-w{build.hash_bits}", "-c0", "-n"])]
    for stage, cmd in stages:
        text, secs, rss, finished = _run(cmd, workdir, deadline)
        seconds[stage] = secs
        if not finished:
            return PanResult(None, frozenset(), (), False, seconds, rss, text)
        if stage != "pan" and not (workdir / ("pan.c" if stage == "spin" else "pan")).exists():
            raise GocheckError(f"{' '.join(cmd)} failed:\n{text}")
    return _parse(text, seconds, rss)


def _parse(text: str, seconds: dict[str, float], rss: float) -> PanResult:
    stored = re.search(r"(\d+) states, stored", text)
    messages = _ERROR.findall(text)
    violated = {m.group(1) for e in messages if (m := _BAD.fullmatch(e))}
    if any(e == "invalid end state" for e in messages):
        violated.add("no_deadlock")
    errors = tuple(e for e in dict.fromkeys(messages)
                   if not _BAD.fullmatch(e) and e != "invalid end state")
    complete = stored is not None and not any(s in text for s in _INCOMPLETE)
    return PanResult(int(stored.group(1)) if stored else None, frozenset(violated), errors,
                     complete, seconds, rss, text)
