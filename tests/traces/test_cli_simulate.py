"""`gocheck simulate` and `gocheck trace --spec` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from trace_paths import REPO

from gocheck.cli import main

FORKJOIN = str(REPO / "spec" / "examples" / "forkjoin.gos")
WORKERS = """
var wg sync.WaitGroup

func worker() {
    work(1)
    OPERATION
    wg.Done()
}

func main() {
    wg.Add(2)
    go worker()
    go worker()
    wg.Wait()
}
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def specs(tmp_path: Path) -> tuple[str, str]:
    """Spec A (workers do a syscall) and spec B (workers sleep instead)."""
    a, b = tmp_path / "a.gos", tmp_path / "b.gos"
    a.write_text(WORKERS.replace("OPERATION", "syscall(1)"))
    b.write_text(WORKERS.replace("OPERATION", "time.Sleep(1)"))
    return str(a), str(b)


def test_simulate_writes_jsonl_to_stdout_deterministically() -> None:
    code, out, err = run("simulate", FORKJOIN, "--seed", "3")
    assert code == 0 and out == run("simulate", FORKJOIN, "--seed", "3")[1]
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[0]["kind"] == "ProcStatus" and [e["index"] for e in lines] == list(
        range(len(lines)))
    assert err.startswith("seed 3: ") and "main returned" in err


def test_several_runs_go_to_numbered_files_that_validate(tmp_path: Path) -> None:
    out = tmp_path / "run.jsonl"
    code, _, err = run("simulate", FORKJOIN, "--runs", "3", "--seed", "10", "-o", str(out))
    assert code == 0 and len(err.splitlines()) == 3
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["run.10.jsonl", "run.11.jsonl", "run.12.jsonl"]
    single = tmp_path / "single.jsonl"
    assert run("simulate", FORKJOIN, "--seed", "11", "-o", str(single))[0] == 0
    assert single.read_text() == (tmp_path / "run.11.jsonl").read_text()
    for name in files:
        code, doc, _ = run("trace", "--json", str(tmp_path / name))
        assert code == 0 and json.loads(doc)["verdict"] == "valid"


def test_max_steps_bounds_a_run() -> None:
    code, out, err = run("simulate", FORKJOIN, "--max-steps", "2")
    assert code == 0 and "2 steps" in err and "step limit reached" in err
    assert max(json.loads(line)["time"] for line in out.splitlines()) <= 2


@pytest.mark.parametrize(("args", "words"), [
    (["--runs", "2"], "several runs need -o"),
    (["--max-steps", "0"], "--max-steps"),
    (["--seed", "-1"], "--seed"),
])
def test_simulate_usage_errors_exit_2(args: list[str], words: str) -> None:
    code, out, err = run("simulate", FORKJOIN, *args)
    assert code == 2 and out == "" and words in err


def test_simulate_bad_spec_exits_2_with_a_located_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gos"
    bad.write_text("func main() {\n    work(0)\n}\n")
    code, out, err = run("simulate", str(bad))
    assert code == 2 and out == ""
    assert f"{bad}:2:5: error:" in err and "^" in err and "Traceback" not in err
    code, _, err = run("simulate", str(tmp_path / "missing.gos"))
    assert code == 2 and "missing.gos" in err and "Traceback" not in err
    code, _, err = run("simulate", FORKJOIN, "-o", str(tmp_path / "no" / "dir.jsonl"))
    assert code == 2 and "cannot write" in err and "Traceback" not in err


def test_trace_spec_conforming_exits_0_with_a_checks_entry(tmp_path: Path,
                                                           specs: tuple[str, str]) -> None:
    a, _ = specs
    trace = tmp_path / "a.jsonl"
    assert run("simulate", a, "-o", str(trace))[0] == 0
    code, out, _ = run("trace", "--json", str(trace), "--spec", a)
    assert code == 0
    doc = json.loads(out)
    assert list(doc) == ["file", "format", "verdict", "events", "goroutines", "error", "checks"]
    assert doc["checks"] == [{"name": "conformance", "verdict": "holds", "worst": None}]
    code, out, _ = run("trace", str(trace), "--spec", a)
    assert code == 0 and f"conformance to {a}: holds (3 goroutines checked)" in out


def test_trace_spec_violation_exits_1_naming_the_event(tmp_path: Path,
                                                       specs: tuple[str, str]) -> None:
    a, b = specs
    trace = tmp_path / "a.jsonl"
    run("simulate", a, "--seed", "1", "-o", str(trace))
    events = [json.loads(line) for line in trace.read_text().splitlines()]
    first = next(e for e in events if e["kind"] == "GoSyscallBegin")
    code, out, _ = run("trace", "--json", "--check", "fork_join", str(trace), "--spec", b)
    assert code == 1
    doc = json.loads(out)
    assert doc["verdict"] == "valid" and doc["checks"][0]["name"] == "fork_join"
    assert doc["checks"][1] == {"name": "conformance", "verdict": "violated", "worst": {
        "event": first["index"], "time": first["time"], "goroutine": first["target"],
        "function": "worker", "observed": "syscall", "expected": ["sleep"]}}
    code, out, _ = run("trace", str(trace), "--spec", b)
    assert code == 1 and f"conformance to {b}: VIOLATED" in out
    assert (f"event #{first['index']} at t={first['time']}: G{first['target']} (worker)"
            " syscall; the spec allows here: sleep") in out


def test_trace_spec_bad_input_exits_2(tmp_path: Path, specs: tuple[str, str]) -> None:
    a, _ = specs
    bad = tmp_path / "bad.gos"
    bad.write_text("func main() {\n    go nowhere()\n}\n")
    trace = str(REPO / "traces" / "go" / "a_forkjoin.trace")
    code, out, err = run("trace", trace, "--spec", str(bad))
    assert code == 2 and out == "" and f"{bad}:2:" in err and "Traceback" not in err
    code, out, err = run("trace", str(REPO / "traces" / "go" / "a_forkjoin.sched.log"),
                         "--spec", a)
    assert code == 2 and "needs an execution trace" in err and "Traceback" not in err


def test_trace_without_spec_is_unchanged() -> None:
    code, out, _ = run("trace", "--json", str(REPO / "traces" / "go" / "a_forkjoin.trace"))
    assert code == 0 and json.loads(out)["checks"] == []
