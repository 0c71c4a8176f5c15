"""Runtime presets: `runtime = "go1.13"` in the machine block and `gocheck verify --runtime`
set every switch as that Go version had it; a key the spec sets itself wins."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gocheck.cli.verify import command
from gocheck.errors import SpecError
from gocheck.lang import ast
from gocheck.lang.machine_keys import MACHINE_KEYS, PRESETS, SWITCH_KEYS, evaluate, with_runtime
from gocheck.lang.parser import parse
from gocheck.verify import build, load, verify

SPINNER = """machine {
    procs = 1%s
}

func spinner() {
    for {
        spin(1)
    }
}

func main() {
    go spinner()
    work(4)
}

check terminates
"""


def entry(key: str, value: str, quoted: bool = False) -> ast.MachineEntry:
    return ast.MachineEntry(key, value, quoted)


def test_every_preset_names_only_switch_keys_with_valid_words():
    words = {k.name: k.words for k in (*SWITCH_KEYS, *MACHINE_KEYS) if hasattr(k, "words")}
    for name, preset in PRESETS.items():
        for key, value in preset.items():
            assert value in words[key], (name, key)


def test_the_tip_preset_is_the_default_machine():
    assert evaluate([entry("runtime", "tip", True)]) == evaluate(())


def test_a_preset_sets_the_switches_and_a_given_key_wins():
    config, problems = evaluate([entry("runtime", "go1.16", True), entry("recheck", "spinning")])
    assert problems == []
    assert (config["recheck"], config["gosched_wakep"], config["runnext_without_sysmon"],
            config["preemption"]) == ("spinning", "off", "on", "async")
    assert evaluate([entry("runtime", "go1.13", True)])[0]["preemption"] == "cooperative"


@pytest.mark.parametrize("bad", [entry("runtime", "go1.5", True), entry("runtime", "tip")])
def test_unknown_or_unquoted_presets_are_rejected(bad):
    config, problems = evaluate([bad])
    assert [e for e, _ in problems] == [bad] and config == evaluate(())[0]
    with pytest.raises(SpecError):
        build(parse(SPINNER % ("\n    runtime = " + ('"go1.5"' if bad.quoted else "tip"))))


def test_go1_13_starves_main_behind_a_spinner_and_go1_14_does_not(tmp_path: Path):
    path = tmp_path / "spin.gos"
    path.write_text(SPINNER % '\n    runtime = "go1.13"')
    assert verify(str(path)).result.properties[0].verdict == "violated"
    path.write_text(SPINNER % '\n    runtime = "go1.14"')
    assert verify(str(path)).result.properties[0].verdict == "holds"


def test_the_runtime_option_overrides_the_specs_preset_but_not_its_keys(tmp_path: Path):
    path = tmp_path / "spin.gos"
    path.write_text(SPINNER % "")
    assert verify(str(path), runtime="go1.13").result.properties[0].verdict == "violated"
    assert load(str(path), "go1.13")[1].cfg.preemption == "cooperative"
    path.write_text(SPINNER % '\n    runtime = "go1.13"')
    assert verify(str(path), runtime="go1.14").result.properties[0].verdict == "holds"
    path.write_text(SPINNER % "\n    preemption = async")
    assert load(str(path), "go1.13")[1].cfg.preemption == "async"


def test_with_runtime_adds_a_machine_block_when_there_is_none():
    spec = with_runtime(parse("func main() {}\n"), "go1.17")
    assert build(spec).cfg.recheck == "spinning"


def test_cli_runtime_option(tmp_path: Path):
    path = tmp_path / "spin.gos"
    path.write_text(SPINNER % "")
    runner = CliRunner()
    assert runner.invoke(command, [str(path), "--runtime", "go1.13"]).exit_code == 1
    assert runner.invoke(command, [str(path), "--runtime", "go1.14"]).exit_code == 0
    assert runner.invoke(command, [str(path), "--runtime", "go1.2"]).exit_code == 2
