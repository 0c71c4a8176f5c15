"""`gocheck explain`: stories in the runtime's terms, derived from states, not per example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gocheck.cli import main

EXAMPLES = Path(__file__).parent.parent.parent / "spec" / "examples"

# Not an example: a spinning M gives up its P just as main readies a worker.
WINDOW = """machine {
    procs = 2
}

var wg sync.WaitGroup

func worker() {
    work(1)
    wg.Done()
}

func main() {
    wg.Add(2)
    go worker()
    work(1)
    go worker()
    wg.Wait()
}

check strict_work_conserving
"""


def explain(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["explain", *args])
    return result.exit_code, result.stdout, result.stderr


def flat(text: str) -> str:
    """The output with its wrapping undone, to match sentences across line breaks."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def preempt_spin() -> str:
    code, out, _ = explain(str(EXAMPLES / "preempt_spin.gos"), "--property", "terminates")
    assert code == 0
    return flat(out)


def test_main_returning_while_a_goroutine_is_runnable() -> None:
    code, out, _ = explain(str(EXAMPLES / "early_exit.gos"))
    text = flat(out)
    assert code == 0
    assert "1 M0@P0 G0 (main) runs `go worker()` (line 17): newproc creates G1 (worker)" in text
    assert "main returned while G1 (worker) was runnable in P0's runnext" in text
    assert "`wg.Wait()` before main returns" in text


def test_cooperative_preemption_takes_effect_at_a_safe_point(preempt_spin: str) -> None:
    assert "the preemption request takes effect: G0 (main) is preempted" in preempt_spin
    assert "why: the G is between two ticks of `work(4)` (line 24)" in preempt_spin


def test_spin_has_no_safe_point_so_only_async_preemption_stops_it(preempt_spin: str) -> None:
    assert "-- the cycle starts here and repeats forever --" in preempt_spin
    assert ("`spin(1)` (line 18) is a loop without calls: with preemption = cooperative the "
            "request cannot take effect") in preempt_spin
    assert "`preemption = async` (where a running G can be preempted): terminates holds " \
           "(checked)" in preempt_spin


def test_sysmon_retakes_a_syscall_p_with_local_work() -> None:
    code, out, _ = explain(str(EXAMPLES / "syscall_handoff.gos"))
    text = flat(out)
    assert code == 0 and "Every property holds." in text
    assert "sysmon retakes P0 from M0, blocked in G0 (main)'s system call (retake)" in text
    assert "why: P0 had been in syscall state for 1 tick, at least sysmon_delay = 1, and " \
           "it had local work" in text


def test_sysmon_off_leaves_the_p_in_syscall_and_turning_it_on_is_checked() -> None:
    _, out, _ = explain(str(EXAMPLES / "syscall_no_sysmon.gos"))
    text = flat(out)
    assert "why: sysmon = off: nothing retakes P0" in text
    assert "`sysmon = on` (sysmon retakes Ps from syscalls and requests preemption): " \
           "syscall_handoff holds (checked)" in text


def test_wakep_off_leaves_the_idle_p_idle() -> None:
    _, out, _ = explain(str(EXAMPLES / "wakep_off.gos"))
    text = flat(out)
    assert "why: wakep = off: nothing wakes an M for idle P1, so G1 (worker) waits in P0's " \
           "runnext" in text
    assert "`wakep = on` (making work runnable wakes an idle P): strict_work_conserving " \
           "holds (checked)" in text


def test_spinning_m_releases_its_p_in_the_window_before_its_recheck(tmp_path: Path) -> None:
    spec = tmp_path / "window.gos"
    spec.write_text(WINDOW)
    _, out, _ = explain(str(spec))
    text = flat(out)
    assert "wakep does nothing: M1 is already spinning" in text
    assert "M1 gives up: it releases P1 to the idle list and stops spinning" in text
    assert "the window between a spinning M's give-up and its recheck" in text


def test_deadlock_names_what_each_goroutine_waits_for() -> None:
    _, out, _ = explain(str(EXAMPLES / "unbuffered_nobody.gos"), "--property", "no_deadlock")
    text = flat(out)
    assert "G0 (main) is blocked in `ch <- 1` (line 15)" in text
    assert "give ch a receiver" in text


def test_sleep_is_not_a_join() -> None:
    _, out, _ = explain(str(EXAMPLES / "sleep_not_join.gos"))
    assert "`time.Sleep(1)` (line 17) is not a join" in flat(out)


def test_steal_is_explained() -> None:
    _, out, _ = explain(str(EXAMPLES / "invariants.gos"), "--property", "one_running")
    text = flat(out)
    assert "findRunnable steals G1 (worker) from P0's runnext (stealWork)" in text
    assert "the invariant `running <= 1` is false: running = 2" in text


def test_output_is_plain_and_deterministic_off_a_terminal() -> None:
    first = explain(str(EXAMPLES / "select.gos"))[1]
    assert first == explain(str(EXAMPLES / "select.gos"))[1]
    assert "\x1b[" not in first
    assert all(len(line) <= 100 for line in first.splitlines()
               if not line.startswith("fork_join is violated"))


@pytest.mark.parametrize("args, message", [
    (["nope.gos"], "cannot read nope.gos: no such file"),
    ([str(EXAMPLES / "early_exit.gos"), "--property", "nope"], "unknown property 'nope'"),
])
def test_bad_input_is_exit_2_without_traceback(args: list[str], message: str) -> None:
    code, _, err = explain(*args)
    assert code == 2 and message in err and "Traceback" not in err


def test_bad_spec_is_exit_2_with_location(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gos"
    bad.write_text("func main() {\n    work(-1)\n}\n")
    code, _, err = explain(str(bad))
    assert code == 2 and f"{bad}:2:5: error:" in err and "Traceback" not in err
