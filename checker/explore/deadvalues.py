"""Dead-value reduction: forget the parts of a P's counters that no rule will read.

Two fields of a P tell apart most states that are otherwise equal, and in most states their
exact values cannot matter (the `vs_spin` benchmark family at procs 3 with two workers:
204,393 states under symmetry and POR, 26,806 with both fields canonical):

- schedtick (P_TICK) is read only by schedule's fairness look, `tick % global_check == 0`,
  and advanced (modulo `global_check`) only by a non-runnext `execute` on that P. A tick of 1
  or more that cannot reach `global_check` before the program ends behaves as 1 does: the
  look is false now and stays false. "Cannot reach" is judged by a bound on the remaining
  non-runnext executes, the potential `Phi` below.
- the time slice (P_SLICE) is read only by the running G's steps (saturating count) and
  sysmon's preemption request (slice used up), both of a P whose M runs a G, and carried into
  a runnext G (`execute` with inheritTime). While the P's M schedules (search, give-up, or the
  recheck_first stop, still holding the P) with runnext empty, the next thing to happen to
  the slice is an overwrite: `execute` from the ring, the global queue or a steal resets it,
  and a release (`pidleput`) sets it to 0. Nobody else fills that P's runnext meanwhile (a G
  is readied onto its waker's own P; handoffs and `startm` take syscall or idle Ps), except
  per-P timers, which ready sleepers onto the P that runs them: with them the slice is kept.

The canonical form replaces such a tick by 1 and such a slice by 0. States with one form
have the same future: the relation "differ only in ticks and slices that satisfy the
conditions" is a bisimulation that keeps every step label, because no rule reads those values
while the conditions hold, the tick condition is kept by every step (below), and the slice
condition holds until both slices are overwritten alike. No property reads a tick or slice
(the library predicates and `props/observables` read statuses, queues and flags; the tests
compare every predicate and observable on each state and its form, so a new one that read
them would be caught), so reachability of every safety predicate is kept, with shortest
counterexample lengths, and a counterexample over forms maps back to a real run the way
symmetry's does (`symmetry.concretize`, which needs the form to be exact: two states get one
form iff they are related, true here by construction). Liveness and graph properties are not
reduced (verify.py), as with symmetry.

The potential. Phi(s) = sum over live Gs of phi(G), where, with T(position) an upper bound
on the steps a G at that position can still take (longest path in its code, a `work(n)` or
`spin(n)` counting n, a `go f()` counting f's T plus 2, loops unrolled by their counters,
an unbounded loop or unbounded spawning infinite):
  runnable: sigma + 1        waiting or in a syscall: T        dead: 0
  running:  sigma + o, o = 1 if its P's slice is used up or it is flagged for preemption
where sigma is T, less the ticks a started work or spin has already taken. Every step keeps
Phi or lowers it, and a non-runnext `execute` lowers it by 1: the executed G goes from
sigma + 1 to sigma + 0 (a fresh slice, no flag, and `timeslice` >= 1); a G's own step takes
sigma down by its cost while o rises by at most 1; a preemption needs o = 1 and leaves
sigma + 1; parking, a syscall's entry, waking and a syscall's exit move between forms that
count the same instruction once; a `go` hands the child what the parent's T reserved for
it; a step that ends the program (main's return, a fatal error) leaves Phi = 0, as nothing
follows it. So no run from s executes more than Phi(s) times, and if tick + Phi(s) <
global_check the tick never wraps to 0; after a step that executes on the P, tick + 1 +
Phi(t) <= tick + Phi(s), so the condition is kept. Phi reads no tick, and no slice but those
of Ps that run a G, which the form keeps.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from gocheck.model import program as op
from gocheck.model.goroutine import settle
from gocheck.model.machine import Machine
from gocheck.model.program import Program
from gocheck.model.state import (
    DEAD,
    G_COUNTERS,
    G_FUNC,
    G_LEFT,
    G_PC,
    G_PREEMPT,
    G_STATUS_,
    M_G,
    M_GIVEUP,
    M_P,
    M_RECHECK,
    M_RUNNING,
    M_SEARCH,
    M_STATE_,
    NO,
    P_M,
    P_RUNNEXT,
    P_SLICE,
    P_TICK,
    RUNNABLE,
    RUNNING,
    S_ENDED,
    S_FATAL,
    S_GS,
    S_MS,
    S_PS,
)

INF = math.inf
# Positions explored per function before it is taken as unbounded (a bound on memory and
# time; giving up only costs reduction).
_MAX_POSITIONS = 1 << 16
# The M states in which an M holding a P schedules on it: no G runs there.
_SCHEDULING = frozenset({M_SEARCH, M_GIVEUP, M_RECHECK})

Position = tuple[int, tuple]  # (pc of an action or END, loop counters)


class StepBounds:
    """T(function, position): an upper bound on the steps a G there can still take,
    spawned children's included (module doc)."""

    def __init__(self, prog: Program):
        self.prog = prog
        self._entry: dict[int, float] = {}  # function -> T at its first action
        self._open: set[int] = set()  # functions whose table is being built (spawn cycles)
        self._tables: dict[int, dict[Position, float]] = {}

    def at(self, func: int, pc: int, counters: tuple) -> float:
        table = self._table(func)
        return table.get((pc, counters), INF) if table is not None else INF

    def entry(self, func: int) -> float:
        if func not in self._entry:
            table = self._table(func)
            if table is None:
                self._entry[func] = INF
            else:
                pc, counters, _ = settle(self.prog, func, 0, (0,) * self.prog.functions[func].loops)
                self._entry[func] = table[(pc, counters)]
        return self._entry[func]

    def _table(self, func: int) -> dict[Position, float] | None:
        """T at every position reachable from the function's start; None if unbounded
        (a cycle of positions, a spawn cycle, or too many positions)."""
        if func in self._tables:
            return self._tables[func]
        if func in self._open:
            return None  # the function spawns itself, directly or not
        self._open.add(func)
        try:
            table = self._build(func)
        finally:
            self._open.discard(func)
        self._tables[func] = table  # type: ignore[assignment]
        return table

    def _build(self, func: int) -> dict[Position, float] | None:
        prog = self.prog
        code = prog.functions[func].code
        start = settle(prog, func, 0, (0,) * prog.functions[func].loops)[:2]
        table: dict[Position, float] = {}
        on_path: set[Position] = set()
        # Iterative depth-first search; a node is finished when all its successors are.
        stack: list[tuple[Position, list[Position] | None]] = [(start, None)]
        while stack:
            node, nexts = stack[-1]
            if nexts is None:
                if node in table:
                    stack.pop()
                    continue
                if node in on_path:
                    return None  # a cycle: a loop with no bound
                if len(table) + len(on_path) >= _MAX_POSITIONS:
                    return None
                on_path.add(node)
                nexts = self._successors(func, node)
                stack[-1] = (node, nexts)
            pending = [n for n in nexts if n not in table]
            if pending:
                if any(n in on_path for n in pending):
                    return None
                stack.append((pending[0], None))
                continue
            stack.pop()
            on_path.discard(node)
            pc, _ = node
            ins = code[pc]
            if ins.op == op.END:
                table[node] = 0
                continue
            cost = self._cost(ins)  # an empty `select {}` blocks for good: no exit
            table[node] = cost + max((table[n] for n in nexts), default=0)
        return table

    def _cost(self, ins: op.Instr) -> float:
        if ins.op in (op.WORK, op.SPIN):
            return ins.a
        if ins.op == op.GO:
            return 1 + self.entry(ins.a) + 1
        return 1

    def _successors(self, func: int, node: Position) -> list[Position]:
        """The positions a G at `node` can move to (settled), by every rule that moves it:
        past the action, to a select's case or default, out of a range loop."""
        pc, counters = node
        out: list[Position] = []
        for t in op.exits(self.prog.functions[func].code[pc], pc):
            n = settle(self.prog, func, t, counters)[:2]
            if n not in out:
                out.append(n)
        return out


class DeadValues:
    """The canonical form of a state: dead ticks set to 1, dead slices to 0 (module doc)."""

    def __init__(self, machine: Machine):
        self.machine = machine
        cfg = machine.cfg
        self.check = cfg.global_check  # 0: every tick is 0 already
        self.timeslice = cfg.timeslice
        self.slices = not cfg.per_p_timers
        self.bounds = StepBounds(machine.prog)
        self._phi: dict[tuple, float] = {}  # G -> phi, for Gs that are not running
        self._sigma_of: dict[tuple, float] = {}  # G -> sigma, for running Gs

    def __call__(self, state: tuple) -> tuple:
        ps = state[S_PS]
        check, slices = self.check, self.slices
        budget = None  # Phi, computed only if some tick could be forgotten
        out = None
        for p, P in enumerate(ps):
            tick = new_tick = P[P_TICK]
            if tick > 1 and check:
                if budget is None:
                    budget = self.potential(state)
                if tick + budget < check:
                    new_tick = 1
            slc = new_slice = P[P_SLICE]
            if slc and slices and P[P_RUNNEXT] == NO and P[P_M] != NO:
                M = state[S_MS][P[P_M]]
                if M[M_STATE_] in _SCHEDULING and M[M_P] == p:
                    new_slice = 0
            if new_tick != tick or new_slice != slc:
                if out is None:
                    out = list(ps)
                items = list(P)
                items[P_TICK], items[P_SLICE] = new_tick, new_slice
                out[p] = tuple(items)
        if out is None:
            return state
        return (*state[:S_PS], tuple(out), *state[S_PS + 1:])

    def potential(self, state: tuple) -> float:
        """Phi: a bound on the non-runnext executes of any run from `state`; 0 once the
        program has ended (no step follows, whatever the Gs' positions)."""
        if state[S_ENDED] or state[S_FATAL]:
            return 0
        gs, ps = state[S_GS], state[S_PS]
        used: dict[int, int] = {}  # running G -> o (module doc)
        for M in state[S_MS]:
            g = M[M_G]
            if M[M_STATE_] == M_RUNNING and g != NO:
                p = M[M_P]
                used[g] = 1 if (p == NO or ps[p][P_SLICE] >= self.timeslice
                                or gs[g][G_PREEMPT]) else 0
        total = 0.0
        phi, sigma = self._phi, self._sigma_of
        for g, G in enumerate(gs):
            if G[G_STATUS_] == RUNNING:
                o = used.get(g)
                if o is None:
                    return INF  # a running G without its M: not a state the model makes
                v = sigma.get(G)
                if v is None:
                    v = sigma[G] = self._sigma(G)
                total += v + o
            else:
                v = phi.get(G)
                if v is None:
                    v = phi[G] = self._g_phi(G)
                total += v
        return total

    def _g_phi(self, G: tuple) -> float:
        status = G[G_STATUS_]
        if status == DEAD:
            return 0
        if status == RUNNABLE:
            return self._sigma(G) + 1
        return self.bounds.at(G[G_FUNC], G[G_PC], G[G_COUNTERS])  # waiting, in a syscall

    def _sigma(self, G: tuple) -> float:
        """T at the G's position, less the ticks a started work or spin has taken."""
        t = self.bounds.at(G[G_FUNC], G[G_PC], G[G_COUNTERS])
        left = G[G_LEFT]
        if left > 0:
            ins = self.machine.instr(G)
            if ins.op in (op.WORK, op.SPIN):
                t -= ins.a - left
        return t


def compose(first: Callable[[tuple], tuple] | None,
            then: Callable[[tuple], tuple] | None) -> Callable[[tuple], tuple] | None:
    """`then` after `first` (either may be absent). Dead values first, then symmetry: the form
    commutes with renaming (it reads no names), so the composition is exact and idempotent
    when both are."""
    if first is None or then is None:
        return first or then
    return lambda state: then(first(state))
