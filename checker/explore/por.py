"""Partial-order reduction for safety properties: expand a state through an ample set.

At a state, an *ample* set of one step is taken instead of every enabled step when that step
is *private*: a step that touches one goroutine's own record and nothing another actor
looks at, of one of four kinds (each the only step of its M, or of sysmon for its P):

- a `work` or `spin` tick of a running G that leaves the G running on the same M and P: it
  writes only that G's (pc, left, loop counters) and its P's time-slice count, and reads only
  those, its M and the preemption request;
- a syscall tick of an M that holds no P (its P was handed off or retaken): it writes only
  its G's `left`;
- sysmon's preemption request for a running G whose slice is used up: it writes only that
  G's preemption flag, which only the G's own M reads (and urgency withholds that M's steps
  while the request stands), and it stays enabled until taken, as only that M could change
  the slice, the P's status or the flag;
- the entry into a syscall that keeps its P (not a `block` one handed off), when no
  invariant is checked: it writes the G's status and ticks, the M's state and the P's
  status. Others read that P's status only as "not idle", which it stays, or as "in
  syscall" for a retake that cannot be enabled before the entry; the statuses are visible
  only to invariants (counts of running or syscall Gs and Ps), hence the condition.

Why such a set is persistent (C1): until the step is taken, no other actor writes what it
reads (nobody else touches a running G or a P-less syscall G; a running P's slice and
schedtick change only in its own M's steps; a preemption request, the one other reader of the
slice, is never enabled together with the tick, since urgency withholds the tick while the
request stands), and no other actor reads what the step writes (the netpoller, timers and
wake-ups look at waiting Gs, retake at Gs on Ps in syscall state, steals at rings and
runnext). So the step commutes with every step another actor can take first, and stays
enabled, with the same effect, until it is taken. The one exception is a step that ends the
program (main returns, a fatal error): it disables every step, but it is the last step of any
run, and the private step moved before it changes nothing a property reads, so the end state
reached with that step taken early agrees with the original on every property.

Invisibility (C2): no safety predicate of the library nor any invariant observable reads a
running G's pc, ticks left, counters or preemption flag, a P-less syscall G's ticks left, or
a P's slice (the observables are counts of statuses, queue lengths and flags);
`syscall_handoff` reads a syscall G's ticks left only for a G whose M holds a P. So a
reduced path passes through states that agree with the full path's on every checked
predicate.

Cycle proviso (C3, for breadth-first search): a private step is taken alone only if its
target is new or was discovered after the state being expanded (a larger id); otherwise the
next candidate is tried, and with none left the state is expanded fully. Every edge out of a
reduced state then goes to a larger id, so every cycle of the reduced graph contains a fully
expanded state (the cycle's largest id), and no step is ignored forever.

Together these preserve the reachability of every state predicate the properties check, so
safety verdicts are kept; a counterexample is a path of real steps and replays unchanged.
The first violation found is shortest in the reduced graph, not always in the full one.
Liveness and graph properties are not reduced (verify.py explores the full graph for them):
fairness classes and cycles of the full graph are not kept by this reduction.

Only the library's audited safety properties (`AUDITED`) and invariants are reduced for.
Configurations where other actors read a running G (a sampling sysmon flags any G for
preemption; per-P timers look at running Ps' Gs) are not reduced at all.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any

from gocheck.model import program as op
from gocheck.model.machine import Machine
from gocheck.model.program import Instr
from gocheck.model.state import (
    G_COUNTERS,
    G_LEFT,
    G_PC,
    G_PREEMPT,
    G_STATUS_,
    M_G,
    M_P,
    M_RUNNING,
    M_STATE_,
    M_SYSCALL,
    NO,
    P_M,
    P_SLICE,
    P_STATUS_,
    S_GS,
    S_MS,
    S_PS,
)
from gocheck.model.system import Step

Successor = tuple[Step, Any]
Canonical = Callable[[Any], Any]
Settled = Callable[[Any], bool]
Stored = Callable[[Any], "int | None"]

# What each kind of private step may change: {state component: record fields}.
_TICK = {S_GS: frozenset({G_PC, G_LEFT, G_COUNTERS}), S_PS: frozenset({P_SLICE})}
_SYSCALL_TICK = {S_GS: frozenset({G_LEFT})}
_REQUEST = {S_GS: frozenset({G_PREEMPT})}
_ENTRY = {S_GS: frozenset({G_STATUS_, G_LEFT}), S_MS: frozenset({M_STATE_}),
          S_PS: frozenset({P_STATUS_, P_SLICE})}
_PRIVATE_KINDS = frozenset({M_RUNNING, M_SYSCALL})  # the M states a private M step starts in
_CANDIDATE_OPS = frozenset({op.WORK, op.SPIN, op.SYSCALL})  # what a private running G does


# The library's safety properties that the invisibility argument above was checked against
# (none reads what a private step writes, and none changes value at a syscall entry that
# keeps its P). Checking any other library property turns the reduction off.
AUDITED = frozenset({"fork_join", "no_deadlock", "no_fatal", "strict_work_conserving",
                     "syscall_handoff", "spinning_p_empty", "idle_p_empty"})


def supported(machine: Machine) -> bool:
    """Whether the independence argument above holds for this machine's configuration."""
    cfg = machine.cfg
    return not cfg.sampling_sysmon and not getattr(cfg, "per_p_timers", False)


class PartialOrder:
    """`machine` (or its quotient under `canonical`) with ample-set expansion.

    `successors` is the full expansion, `ample(state, settled)` the reduced one: `settled(s)`
    says whether successor `s` (canonical, if reducing by symmetry too) was discovered no
    later than the state being expanded (search.py's proviso test). `stored(s)`, if given,
    is the id of `s` if the search has stored it: a stored successor is a representative
    already (representatives are fixed points of `canonical`), so it is not canonicalized
    again, which saves most of the work on states reached more than once.
    """

    def __init__(self, machine: Machine, canonical: Canonical | None = None, *,
                 library: Collection[str] = (), invariants: bool = True):
        """`library`: the library safety properties checked; `invariants`: whether any
        invariant is checked too (they may read the statuses a syscall entry changes)."""
        self.machine = machine
        self.canonical = canonical
        self.active = supported(machine) and AUDITED.issuperset(library)
        self.entries = not invariants

    def initial_state(self) -> Any:
        state = self.machine.initial_state()
        return state if self.canonical is None else self.canonical(state)

    def successors(self, state: Any) -> list[Successor]:
        return self._image(self.machine.successors(state))

    def ample(self, state: Any, settled: Settled, stored: Stored | None = None
              ) -> list[Successor]:
        """The first private step (in `successors`' order) whose target is not settled,
        alone; else every step. Only the candidates' own steps are computed first: the
        full expansion only when no candidate is taken."""
        if self.active:
            canonical = self.canonical
            for step, nxt in self._private_steps(state):
                image = nxt if canonical is None else canonical(nxt)
                if not settled(image):
                    return [(step, image)]
        return self._image(self.machine.successors(state), stored)

    def _image(self, out: list[Successor], stored: Stored | None = None) -> list[Successor]:
        canonical = self.canonical
        if canonical is None:
            return out
        if stored is None:
            return [(step, canonical(nxt)) for step, nxt in out]
        return [(step, nxt if stored(nxt) is not None else canonical(nxt)) for step, nxt in out]

    def _private_steps(self, state: tuple) -> Iterator[Successor]:
        """The private steps of `state` in `successors`' order: those of the Ms whose state
        `_private` could accept (running a tick or a syscall entry; in a P-less syscall with
        ticks left), then sysmon's preemption requests. `_private` sees each M's steps as
        the full list would show them (its only use of the list: who else the actor has)."""
        machine, gs = self.machine, state[S_GS]
        for m, M in enumerate(state[S_MS]):
            kind, g = M[M_STATE_], M[M_G]
            if g == NO:
                continue
            if kind == M_RUNNING:
                if machine.instr(gs[g]).op not in _CANDIDATE_OPS:
                    continue
            elif kind != M_SYSCALL or M[M_P] != NO or gs[g][G_LEFT] <= 0:
                continue
            own = machine.m_successors(state, m)
            for step, nxt in own:
                if self._private(state, step, nxt, own):
                    yield step, nxt
        requests = machine.request_successors(state)
        for step, nxt in requests:
            if self._private(state, step, nxt, requests):
                yield step, nxt

    def _private(self, state: tuple, step: Step, nxt: tuple, out: Sequence[Successor]) -> bool:
        """Whether `step` is a private step (module doc), alone in its class."""
        m = step.m
        if m is None:
            return False
        if step.fairness.startswith("sysmon:preempt:") and step.g is not None:
            return _only_changes(state, nxt, {S_GS: step.g}, _REQUEST)
        M = state[S_MS][m]
        g, p, kind = M[M_G], M[M_P], M[M_STATE_]
        if g == NO or kind not in _PRIVATE_KINDS:
            return False
        actor = step.actor
        if actor != f"M{m}" or sum(1 for s, _ in out if s.actor == actor) != 1:
            return False
        G = state[S_GS][g]
        if kind == M_RUNNING:
            ins = self.machine.instr(G)
            if ins.op in (op.WORK, op.SPIN):
                return _only_changes(state, nxt, {S_GS: g, S_PS: p}, _TICK)
            if ins.op == op.SYSCALL and self.entries and self._plain_entry(state, m, p, ins):
                return _only_changes(state, nxt, {S_GS: g, S_PS: p, S_MS: m}, _ENTRY)
            return False
        if kind == M_SYSCALL and p == NO and G[G_LEFT] > 0:
            if any(P[P_M] == m for P in state[S_PS]):
                return False
            return _only_changes(state, nxt, {S_GS: g}, _SYSCALL_TICK)
        return False

    def _plain_entry(self, state: tuple, m: int, p: int, ins: Instr) -> bool:
        """A syscall entry that keeps its P (no handoff), on a P that M m alone holds."""
        if ins.b and self.machine.cfg.handoff:
            return False
        return state[S_PS][p][P_M] == m and all(
            M[M_P] != p for i, M in enumerate(state[S_MS]) if i != m)


def _only_changes(state: tuple, nxt: tuple, which: dict[int, int],
                  fields: dict[int, frozenset[int]]) -> bool:
    """`nxt` differs from `state` at most in record `which[c]` of component c, and there
    only in `fields[c]`."""
    for c, (a, b) in enumerate(zip(state, nxt, strict=True)):
        if a is b or a == b:
            continue
        if c not in which or len(a) != len(b) or not _one_record(a, b, which[c], fields[c]):
            return False
    return True


def _one_record(old: tuple, new: tuple, k: int, fields: frozenset[int]) -> bool:
    """Only record k differs between the tuples of records, and only in `fields`."""
    if old[:k] != new[:k] or old[k + 1:] != new[k + 1:]:
        return False
    a, b = old[k], new[k]
    return len(a) == len(b) and all(a[i] == b[i] for i in range(len(a)) if i not in fields)
