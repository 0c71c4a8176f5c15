"""`gocheck verify` as a user runs it: output shapes and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from gocheck.cli import main

EXAMPLES = Path(__file__).parent.parent.parent / "spec" / "examples"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["verify", *args])
    return result.exit_code, result.stdout, result.stderr


def test_holds_exits_0_with_one_line_per_property() -> None:
    code, out, _ = run(str(EXAMPLES / "netpoller.gos"))
    assert code == 0
    assert [line.split()[:2] for line in out.splitlines()[1:]] == [
        ["fork_join", "holds"], ["no_deadlock", "holds"], ["terminates", "holds"]]


def test_violation_exits_1_with_step_table_and_timeline() -> None:
    code, out, _ = run(str(EXAMPLES / "sleep_not_join.gos"))
    assert code == 1
    assert "fork_join    violated  (3 steps)" in out
    assert "M0@P0" in out and "time.Sleep: park on a timer" in out
    assert "  P0 " in out and "  P1 " in out  # one lane per P


def test_json_is_one_document_with_the_documented_shape() -> None:
    code, out, _ = run("--json", str(EXAMPLES / "sleep_not_join.gos"))
    assert code == 1
    doc = json.loads(out)
    assert set(doc) == {"spec", "properties", "stats"}
    assert set(doc["stats"]) == {"states", "transitions", "seconds"}
    fj = next(p for p in doc["properties"] if p["name"] == "fork_join")
    assert fj["verdict"] == "violated" and fj["engine"] == "explicit"
    assert fj["counterexample"]["loop_start"] is None
    assert set(fj["counterexample"]["steps"][0]) == {"actor", "action", "g", "p", "m"}


def test_json_with_several_specs_is_a_list() -> None:
    code, out, _ = run("--json", str(EXAMPLES / "netpoller.gos"), str(EXAMPLES / "early_exit.gos"))
    assert code == 1
    assert [d["spec"].rsplit("/", 1)[-1] for d in json.loads(out)] == [
        "netpoller.gos", "early_exit.gos"]


def test_limit_exits_3() -> None:
    code, out, _ = run("--max-states", "20", str(EXAMPLES / "forkjoin.gos"))
    assert code == 3
    assert "unknown" in out and "stopped early" in out


def test_property_selects_and_unknown_property_is_exit_2() -> None:
    code, out, _ = run("--property", "no_deadlock", str(EXAMPLES / "early_exit.gos"))
    assert code == 0 and "fork_join" not in out
    code, _, err = run("--property", "nope", str(EXAMPLES / "early_exit.gos"))
    assert code == 2 and "unknown property 'nope'" in err and "Traceback" not in err


def test_bad_spec_is_exit_2_with_location(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gos"
    bad.write_text("func main() {\n    work(-1)\n}\n")
    code, _, err = run(str(bad))
    assert code == 2
    assert f"{bad}:2:5: error:" in err and "^" in err and "Traceback" not in err


def test_missing_file_is_exit_2(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "nope.gos"))
    assert code == 2 and "Traceback" not in err


def test_reductions_applied_are_named_in_text_and_json() -> None:
    args = ("--symmetry", "--por", "--property", "fork_join", str(EXAMPLES / "forkjoin.gos"))
    code, out, _ = run(*args)
    assert code == 0
    assert "reduced by: symmetry (renaming M, G, P), partial-order reduction" in out
    assert "not applied" not in out
    doc = json.loads(run("--json", *args)[1])
    assert doc["stats"]["reductions"] == {"applied": ["symmetry", "por"],
                                          "renamed": ["M", "G", "P"], "not_applied": []}


def test_a_requested_reduction_left_out_says_which_property_kept_it_out() -> None:
    """forkjoin's default properties include the liveness property work_conserving: the
    search runs unreduced, and the output must say so rather than show full-graph figures
    as if symmetry had been applied."""
    code, out, _ = run("--symmetry", str(EXAMPLES / "forkjoin.gos"))
    assert code == 0
    assert "reduced by" not in out
    assert "not applied: symmetry: not with work_conserving" in out
    doc = json.loads(run("--json", "--symmetry", str(EXAMPLES / "forkjoin.gos"))[1])
    assert doc["stats"]["reductions"]["applied"] == []
    assert doc["stats"]["reductions"]["not_applied"][0].startswith(
        "symmetry: not with work_conserving")


def test_workers_with_hash_compaction_say_they_ran_in_one_process() -> None:
    code, out, _ = run("--hash-compact", "--workers", "2", "--property", "fork_join",
                       str(EXAMPLES / "forkjoin.gos"))
    assert code == 0
    assert "not applied: workers: 2 asked, one ran (hash compaction runs in one process)" in out
