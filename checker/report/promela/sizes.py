"""The fixed sizes of the Promela model: every array bound and every field's type.

Promela has no growing lists, so every queue of the state becomes an array with a length,
sized from the spec: the most goroutines a run can spawn (each `go` counted once per
iteration of the counted loops around it, through the goroutines it starts), the machine's
procs, threads and runq, the select arities. A `go` inside `for range ch` has no static
bound: then the caller names one, and the model asserts that no run exceeds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from gocheck.errors import GocheckError
from gocheck.model import program as op
from gocheck.model.config import MachineConfig
from gocheck.model.program import Program

NO = 255  # no P, no M, no G (byte fields); G and M ids stay below it
TICK_OPS = (op.WORK, op.SPIN, op.SYSCALL)


@dataclass(frozen=True, slots=True)
class Sizes:
    procs: int
    threads: int
    runq: int
    max_g: int  # goroutine slots (main included)
    loops: int  # loop-counter slots per goroutine (at least 1)
    chans: int  # array lengths: at least 1 even without channels, mutexes, WaitGroups
    mutexes: int
    wgs: int
    qcap: int  # a channel's send or receive queue: every G, once per select case on it
    cases: int  # the most cases of one select (at least 1)
    code: int  # instructions of every function, end to end
    case_rows: int  # select cases of every select, end to end
    ticks_type: str  # G.left: -1 (AT_CALL) .. the longest work/spin/syscall
    counter_type: str  # loop counters
    pc_type: str  # a G's pc within its function
    count_type: str  # a channel's buffer count
    tick_type: str  # a P's schedule counter and slice
    waiter_type: str  # a channel-queue entry g * 256 + case + 1


def int_type(lo: int, hi: int) -> str:
    """The smallest Promela integer type holding lo..hi."""
    if lo >= 0 and hi <= 255:
        return "byte"
    if lo >= -32768 and hi <= 32767:
        return "short"
    return "int"


def goroutine_bound(prog: Program) -> int | None:
    """The most goroutines one run can hold, main included; None if a `go` sits in a loop
    without a static trip count (`for range ch`)."""
    memo: dict[int, int | None] = {}

    def spawned(f: int) -> int | None:
        if f not in memo:
            memo[f] = None  # the checker rejects spawn cycles; this only guards the recursion
            total: int | None = 1
            code = prog.functions[f].code
            for x, ins in enumerate(code):
                if ins.op != op.GO:
                    continue
                times, child = _trips(code, x), spawned(ins.a)
                total = None if total is None or times is None or child is None \
                    else total + times * child
            memo[f] = total
        return memo[f]

    return spawned(prog.main)


def _trips(code: tuple[op.Instr, ...], x: int) -> int | None:
    """How often instruction x can run in one pass of its function: the product of the trip
    counts of the loops around it (each a back edge's region), None if one has none."""
    counts = []
    for j, ins in enumerate(code):
        if ins.op == op.LOOP_NEXT and ins.b <= x <= j:
            counts.append(code[ins.b].b)  # a counted loop: its LOOP_TEST holds the count
        elif ins.op == op.JUMP and ins.a <= x <= j:
            return None  # the back edge of `for range ch` (`for { }` holds no `go`)
    return prod(counts)


def sizes(prog: Program, cfg: MachineConfig, max_goroutines: int | None) -> Sizes:
    """Every bound of the model; GocheckError when a bound is unknown or too big."""
    bound = goroutine_bound(prog)
    if max_goroutines is not None:
        bound = max_goroutines
    if bound is None:
        raise GocheckError("a `go` statement inside `for range ch` has no static bound: "
                           "pass --max-goroutines N")
    if bound >= NO or cfg.threads >= NO:
        raise GocheckError(f"the Promela export holds at most {NO - 1} goroutines and "
                           f"threads (this spec: {bound} goroutines, {cfg.threads} threads)")
    code = [ins for f in prog.functions for ins in f.code]
    selects = [ins.c for ins in code if ins.op == op.SELECT]
    dup = max([1, *(sum(1 for c in arms if c[:2] == arm[:2]) for arms in selects
                    for arm in arms)])
    ticks = max([1, *(ins.a for ins in code if ins.op in TICK_OPS)])
    counts = max([1, *(ins.b for ins in code if ins.op == op.LOOP_TEST)])
    pcs = max(len(f.code) for f in prog.functions)
    return Sizes(
        procs=cfg.procs, threads=cfg.threads, runq=cfg.runq, max_g=bound,
        loops=max([1, *(f.loops for f in prog.functions)]),
        chans=max(1, len(prog.chan_caps)), mutexes=max(1, len(prog.mutex_names)),
        wgs=max(1, len(prog.wg_names)), qcap=bound * dup,
        cases=max([1, *(len(arms) for arms in selects)]),
        code=len(code), case_rows=max(1, sum(len(arms) for arms in selects)),
        ticks_type=int_type(-1, ticks), counter_type=int_type(0, counts),
        pc_type=int_type(0, pcs), count_type=int_type(0, max([0, *prog.chan_caps])),
        tick_type=int_type(0, max(cfg.global_check, cfg.timeslice)),
        waiter_type=int_type(0, bound * 256),
    )
