"""Names and places in the runtime's words: who a G is, where it is, what a P or M is doing.

Everything here reads one state; comparing two states is narrate.py's job. A `Scene` holds
what every phrase needs besides the state: the machine (its program and configuration) and
the spec's source lines, so that a G's position can be quoted as the statement it is at.
"""

from __future__ import annotations

from gocheck.model import program as op
from gocheck.model.machine import Machine
from gocheck.model.program import Instr
from gocheck.model.state import (
    DEAD,
    FATAL_MESSAGES,
    G_FUNC,
    G_STATUS_,
    M_G,
    M_GIVEUP,
    M_NETPOLL,
    M_P,
    M_PARKED,
    M_RECHECK,
    M_RECHECK_IDLE,
    M_RUNNING,
    M_SEARCH,
    M_SPINNING,
    M_STATE_,
    M_SYSCALL,
    M_UNBORN,
    NO,
    P_EXPIRED,
    P_IDLE,
    P_M,
    P_RING,
    P_RUNNEXT,
    P_SLICE,
    P_STATUS,
    P_STATUS_,
    P_SYSCALL,
    P_TICK,
    P_TIMERS,
    RUNNABLE,
    RUNNING,
    S_CHANS,
    S_FATAL,
    S_GLOBALQ,
    S_GS,
    S_MIDLE,
    S_MS,
    S_MUTEXES,
    S_NEEDSPIN,
    S_PIDLE,
    S_PS,
    S_WGS,
    SYSCALL,
    waiter_g,
)


class Scene:
    """One spec on one machine, with its source: what phrases about its states need."""

    def __init__(self, machine: Machine, source: str):
        self.machine = machine
        self.cfg = machine.cfg
        self.lines = source.splitlines()

    # --- goroutines -----------------------------------------------------------------------
    def func(self, G: tuple) -> str:
        """The G's function as a reader knows it (`go func() {...}()` by its line)."""
        name = self.machine.prog.functions[G[G_FUNC]].name
        return f"func literal, line {name[5:].split('#')[0]}" if name.startswith("func@") else name

    def g(self, state: tuple, g: int) -> str:
        """`G1 (worker)`."""
        return f"G{g} ({self.func(state[S_GS][g])})"

    def instr(self, G: tuple) -> Instr:
        return self.machine.instr(G)

    def code(self, ins: Instr) -> str:
        """The statement at `ins` as written, with its line: "`work(2)` (line 16)"."""
        if not 0 < ins.line <= len(self.lines):
            return "its next statement"
        text = self.lines[ins.line - 1].split("//")[0].strip().removesuffix("{").strip()
        return f"`{text}` (line {ins.line})"

    def where(self, state: tuple, g: int) -> str:
        """Where G g is and what it does: running, in which queue, blocked on what, ..."""
        G = state[S_GS][g]
        status = G[G_STATUS_]
        if status == DEAD:
            return "finished"
        if status == RUNNABLE:
            return "runnable " + (self.queue(state, g) or "(between queues)")
        if status == RUNNING:
            m = _m_of(state, g)
            return f"running on M{m} and P{state[S_MS][m][M_P]}" if m != NO else "running"
        if status == SYSCALL:
            return f"in a system call, {self.code(self.instr(G))}"
        return self.blocked(G, self.timer_place(state, g))

    def blocked(self, G: tuple, timer: str = "") -> str:
        """Why a waiting G waits, in the runtime's words."""
        ins = self.instr(G)
        if ins.op == op.NETREAD:
            return f"parked on the netpoller, {self.code(ins)}"
        if ins.op == op.SLEEP:
            return f"asleep on a timer{timer}, {self.code(ins)}"
        return f"blocked in {self.code(ins)}"

    def timer_place(self, state: tuple, g: int) -> str:
        """With per-P timers, where G g's timer is: " in P0's timer heap", " that expired
        on P0 and has not fired"; "" otherwise."""
        if not self.cfg.per_p_timers:
            return ""
        for p, P in enumerate(state[S_PS]):
            if g in P[P_TIMERS]:
                return f" in P{p}'s timer heap"
            if g in P[P_EXPIRED]:
                return f" that expired on P{p} and has not fired"
        return ""

    def queue(self, state: tuple, g: int) -> str | None:
        """"in P0's runnext", "in P1's local queue", "on the global queue", or None."""
        for p, P in enumerate(state[S_PS]):
            if P[P_RUNNEXT] == g:
                return f"in P{p}'s runnext"
            if g in P[P_RING]:
                return f"in P{p}'s local queue"
        return "on the global queue" if g in state[S_GLOBALQ] else None

    def alive(self, state: tuple, *, but: int = 0) -> list[str]:
        """Every unfinished G other than `but`, with where it is."""
        return [f"{self.g(state, g)} was {self.where(state, g)}"
                for g, G in enumerate(state[S_GS]) if g != but and G[G_STATUS_] != DEAD]

    # --- Ps and Ms ------------------------------------------------------------------------
    def p_status(self, state: tuple, p: int) -> str:
        """"idle", "running G0 on M0", "in syscall state (M1 in G2's syscall)", ..."""
        P = state[S_PS][p]
        if P[P_STATUS_] == P_IDLE:
            return "idle"
        m = P[P_M]
        if P[P_STATUS_] == P_SYSCALL:
            return "in syscall state" + (f", linked to M{m}" if m != NO else "")
        return f"held by M{m}: {self.m_status(state, m)}"

    def m_status(self, state: tuple, m: int) -> str:
        """What M m is doing, by its place in schedule (see machine.py)."""
        M = state[S_MS][m]
        kind, p, g = M[M_STATE_], M[M_P], M[M_G]
        spinning = " (spinning)" if M[M_SPINNING] else ""
        if kind == M_RUNNING:
            return f"running G{g} on P{p}"
        if kind == M_SEARCH:
            return f"looking for work on P{p}{spinning}, in findRunnable"
        if kind == M_GIVEUP:
            return f"about to give up P{p}{spinning}"
        if kind == M_RECHECK and p != NO:
            return (f"holding P{p} after a recheck while spinning; it will stop and park "
                    "without looking again")
        if kind == M_RECHECK:
            return "rechecking every queue before it parks"
        if kind == M_RECHECK_IDLE:
            return "not spinning, rechecking every queue before it parks (recheck = all)"
        if kind == M_SYSCALL:
            return f"blocked in G{g}'s system call" + (f", P{p} in syscall state" if p != NO
                                                       else ", without a P")
        if kind == M_PARKED:
            return "parked (stopm)"
        if kind == M_NETPOLL:
            return "blocked in netpoll until a timer's deadline, without a P"
        return "not created yet"

    # --- the snapshot the HTML report shows for each step ---------------------------------
    def snapshot(self, state: tuple) -> dict[str, list[dict[str, str]]]:
        """The machine state as rows for people: Ps, Ms, Gs, queues and sync objects."""
        prog = self.machine.prog
        gs, ps, ms = state[S_GS], state[S_PS], state[S_MS]
        return {
            "P": [{"P": f"P{p}", "status": P_STATUS[P[P_STATUS_]],
                   "M": "" if P[P_M] == NO else f"M{P[P_M]}",
                   "runnext": "" if P[P_RUNNEXT] == NO else f"G{P[P_RUNNEXT]}",
                   "local queue": " ".join(f"G{g}" for g in P[P_RING]),
                   "schedtick": str(P[P_TICK]), "slice": str(P[P_SLICE]),
                   **({"timers": _timers(P)} if self.cfg.per_p_timers else {})}
                  for p, P in enumerate(ps)],
            "M": [{"M": f"M{m}", "doing": self.m_status(state, m)}
                  for m, M in enumerate(ms) if M[M_STATE_] != M_UNBORN],
            "G": [{"G": f"G{g}", "function": self.func(G), "is": self.where(state, g)}
                  for g, G in enumerate(gs)],
            "scheduler": [
                {"what": "global queue", "value": _gs(state[S_GLOBALQ]) or "empty"},
                {"what": "idle Ps", "value": " ".join(f"P{p}" for p in state[S_PIDLE])
                 or "none"},
                {"what": "parked Ms", "value": " ".join(f"M{m}" for m in state[S_MIDLE])
                 or "none"},
                {"what": "needspinning", "value": str(state[S_NEEDSPIN])},
                *({"what": "fatal error", "value": FATAL_MESSAGES[state[S_FATAL]]}
                  for _ in range(bool(state[S_FATAL]))),
            ],
            "sync": [
                *({"what": f"chan {name}", "value": _chan(state[S_CHANS][i],
                                                          prog.chan_caps[i])}
                  for i, name in enumerate(prog.chan_names)),
                *({"what": f"mutex {name}", "value": _mutex(state[S_MUTEXES][i])}
                  for i, name in enumerate(prog.mutex_names)),
                *({"what": f"WaitGroup {name}", "value": _wg(state[S_WGS][i])}
                  for i, name in enumerate(prog.wg_names)),
            ],
        }


def _m_of(state: tuple, g: int) -> int:
    return next((m for m, M in enumerate(state[S_MS])
                 if M[M_G] == g and M[M_STATE_] in (M_RUNNING, M_SYSCALL)), NO)


def _timers(P: tuple) -> str:
    """A per-P timer heap: pending sleepers, then expired ones."""
    return " ".join([*(f"G{g}" for g in P[P_TIMERS]),
                     *(f"G{g} (expired)" for g in P[P_EXPIRED])])


def _gs(ids: tuple) -> str:
    return " ".join(f"G{g}" for g in ids)


def _chan(ch: tuple, cap: int) -> str:
    count, closed, sendq, recvq = ch
    parts = [f"{count}/{cap} buffered" if cap else "unbuffered"]
    if closed:
        parts.append("closed")
    if sendq:
        parts.append("senders waiting: " + _gs(tuple(waiter_g(e) for e in sendq)))
    if recvq:
        parts.append("receivers waiting: " + _gs(tuple(waiter_g(e) for e in recvq)))
    return ", ".join(parts)


def _mutex(mu: tuple) -> str:
    held, waiters = mu
    return ("held" if held else "free") + (f", waiting: {_gs(waiters)}" if waiters else "")


def _wg(wg: tuple) -> str:
    counter, waiters = wg
    return f"counter {counter}" + (f", waiting: {_gs(waiters)}" if waiters else "")

