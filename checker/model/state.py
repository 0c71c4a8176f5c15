"""The machine's state: a nest of tuples (hashable, marshal-able), and a mutable working copy.

Layout of a state tuple (indices are the `S_*` constants):
  gs        tuple of G = (func, status, pc, left, preempt, counters)   G id = index
  ps        tuple of P = (status, m, ring, runnext, schedtick, slice)  P id = index
            with a sampling sysmon (`retake_slice_check = all | running_only`) two more,
            p.sysmontick as flags: (..., seen_slice, seen_syscall): sysmon has looked at the
            P since its schedtick last advanced / since its current syscall began (0/1)
  ms        tuple of M = (state, p, g, spinning)                       M id = index
            (state NETPOLL, an M blocked in netpoll until a timer's deadline, only with
            per-P timers)
  globalq   tuple of G ids (FIFO)
  pidle     tuple of P ids (LIFO: the last is the top)
  midle     tuple of M ids (LIFO: the last is the top)
  needspin  0/1 (the runtime's sched.needspinning)
  chans     tuple of (count, closed, sendq, recvq); queue entries are `waiter(g, case)`
  mutexes   tuple of (held, waiters)
  wgs       tuple of (counter, waiters)
  ended     0/1: main finished (the program has exited)
  fatal     0 or a FATAL_* code: a fatal error of the modelled program ended it

Canonical forms keep the state space small: a dead G keeps only its function; an unused loop
counter is 0; `left` is 0 when no tick-based instruction is under way (AT_CALL at a `spin`
not yet started whose boundary is a call's cooperative safe point, see `program`); an M that
does not hold a P has p = -1, and so on.
"""

from __future__ import annotations

# G status
RUNNABLE, RUNNING, WAITING, SYSCALL, DEAD = range(5)
G_STATUS = ("runnable", "running", "waiting", "syscall", "dead")
# P status
P_IDLE, P_RUNNING, P_SYSCALL = range(3)
P_STATUS = ("idle", "running", "syscall")
# M state: UNBORN = not created yet; SEARCH/GIVEUP/RECHECK are schedule's three steps.
# RECHECK_IDLE: the recheck of an M that was not spinning, only with `recheck = all`.
M_UNBORN, M_PARKED, M_RUNNING, M_SEARCH, M_GIVEUP, M_RECHECK, M_SYSCALL = range(7)
M_RECHECK_IDLE = 7
# NETPOLL: findRunnable's stop blocked in netpoll until a timer's deadline; only with per-P
# timers (`timer_steal = preempt_marked_only`).
M_NETPOLL = 8
M_STATE = ("unborn", "parked", "running", "search", "give-up", "recheck", "syscall",
           "recheck-idle", "netpoll")

(S_GS, S_PS, S_MS, S_GLOBALQ, S_PIDLE, S_MIDLE, S_NEEDSPIN, S_CHANS, S_MUTEXES, S_WGS,
 S_ENDED, S_FATAL) = range(12)

# G fields
G_FUNC, G_STATUS_, G_PC, G_LEFT, G_PREEMPT, G_COUNTERS = range(6)
# P fields
P_STATUS_, P_M, P_RING, P_RUNNEXT, P_TICK, P_SLICE = range(6)
P_SEEN_SLICE, P_SEEN_SYSCALL = 6, 7  # sampling sysmon only (0 with per-P timers alone)
P_TIMERS, P_EXPIRED = 8, 9  # per-P timer heaps only (timer_steal = preempt_marked_only)
# M fields
M_STATE_, M_P, M_G, M_SPINNING = range(4)

FATAL_NONE, FATAL_SEND_CLOSED, FATAL_CLOSE_CLOSED, FATAL_CLOSE_SENDERS = range(4)
FATAL_UNLOCK, FATAL_NEGATIVE_WG = 4, 5
FATAL_MESSAGES = (
    "",
    "send on closed channel",
    "close of closed channel",
    "close of channel with parked senders",
    "unlock of unlocked mutex",
    "sync: negative WaitGroup counter",
)

NO = -1  # no P, no M, no G, no runnext
AT_CALL = -1  # G left: before a spin's first tick, reached through a call (a safe point)


def waiter(g: int, case: int) -> int:
    """A channel-queue entry: goroutine g, select case `case` (-1: a plain operation)."""
    return g * 256 + case + 1


def waiter_g(entry: int) -> int:
    return entry // 256


def waiter_case(entry: int) -> int:
    return entry % 256 - 1


class World:
    """A mutable copy of one state that the rules of one step edit, then `freeze`.

    Copying is shallow: the component lists are new, their elements (G, P, M tuples) are
    shared until a rule replaces one. The Gs, Ps and Ms are copied at once (nearly every
    step edits one); the queues, stacks and sync tables only when a rule first asks for one
    (a property), and `freeze` reuses the state's own tuple for each that was not asked for.
    This keeps a step's cost proportional to what it touches.
    """

    __slots__ = ("_chans", "_globalq", "_midle", "_mutexes", "_pidle", "_state", "_wgs",
                 "ended", "fatal", "gs", "ms", "needspin", "ps")

    def __init__(self, state: tuple):
        self._state = state
        self.gs = list(state[S_GS])
        self.ps = list(state[S_PS])
        self.ms = list(state[S_MS])
        self._globalq = self._pidle = self._midle = None
        self._chans = self._mutexes = self._wgs = None
        self.needspin = state[S_NEEDSPIN]
        self.ended = state[S_ENDED]
        self.fatal = state[S_FATAL]

    @property
    def globalq(self) -> list:
        if self._globalq is None:
            self._globalq = list(self._state[S_GLOBALQ])
        return self._globalq

    @property
    def pidle(self) -> list:
        if self._pidle is None:
            self._pidle = list(self._state[S_PIDLE])
        return self._pidle

    @property
    def midle(self) -> list:
        if self._midle is None:
            self._midle = list(self._state[S_MIDLE])
        return self._midle

    @property
    def chans(self) -> list:
        if self._chans is None:
            self._chans = list(self._state[S_CHANS])
        return self._chans

    @property
    def mutexes(self) -> list:
        if self._mutexes is None:
            self._mutexes = list(self._state[S_MUTEXES])
        return self._mutexes

    @property
    def wgs(self) -> list:
        if self._wgs is None:
            self._wgs = list(self._state[S_WGS])
        return self._wgs

    def freeze(self) -> tuple:
        """The edited state; a component left as it was is the state's own tuple (so that
        equal parts of successive states are one object)."""
        s = self._state
        gs, ps, ms = tuple(self.gs), tuple(self.ps), tuple(self.ms)
        return (s[S_GS] if gs == s[S_GS] else gs, s[S_PS] if ps == s[S_PS] else ps,
                s[S_MS] if ms == s[S_MS] else ms,
                s[S_GLOBALQ] if self._globalq is None else tuple(self._globalq),
                s[S_PIDLE] if self._pidle is None else tuple(self._pidle),
                s[S_MIDLE] if self._midle is None else tuple(self._midle), self.needspin,
                s[S_CHANS] if self._chans is None else tuple(self._chans),
                s[S_MUTEXES] if self._mutexes is None else tuple(self._mutexes),
                s[S_WGS] if self._wgs is None else tuple(self._wgs), self.ended, self.fatal)

    # --- field updates (tuples are replaced, never mutated) ---
    # (each rebuilds the record through a list: cheaper than slicing, even for one field)
    def set_g(self, g: int, **kw: object) -> None:
        items = list(self.gs[g])
        for k, v in kw.items():
            items[_G_INDEX[k]] = v
        self.gs[g] = tuple(items)

    def set_p(self, p: int, **kw: object) -> None:
        items = list(self.ps[p])
        for k, v in kw.items():
            items[_P_INDEX[k]] = v
        self.ps[p] = tuple(items)

    def set_m(self, m: int, **kw: object) -> None:
        items = list(self.ms[m])
        for k, v in kw.items():
            items[_M_INDEX[k]] = v
        self.ms[m] = tuple(items)

    # --- derived quantities the rules consult ---
    def nmspinning(self) -> int:
        return sum(1 for m in self.ms if m[M_SPINNING])

    def created_ms(self) -> int:
        return sum(1 for m in self.ms if m[M_STATE_] != M_UNBORN)


_G_INDEX = {"func": 0, "status": 1, "pc": 2, "left": 3, "preempt": 4, "counters": 5}
_P_INDEX = {"status": 0, "m": 1, "ring": 2, "runnext": 3, "tick": 4, "slice": 5,
            "seen_slice": 6, "seen_syscall": 7, "timers": 8, "expired": 9}
_M_INDEX = {"state": 0, "p": 1, "g": 2, "spinning": 3}

