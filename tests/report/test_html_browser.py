"""The HTML report in real headless Chromium: it loads without errors, draws a lane per P,
selects the step named in the address, and its screenshot shows a non-empty timeline.

Skipped when Chromium is missing (CI installs it: `apt-get install -y chromium`). Errors are
seen twice: the page writes every error and console.error into `#js-errors`, which the DOM
dump shows, and Chromium logs console messages to stderr (`--enable-logging=stderr`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gocheck.lang.parser import read_source
from gocheck.report.html import report_html
from gocheck.report.svg import G_FILLS
from gocheck.verify import verify

from .browser import INSTALL, Png, chromium, console_lines, run

pytestmark = pytest.mark.skipif(chromium() is None,
                                reason=f"headless Chromium is not installed ({INSTALL})")

EXAMPLES = Path(__file__).parent.parent.parent / "spec" / "examples"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """select.gos (procs = 2, one run) and preempt_spin.gos (procs = 1, two lassos)."""
    out = tmp_path_factory.mktemp("pages")
    written = {}
    for name in ("select", "preempt_spin"):
        spec = str(EXAMPLES / f"{name}.gos")
        written[name] = out / f"{name}.html"
        written[name].write_text(report_html(verify(spec), read_source(spec)))
    return written


def dump(page: Path, tmp_path: Path, fragment: str = "") -> str:
    done = run(page.as_uri() + fragment, tmp_path / "profile", "--dump-dom")
    assert console_lines(done.stderr) == []
    return done.stdout


def shown(dom: str, cx: int) -> list[str]:
    """The state panels of run `cx` that are not hidden."""
    return re.findall(rf'<div class="state" data-cx="{cx}" data-state="(\d+)">', dom)


def test_page_loads_and_its_script_runs_without_errors(pages: dict[str, Path],
                                                       tmp_path: Path) -> None:
    dom = dump(pages["select"], tmp_path)
    assert re.search(r'<html[^>]* data-ready="\d+"', dom), "the page's script did not finish"
    assert re.search(r'<pre id="js-errors" hidden="">\s*</pre>', dom)


def test_timeline_has_one_lane_per_p_then_one_per_m(pages: dict[str, Path],
                                                    tmp_path: Path) -> None:
    dom = dump(pages["select"], tmp_path)
    lanes = re.findall(r'<text class="lane-label"[^>]*>(\w+)</text>', dom)
    assert [name for name in lanes if name.startswith("P")] == ["P0", "P1"]  # procs = 2
    assert [name for name in lanes if name.startswith("M")] == ["M0", "M1"]


def test_last_step_is_selected_by_default(pages: dict[str, Path], tmp_path: Path) -> None:
    dom = dump(pages["select"], tmp_path)
    assert shown(dom, 0) == ["6"]


def test_hash_selects_a_step_and_shows_its_state(pages: dict[str, Path],
                                                 tmp_path: Path) -> None:
    dom = dump(pages["select"], tmp_path, "#step=3")
    assert shown(dom, 0) == ["3"]
    assert re.search(r'<tr data-cx="0" data-step="3" class="on">', dom)
    assert re.search(r'<g class="col on" data-cx="0" data-step="3">', dom)
    panel = dom.split('data-state="3">', 1)[1].split("</div>", 1)[0]
    assert "After step 3: sysmon" in panel and "running on M0 and P0" in panel


def test_hash_names_the_run_too(pages: dict[str, Path], tmp_path: Path) -> None:
    dom = dump(pages["preempt_spin"], tmp_path, "#cx=1&step=2")
    assert shown(dom, 1) == ["2"]
    assert shown(dom, 0) == ["12"]  # the other run keeps its default


def test_screenshot_shows_the_lanes(pages: dict[str, Path], tmp_path: Path) -> None:
    """Counted in exact colour: G0's fill covers whole cells; the legend alone has ~150 px."""
    g0 = tuple(int(G_FILLS[0][i:i + 2], 16) for i in (1, 3, 5))
    blank = tmp_path / "blank.html"
    blank.write_text(re.sub(r'<svg class="timeline".*?</svg>', "",
                            pages["select"].read_text(), flags=re.S))
    counts = {}
    for name, page in (("report", pages["select"]), ("no timeline", blank)):
        png = tmp_path / f"{name}.png"
        run(page.as_uri(), tmp_path / f"profile-{name}", "--window-size=1200,800",
            f"--screenshot={png}")
        counts[name] = Png(png.read_bytes()).count(g0)
    assert counts["no timeline"] < 400, "the check must fail on a page without a timeline"
    assert counts["report"] > 3000, f"the timeline looks empty: {counts}"
