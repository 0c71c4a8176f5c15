"""`gocheck check` and `gocheck fmt`: exit codes, messages on stderr, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gocheck.cli import main

CLEAN = "func main() {\n    work(1)\n}\n"
MESSY = "func main() { work(1) }\n"
SEMANTIC = "func main() {\n    work(0)\n    nothere()\n}\n"
SYNTAX = "func main() {\n    work(\n}\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def files(tmp_path: Path):
    def make(name: str, content: str | bytes | None) -> str:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        return str(path)
    return make


def test_check_clean_file_is_silent(files):
    assert run("check", files("ok.gos", CLEAN)) == (0, "", "")


def test_check_reports_every_problem_of_every_file(files):
    code, out, err = run("check", files("a.gos", SEMANTIC), files("b.gos", SYNTAX),
                         files("c.gos", CLEAN))
    assert code == 2 and out == ""
    assert "a.gos:2:5: error: work(0): the number of ticks must be at least 1 [GOS213]" in err
    assert "a.gos:3:5: error: undefined function nothere [GOS202]" in err
    assert "b.gos:3:1: error: unexpected '}', expected an integer [GOS101]" in err
    assert "    work(0)\n    ^~~~~~~\n" in err


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such file"),
    (b"func main() {}\n\xff\n", "not UTF-8"),
    ("", "empty spec"),
    (SYNTAX, "[GOS101]"),
    (SEMANTIC, "[GOS213]"),
])
def test_check_bad_input_exits_2(files, content, message):
    code, _, err = run("check", files("bad.gos", content))
    assert code == 2 and message in err


def test_check_directory_exits_2(tmp_path):
    code, _, err = run("check", str(tmp_path))
    assert code == 2 and "is a directory" in err


def test_fmt_prints_canonical_form(files):
    assert run("fmt", files("m.gos", MESSY)) == (0, CLEAN, "")


def test_fmt_formats_specs_with_semantic_errors(files):
    code, out, _ = run("fmt", files("s.gos", "func f() { work(0) }\n"))
    assert code == 0 and out == "func f() {\n    work(0)\n}\n"


def test_fmt_write_rewrites_only_what_changes(files):
    messy, clean = files("m.gos", MESSY), files("c.gos", CLEAN)
    before = Path(clean).stat().st_mtime_ns
    assert run("fmt", "-w", messy, clean) == (0, "", "")
    assert Path(messy).read_text() == CLEAN
    assert Path(clean).stat().st_mtime_ns == before


def test_fmt_write_failure_exits_2(files, monkeypatch):
    messy = files("m.gos", MESSY)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "write_text", refuse)
    code, _, err = run("fmt", "-w", messy)
    assert code == 2 and f"cannot write {messy}: Permission denied" in err


def test_fmt_check_lists_unformatted_files(files):
    messy, clean = files("m.gos", MESSY), files("c.gos", CLEAN)
    assert run("fmt", "--check", messy, clean) == (1, messy + "\n", "")
    assert run("fmt", "--check", clean) == (0, "", "")
    assert Path(messy).read_text() == MESSY


@pytest.mark.parametrize("content", [None, b"\xff", "", SYNTAX])
def test_fmt_bad_input_exits_2(files, content):
    bad = files("bad.gos", content)
    code, _, err = run("fmt", "--check", bad, files("m.gos", MESSY))
    assert code == 2 and bad in err


def test_fmt_directory_exits_2(tmp_path):
    code, out, err = run("fmt", str(tmp_path))
    assert (code, out) == (2, "") and "is a directory" in err


def test_fmt_write_and_check_exclude_each_other(files):
    code, _, err = run("fmt", "-w", "--check", files("c.gos", CLEAN))
    assert code == 2 and "exclude each other" in err


def test_entry_point_in_a_real_process(files):
    script = Path(sys.executable).with_name("gocheck")
    assert script.exists(), "the package is not installed with its console script"
    bad = files("bad.gos", SEMANTIC)
    proc = subprocess.run([str(script), "check", bad], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 2
    assert f"{bad}:2:5: error:" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run([str(script), "fmt", files("m.gos", MESSY)], capture_output=True,
                          text=True, check=False)
    assert (proc.returncode, proc.stdout) == (0, CLEAN)
