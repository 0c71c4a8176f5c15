"""`gocheck verify --engine symbolic|both` and `--depth`: verdict lines with proofs and
bounds, the JSON fields they add, and exit 4 when the engines disagree."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from gocheck import engines
from gocheck.cli import main

EXAMPLES = Path(__file__).parent.parent.parent / "spec" / "examples"
EARLY_EXIT = str(EXAMPLES / "early_exit.gos")
NOBODY = str(EXAMPLES / "unbuffered_nobody.gos")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["verify", *args])
    return result.exit_code, result.stdout, result.stderr


def line(out: str, name: str) -> str:
    return next(x for x in out.splitlines() if x.split()[:1] == [name])


def test_symbolic_proof_is_shown_after_the_verdict_and_exit_0() -> None:
    code, out, _ = run("--engine", "symbolic", "--property", "no_deadlock", EARLY_EXIT)
    assert code == 0
    assert "symbolic engine, BMC to depth" in out.splitlines()[0]
    assert line(out, "no_deadlock").split()[1] == "holds"
    assert "[proved by " in line(out, "no_deadlock")


def test_symbolic_violation_exits_1_with_the_counterexample() -> None:
    code, out, _ = run("--engine", "symbolic", EARLY_EXIT)
    assert code == 1
    assert "fork_join    violated  (1 steps)" in out
    assert "go worker" in out  # the step table of the decoded run
    assert "[explicit engine]" in line(out, "terminates")  # liveness


def test_json_gains_proof_and_bounded_and_keeps_the_other_fields() -> None:
    code, out, _ = run("--json", "--engine", "both", NOBODY)
    assert code == 1
    doc = json.loads(out)
    assert set(doc) == {"spec", "properties", "stats"}
    assert {"states", "transitions", "seconds"} <= set(doc["stats"])
    assert doc["stats"]["symbolic"]["depth"] >= 1
    by = {p["name"]: p for p in doc["properties"]}
    assert by["no_fatal"]["proof"]
    assert {"name", "verdict", "engine", "counterexample"} <= set(by["no_deadlock"])
    assert "proof" not in by["no_deadlock"] and "bounded" not in by["no_deadlock"]
    code, out, _ = run("--json", "--engine", "symbolic", "--depth", "2",
                       "--property", "no_deadlock", NOBODY)
    assert code == 3
    (p,) = json.loads(out)["properties"]
    assert (p["verdict"], p["bounded"], p["engine"]) == ("unknown", 2, "symbolic")


def test_bounded_unknown_is_shown_in_text() -> None:
    code, out, _ = run("--engine", "symbolic", "--depth", "2", "--property", "no_deadlock",
                       NOBODY)
    assert code == 3
    assert "[bounded to 2 steps]" in line(out, "no_deadlock")


def test_max_seconds_stops_the_symbolic_engine() -> None:
    code, out, _ = run("--engine", "symbolic", "--max-seconds", "0.001", "--property",
                       "no_fatal", NOBODY)
    assert code == 3
    assert "time limit" in out


@pytest.mark.parametrize("depth", ["0", "-3", "x"])
def test_depth_must_be_a_positive_integer(depth: str) -> None:
    code, _, err = run("--engine", "symbolic", "--depth", depth, EARLY_EXIT)
    assert code == 2
    assert "--depth" in err and "Traceback" not in err


def test_engine_disagreement_exits_4_with_both_answers(monkeypatch) -> None:
    real = engines.check_symbolic

    def wrong(*args, **kwargs):
        result = real(*args, **kwargs)
        result.properties[:] = [replace(p, verdict="holds", counterexample=None)
                                for p in result.properties]
        return result

    monkeypatch.setattr(engines, "check_symbolic", wrong)
    code, _, err = run("--engine", "both", NOBODY)
    assert code == 4
    assert "internal error" in err and "no_deadlock" in err
    explicit = next(x for x in err.splitlines() if x.strip().startswith("explicit:"))
    symbolic = next(x for x in err.splitlines() if x.strip().startswith("symbolic:"))
    assert '"verdict": "violated"' in explicit and '"verdict": "holds"' in symbolic


def test_unknown_property_is_exit_2_under_the_symbolic_engine() -> None:
    code, _, err = run("--engine", "symbolic", "--property", "nope", EARLY_EXIT)
    assert code == 2 and "unknown property 'nope'" in err and "Traceback" not in err


def test_depth_without_the_symbolic_engine_is_a_usage_error() -> None:
    code, _, err = run("--depth", "5", EARLY_EXIT)
    assert code == 2 and "--depth" in err and "--engine symbolic" in err


def test_both_engines_keep_the_explicit_search_reductions() -> None:
    code, out, _ = run("--engine", "both", "--symmetry", "--property", "no_deadlock",
                       EARLY_EXIT)
    assert code == 0
    assert "reduced by: symmetry (renaming M, G, P)" in out
