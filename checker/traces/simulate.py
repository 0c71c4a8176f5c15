"""Random runs of the model, written as canonical trace events (`gocheck simulate`).

A run is a random walk: `random.Random(seed)` picks one of `Machine.successors` per step, so
a seed always gives the same run. Each step becomes the events Go's tracer emits for the
same change, read off the difference between the states before and after the step (who
moved comes from the step's actor). That makes every model run a trace the replay can
check against Go's own rules, and gives other tools (conformance, properties) runs whose
ground truth is known.

The initial state is status events at time 0 (ProcStatus for every P, GoStatus for main
running on M0), as in a Go trace started in main. Then, per step, in an order the
per-thread rules accept:

  0. an M with a P and no G first runs the Gs in `finished` (below)  GoStart, GoDestroy
  1. the acting M gets a P (recheck, syscall exit onto an idle P)   ProcStart
  2. its G creates or wakes Gs (sysmon's thread for the pollers)     GoCreate, GoUnblock
  3. its G's own change: running -> runnable GoStop (Gosched; or preempted: by sysmon's
     request, or the goyield after an Unlock that hands the mutex over); -> waiting
     GoBlock with Go's reason; -> dead GoDestroy; -> syscall GoSyscallBegin; syscall exit
     with its P GoSyscallEnd, onto another P GoSyscallEndBlocked + GoStart (Go's order),
     without a P GoSyscallEndBlocked
  4. a P leaves its M: ProcStop (released, or handed off in a blocking syscall), or
     ProcSteal by sysmon (retaken from a syscall)
  5. the acting M runs a G                                           GoStart
  6. other Ms get Ps (wakep, startm, handoffp)                       ProcStart

Threads are the model's Ms (ids 0..threads-1); sysmon, the netpoller and the timers act on
one more thread (id `threads`), as Go's sysmon delivers netpoll results. Timestamps are a
logical clock: every event of step n has time n (1 ns per step). Sequence numbers (`g_seq`,
`p_seq`) are those Go's parser counts.

Three model abstractions end a G that is not running, which Go's rules cannot show (a G
is destroyed only by its own thread, while running): a G whose function has no action is
dead when created, a parked G whose wake-up completes its last action is dead when woken,
and a G whose syscall was its last action is dead at a syscall exit that finds no P. The
trace shows the creation, the GoUnblock or the GoSyscallEndBlocked; the G then waits in
`finished` until an M looks for work with a P (step 0), which runs it to its exit, as Go
would schedule it once more. If the run ends first, it stays Runnable.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from gocheck.model import program as op
from gocheck.model.machine import Machine
from gocheck.model.program import Instr
from gocheck.model.state import (
    DEAD,
    FATAL_MESSAGES,
    G_FUNC,
    G_PC,
    G_PREEMPT,
    G_STATUS_,
    M_G,
    M_P,
    NO,
    P_IDLE,
    P_M,
    P_STATUS_,
    P_SYSCALL,
    RUNNABLE,
    RUNNING,
    S_ENDED,
    S_FATAL,
    S_GS,
    S_MS,
    S_PS,
    SYSCALL,
    WAITING,
)
from gocheck.model.system import Step
from gocheck.traces.event import GOROUTINE, NO_ARGS, PROC, Event


@dataclass(frozen=True, slots=True)
class Run:
    """One random run: its seed, how many steps it took, why it stopped, its events."""

    seed: int
    steps: int
    outcome: str
    events: list[Event]


def simulate(machine: Machine, seed: int, max_steps: int) -> Run:
    """A random walk of at most `max_steps` steps, translated into canonical events."""
    rng = random.Random(seed)
    state = machine.initial_state()
    events = _Events(machine)
    events.start(state)
    steps, stuck = 0, False
    while steps < max_steps:
        successors = machine.successors(state)
        if not successors:
            stuck = True
            break
        step, after = successors[rng.randrange(len(successors))]
        steps += 1
        events.step(steps, step, state, after)
        state = after
    return Run(seed, steps, _outcome(state, stuck), events.out)


def _outcome(state: tuple, stuck: bool) -> str:
    if state[S_ENDED]:
        return "main returned"
    if state[S_FATAL]:
        return f"fatal error: {FATAL_MESSAGES[state[S_FATAL]]}"
    return "no step possible (deadlock)" if stuck else "step limit reached"


def block_reason(ins: Instr) -> tuple[str, str]:
    """How Go's tracer reports a G parked on `ins`: the GoBlock reason and the innermost
    frame of its stack (the frame tells a Mutex from a WaitGroup, both "sync"). A select
    with one case and no default is compiled by Go to that case's plain operation."""
    o = ins.op
    if o == op.SELECT:
        cases = ins.c
        if not cases:
            return "forever", "runtime.block"
        if len(cases) > 1:  # type: ignore[arg-type]
            return "select", "runtime.selectgo"
        o = op.SEND if cases[0][0] == "send" else op.RECV  # type: ignore[index]
    return _BLOCK[o]


_BLOCK = {
    op.SEND: ("chan send", "runtime.chansend1"),
    op.RECV: ("chan receive", "runtime.chanrecv1"),
    op.RANGE: ("chan receive", "runtime.chanrecv2"),
    op.LOCK: ("sync", "sync.(*Mutex).Lock"),
    op.WGWAIT: ("sync", "sync.(*WaitGroup).Wait"),
    op.SLEEP: ("sleep", "time.Sleep"),
    op.NETREAD: ("network", "internal/poll.(*FD).Read"),
}


class _Events:
    """The event stream of one run, with what the trace knows of each thread (its P and
    G, which every event records) and the sequence numbers counted so far."""

    def __init__(self, machine: Machine):
        self.prog = machine.prog
        self.sysmon = machine.cfg.threads
        self.out: list[Event] = []
        self.threads: dict[int, list[int | None]] = {}  # m -> [P, G]
        self.g_seq: dict[int, int] = {}
        self.p_seq: dict[int, int] = {}
        self.finished: list[int] = []  # Runnable in the trace, dead in the model
        self.time = 0

    # --- emitting, with the thread context the replay will see ---------------------------
    def emit(self, kind: str, m: int, resource: str, target: int, old: str, new: str,
             stack: tuple[str, ...] = (), args: dict[str, object] | None = None) -> None:
        p, g = self.threads.setdefault(m, [None, None])
        self.out.append(Event(len(self.out), self.time, kind, m, p, g, resource, target, old,
                              new, stack, args or NO_ARGS))

    def proc_start(self, m: int, p: int) -> None:
        self.p_seq[p] += 1
        self.emit("ProcStart", m, PROC, p, "Idle", "Running", args={"p_seq": self.p_seq[p]})
        self.threads[m][0] = p

    def go_start(self, m: int, g: int) -> None:
        self.g_seq[g] += 1
        self.emit("GoStart", m, GOROUTINE, g, "Runnable", "Running",
                  args={"g_seq": self.g_seq[g]})
        self.threads[m][1] = g

    def go_leave(self, kind: str, m: int, g: int, new: str, stack: tuple[str, ...] = (),
                 reason: str | None = None) -> None:
        """The thread's G stops running it: GoStop, GoBlock, GoDestroy."""
        old = "Syscall" if kind in ("GoSyscallEndBlocked", "GoDestroySyscall") else "Running"
        self.emit(kind, m, GOROUTINE, g, old, new, stack,
                  None if reason is None else {"reason": reason})
        self.threads[m][1] = None

    def func(self, G: tuple) -> str:
        return self.prog.functions[G[G_FUNC]].name

    # --- the run -------------------------------------------------------------------------
    def start(self, state: tuple) -> None:
        """The initial state as status events: every P, and main running on M0 and P0."""
        for p, P in enumerate(state[S_PS]):
            status = "Idle" if P[P_STATUS_] == P_IDLE else "Running"
            self.p_seq[p] = 0
            self.emit("ProcStatus", 0, PROC, p, "Undetermined", status,
                      args={"status": status})
            if status == "Running":
                self.threads[0][0] = p
        main = state[S_GS][0]
        if main[G_STATUS_] != DEAD:  # a main without actions has returned already
            self.g_seq[0] = 0
            self.emit("GoStatus", 0, GOROUTINE, 0, "Undetermined", "Running",
                      (self.func(main),), {"status": "Running", "thread": 0})
            self.threads[0][1] = 0

    def step(self, n: int, step: Step, before: tuple, after: tuple) -> None:
        self.time = n
        acting = step.m if step.actor.startswith("M") else None
        m = self.sysmon if acting is None else acting
        gs0, gs1 = before[S_GS], after[S_GS]
        ps0, ps1 = before[S_PS], after[S_PS]
        g = NO if acting is None else before[S_MS][acting][M_G]
        waker = () if g == NO else (self.func(gs0[g]),)
        if acting is not None and g == NO and self.threads.get(acting, [None])[0] is not None:
            self.run_finished(acting)  # 0
        for p, (P0, P1) in enumerate(zip(ps0, ps1, strict=True)):  # 1
            if acting is not None and P1[P_M] == acting != P0[P_M]:
                self.proc_start(acting, p)
        for child in range(len(gs0), len(gs1)):  # 2
            self.g_seq[child] = 0
            self.emit("GoCreate", m, GOROUTINE, child, "NotExist", "Runnable", waker,
                      {"new_stack": (self.func(gs1[child]),)})
            if gs1[child][G_STATUS_] == DEAD:
                self.finished.append(child)
        for h, (G0, G1) in enumerate(zip(gs0, gs1, strict=False)):
            if h != g and G0[G_STATUS_] == WAITING and G1[G_STATUS_] in (RUNNABLE, DEAD):
                self.g_seq[h] += 1
                self.emit("GoUnblock", m, GOROUTINE, h, "Waiting", "Runnable", waker,
                          {"g_seq": self.g_seq[h]})
                if G1[G_STATUS_] == DEAD:
                    self.finished.append(h)
        if g != NO:  # 3
            self.own_g(m, g, gs0[g], gs1[g], before[S_MS][m][M_P], after[S_MS][m][M_P])
        for p, (P0, P1) in enumerate(zip(ps0, ps1, strict=True)):  # 4
            holder = P0[P_M]
            if holder != NO and P1[P_M] != holder:
                if P0[P_STATUS_] == P_SYSCALL:
                    self.p_seq[p] += 1
                    self.emit("ProcSteal", m, PROC, p, "Running", "Idle",
                              args={"p_seq": self.p_seq[p], "victim": holder})
                else:
                    self.emit("ProcStop", holder, PROC, p, "Running", "Idle")
                self.threads[holder][0] = None
        for h, (G0, G1) in enumerate(zip(gs0, gs1, strict=False)):  # 5
            if G0[G_STATUS_] == RUNNABLE and G1[G_STATUS_] == RUNNING:
                self.go_start(m, h)
        for p, (P0, P1) in enumerate(zip(ps0, ps1, strict=True)):  # 6
            if P1[P_M] not in (NO, acting, P0[P_M]):
                self.proc_start(P1[P_M], p)

    def run_finished(self, m: int) -> None:
        """Run to their end, on M m (it holds a P and no G), the Gs the model finished
        without running them: Go would schedule each once more to exit."""
        for z in self.finished:
            self.go_start(m, z)
            self.go_leave("GoDestroy", m, z, "NotExist")
        self.finished.clear()

    def go_stop(self, m: int, g: int, G: tuple) -> None:
        """Running -> runnable: runtime.Gosched, or else Go's GoPreempt (sysmon's request,
        or the goyield after an Unlock hands the mutex over)."""
        f = self.func(G)
        ins = self.prog.functions[G[G_FUNC]].code[G[G_PC]]
        if ins.op == op.GOSCHED and not G[G_PREEMPT]:  # a flagged G is preempted first
            self.go_leave("GoStop", m, g, "Runnable", ("runtime.Gosched", f),
                          "runtime.Gosched")
        elif ins.op == op.UNLOCK and not G[G_PREEMPT]:
            self.go_leave("GoStop", m, g, "Runnable", ("sync.(*Mutex).Unlock", f),
                          "preempted")
        else:
            self.go_leave("GoStop", m, g, "Runnable", (f,), "preempted")

    def own_g(self, m: int, g: int, G0: tuple, G1: tuple, p0: int, p1: int) -> None:
        """The acting M's G: what its step did to it (p0, p1: the M's P before, after)."""
        old, new = G0[G_STATUS_], G1[G_STATUS_]
        f = self.func(G0)
        if old == RUNNING:
            if new == RUNNABLE:
                self.go_stop(m, g, G0)
            elif new == WAITING:
                reason, frame = block_reason(self.prog.functions[G0[G_FUNC]].code[G0[G_PC]])
                self.go_leave("GoBlock", m, g, "Waiting", (frame, f), reason)
            elif new == DEAD:
                self.go_leave("GoDestroy", m, g, "NotExist")
            elif new == SYSCALL:
                self.p_seq[p0] += 1
                self.emit("GoSyscallBegin", m, GOROUTINE, g, "Running", "Syscall",
                          ("syscall.Syscall", f), {"p_seq": self.p_seq[p0]})
            return
        if old != SYSCALL or new == SYSCALL:
            return
        if p1 == NO:  # no P to be had: the G goes to the global queue (or is done)
            self.go_leave("GoSyscallEndBlocked", m, g, "Runnable")
            if new == DEAD:
                self.finished.append(g)
            return
        if p1 == p0:
            self.emit("GoSyscallEnd", m, GOROUTINE, g, "Syscall", "Running")
        else:  # exitsyscall onto an idle P: ProcStart (step 1), then as Go emits them
            self.go_leave("GoSyscallEndBlocked", m, g, "Runnable")
            self.go_start(m, g)
        if new == DEAD:
            self.go_leave("GoDestroy", m, g, "NotExist")
