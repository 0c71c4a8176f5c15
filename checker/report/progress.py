"""Search progress on stderr: shown only on a terminal, and only after the first second."""

from __future__ import annotations

import sys
import time
from types import TracebackType

from rich.console import Console
from rich.status import Status


class SearchProgress:
    """A context manager whose `update` the engine calls; silent unless stderr is a TTY."""

    def __init__(self, label: str, *, enabled: bool = True, delay: float = 1.0):
        self.label = label
        self.enabled = enabled and sys.stderr.isatty()
        self.delay = delay
        self.started = time.monotonic()
        self.status: Status | None = None

    def update(self, states: int, transitions: int, depth: int, rate: float) -> None:
        if not self.enabled or time.monotonic() - self.started < self.delay:
            return
        text = (f"{self.label}: {states:,} states, {transitions:,} transitions, "
                f"depth {depth}, {rate:,.0f} states/s")
        if self.status is None:
            self.status = Status(text, console=Console(stderr=True))
            self.status.start()
        else:
            self.status.update(text)

    def __enter__(self) -> SearchProgress:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.status is not None:
            self.status.stop()
