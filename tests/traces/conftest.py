"""Fixtures for the trace checker's tests: a Go toolchain and programs built with it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from trace_paths import NO_GO, PROGRAMS

from gocheck.traces.gotool import build, find_go


@pytest.fixture(scope="session")
def go() -> str:
    path = find_go()
    if path is None:
        pytest.skip(NO_GO)
    return path


@pytest.fixture(scope="session")
def program(go: str, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Build a program of traces/programs once per session; returns its binary."""
    out = tmp_path_factory.mktemp("programs")
    built: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in built:
            build(go, PROGRAMS / name, out / name)
            built[name] = out / name
        return built[name]

    return get
