"""`gocheck report`: one self-contained, deterministic HTML page (no browser needed here)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from gocheck.cli import main
from gocheck.lang.parser import read_source
from gocheck.report.html import report_html
from gocheck.verify import verify

EXAMPLES = Path(__file__).parent.parent.parent / "spec" / "examples"


def page(name: str) -> str:
    path = str(EXAMPLES / name)
    return report_html(verify(path), read_source(path))


def test_page_is_self_contained() -> None:
    html = page("preempt_spin.gos")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    assert html.count("<script>") == 2 and "<style>" in html


def test_one_state_panel_per_state_and_a_lane_per_p_and_m() -> None:
    html = page("select.gos")
    assert len(re.findall(r"class='state' data-cx='0'", html)) == 7  # 6 steps
    assert re.findall(r'class="lane-label"[^>]*>(\w+)<', html) == ["P0", "P1", "M0", "M1"]
    assert "runnable in P0&#x27;s runnext" in html


def test_page_is_deterministic_and_escapes_text() -> None:
    assert page("early_exit.gos") == page("early_exit.gos")
    html = page("unbuffered_nobody.gos")
    assert "<code>ch &lt;- 1</code>" in html


def test_cli_writes_the_file_and_refuses_an_unwritable_one(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", str(EXAMPLES / "early_exit.gos"), "-o", str(out)])
    assert result.exit_code == 0 and out.read_text().startswith("<!DOCTYPE html>")
    result = CliRunner().invoke(main, ["report", str(EXAMPLES / "early_exit.gos"), "-o",
                                       str(tmp_path / "missing" / "r.html")])
    assert result.exit_code == 2 and "cannot write" in result.stderr
