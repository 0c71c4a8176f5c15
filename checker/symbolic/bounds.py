"""Static bounds of a program on a machine: the sizes of the symbolic state vector.

The explicit state grows (a `go` appends a G, queues lengthen); the symbolic state is a fixed
vector, so every growing part gets a capacity derived from the program alone:
- goroutines: main plus, per `go`, the times it can run (the product of the counts of the
  counted loops around it) times the goroutines its target starts in turn. A `go` under a
  loop without a count (`for range ch`) has no static bound: the spec is not supported;
- a queue of Gs (global, ring, waiters) never holds a G twice, so it holds at most every G;
  a channel queue may hold a select waiter once per case on that channel;
- which functions a G slot can run: main for slot 0, any `go` target for the others; the
  (function, pc) pairs where it can stand are the action instructions of those functions.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields

from gocheck.model import program as op
from gocheck.model.config import MachineConfig
from gocheck.model.program import Program
from gocheck.model.sync import WG_LIMIT


class Unsupported(Exception):
    """The spec uses something the symbolic engine does not encode yet."""

    def __init__(self, what: str):
        super().__init__(f"not yet supported by the symbolic engine: {what}")


@dataclass(frozen=True, slots=True)
class Bounds:
    goroutines: int
    funcs_of: tuple[tuple[int, ...], ...]  # per G slot: the functions it may run
    counters: int                          # loop-counter slots per G
    counter_max: tuple[int, ...]           # per counter slot: the largest loop count
    max_ticks: int                         # largest work/spin/syscall length
    ring: int                              # slots of a P's ring
    chan_queue: int                        # slots of a channel's sendq / recvq
    max_cases: int                         # most cases of one select
    wg_max: int                            # largest WaitGroup counter

    def places(self, prog: Program, g: int, ops: frozenset[int] = op.ACTIONS
               ) -> list[tuple[int, int]]:
        """The (function, pc) pairs where G slot g can stand at an action of `ops`."""
        return [(f, pc) for f in self.funcs_of[g]
                for pc, ins in enumerate(prog.functions[f].code) if ins.op in ops]


# Machine switches whose non-default values the encoding mirrors; any other switch (one
# with a default in MachineConfig) must keep its default.
SWITCHES = frozenset({"recheck", "recheck_order", "runq_empty", "runnext_without_sysmon",
                      "gosched_wakep"})


def check_supported(cfg: MachineConfig) -> None:
    """Raise Unsupported for a machine switch the encoding does not mirror yet."""
    for f in fields(cfg):
        if f.default is MISSING or f.name in SWITCHES:
            continue
        if getattr(cfg, f.name) != f.default:
            raise Unsupported(f"machine key {f.name} = {getattr(cfg, f.name)}")


def bounds(prog: Program, cfg: MachineConfig) -> Bounds:
    check_supported(cfg)
    targets = sorted({ins.a for f in prog.functions for ins in f.code if ins.op == op.GO})
    n = 1 + _spawned(prog, prog.main)
    funcs_of = ((prog.main,), *((tuple(targets),) * (n - 1)))
    counter_max = [0] * max((f.loops for f in prog.functions), default=0)
    for f in prog.functions:
        for ins in f.code:
            if ins.op == op.LOOP_TEST:
                counter_max[ins.a] = max(counter_max[ins.a], ins.b)
    selects = [ins.c for f in prog.functions for ins in f.code if ins.op == op.SELECT]
    same_chan = max((max(sum(1 for a in arms if a[:2] == arm[:2]) for arm in arms)
                     for arms in selects if arms), default=1)
    return Bounds(
        goroutines=n,
        funcs_of=funcs_of,
        counters=len(counter_max),
        counter_max=tuple(counter_max),
        max_ticks=max((ins.a for f in prog.functions for ins in f.code
                       if ins.op in (op.WORK, op.SPIN, op.SYSCALL)), default=0),
        ring=min(cfg.runq, n),
        chan_queue=n * same_chan,
        max_cases=max((len(arms) for arms in selects), default=0),
        wg_max=_wg_max(prog, funcs_of),
    )


def _spawned(prog: Program, func: int, seen: tuple[int, ...] = ()) -> int:
    """Goroutines one run of `func` starts, transitively (no memo: programs are small)."""
    if func in seen:
        raise Unsupported("a goroutine that starts its own function again")
    code = prog.functions[func].code
    return sum(_multiplicity(code, pc) * (1 + _spawned(prog, ins.a, (*seen, func)))
               for pc, ins in enumerate(code) if ins.op == op.GO)


def _wg_max(prog: Program, funcs_of: tuple[tuple[int, ...], ...]) -> int:
    """The most a WaitGroup counter can reach: every positive Add, as often as it can run
    (once per G slot that may run its function), saturated as the model saturates it."""
    runs = [sum(1 for funcs in funcs_of if f in funcs) for f in range(len(prog.functions))]
    total = sum(ins.b * _multiplicity(code.code, pc, "WaitGroup.Add") * runs[f]
                for f, code in enumerate(prog.functions) for pc, ins in enumerate(code.code)
                if ins.op == op.WGADD and ins.b > 0)
    return min(total, WG_LIMIT)


def _multiplicity(code: tuple[op.Instr, ...], pc: int, what: str = "go") -> int:
    """How often one run of the code executes the instruction at pc."""
    times = 1
    for at, ins in enumerate(code):
        if ins.op == op.LOOP_TEST and at < pc < ins.c:  # type: ignore[operator]
            times *= ins.b
        elif ins.op == op.JUMP and ins.a <= pc <= at:
            raise Unsupported(f"{what} inside a loop without a count (for range)")
    return times
