"""The replay's per-resource state: goroutines, Ps and threads, and their sequence numbers.

A goroutine and a P carry a wire status and a sequence number per generation; a thread (M)
holds at most one P and one goroutine. The rule modules (`rules_*.py`) read and change
these; `order.py` assembles the rules.
"""

from __future__ import annotations

from gocheck.traces import spec as S

GO_API = {S.G_RUNNABLE: "Runnable", S.G_RUNNING: "Running", S.G_SYSCALL: "Syscall",
          S.G_WAITING: "Waiting"}
P_API = {S.P_RUNNING: "Running", S.P_IDLE: "Idle", S.P_SYSCALL: "Running",
         S.P_SYSCALL_ABANDONED: "Idle"}

MUST_NOT, MAY, MUST = 0, 1, 2

class GState:
    """A goroutine: wire status, sequence number (gen, seq), open ranges and user regions."""

    __slots__ = ("gen", "id", "ranges", "regions", "seq", "status")

    def __init__(self, gid: int, status: int, gen: int):
        self.id, self.status, self.gen, self.seq = gid, status, gen, 0
        self.ranges: list[tuple[int, object]] = []
        self.regions: list[tuple[int, str]] = []

    def describe(self) -> str:
        return f"{S.GSTATUS_NAMES.get(self.status, self.status)} seq={self.seq} (gen {self.gen})"


class PState:
    """A P: wire status (Running, Idle, Syscall, SyscallAbandoned), sequence number, ranges."""

    __slots__ = ("gen", "id", "ranges", "seq", "status")

    def __init__(self, pid: int, status: int, gen: int):
        self.id, self.status, self.gen, self.seq = pid, status, gen, 0
        self.ranges: list[tuple[int, object]] = []

    def describe(self) -> str:
        return f"{S.PSTATUS_NAMES.get(self.status, self.status)} seq={self.seq} (gen {self.gen})"


class MState:
    """A thread: the P and goroutine it holds (None: none)."""

    __slots__ = ("g", "id", "p")

    def __init__(self, mid: int | None, p: int | None = None, g: int | None = None):
        self.id, self.p, self.g = mid, p, g

    def describe(self) -> str:
        return f"holds P{opt(self.p)}, runs G{opt(self.g)}"


def opt(x: int | None) -> str:
    return "-" if x is None else str(x)


def succeeds(state: GState | PState, gen: int, seq: int | None) -> bool:
    """Is `seq` the next sequence number of `state` (a stream without numbers: always)?"""
    return seq is None or (state.gen == gen and state.seq + 1 == seq)


def bump(state: GState | PState, gen: int, seq: int | None) -> None:
    state.seq = state.seq + 1 if seq is None else seq
    state.gen = gen


def next_seq(state: GState | PState) -> str:
    return f"{state.seq + 1} (gen {state.gen})"


def thread_id(raw: int | None) -> int | None:
    """A wire thread id, None for the wire's "no thread"."""
    return None if raw == S.NO_ID else raw


SPEC_ARGS: dict[int, tuple[str, ...]] = {t: s.args[1:] for t, s in S.SPECS.items()}


def event_name(typ: int) -> str:
    spec = S.SPECS.get(typ)
    return spec.name if spec else f"Invalid({typ})"
