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
    shared until a rule replaces one. This keeps a step's cost proportional to what it
    touches.
    """

    __slots__ = ("chans", "ended", "fatal", "globalq", "gs", "midle", "ms", "mutexes",
                 "needspin", "pidle", "ps", "wgs")

    def __init__(self, state: tuple):
        self.gs = list(state[S_GS])
        self.ps = list(state[S_PS])
        self.ms = list(state[S_MS])
        self.globalq = list(state[S_GLOBALQ])
        self.pidle = list(state[S_PIDLE])
        self.midle = list(state[S_MIDLE])
        self.needspin = state[S_NEEDSPIN]
        self.chans = list(state[S_CHANS])
        self.mutexes = list(state[S_MUTEXES])
        self.wgs = list(state[S_WGS])
        self.ended = state[S_ENDED]
        self.fatal = state[S_FATAL]

    def freeze(self) -> tuple:
        return (tuple(self.gs), tuple(self.ps), tuple(self.ms), tuple(self.globalq),
                tuple(self.pidle), tuple(self.midle), self.needspin, tuple(self.chans),
                tuple(self.mutexes), tuple(self.wgs), self.ended, self.fatal)

    # --- field updates (tuples are replaced, never mutated) ---
    def set_g(self, g: int, **kw: object) -> None:
        self.gs[g] = _replace(self.gs[g], _G_INDEX, kw)

    def set_p(self, p: int, **kw: object) -> None:
        self.ps[p] = _replace(self.ps[p], _P_INDEX, kw)

    def set_m(self, m: int, **kw: object) -> None:
        self.ms[m] = _replace(self.ms[m], _M_INDEX, kw)

    # --- derived quantities the rules consult ---
    def nmspinning(self) -> int:
        return sum(1 for m in self.ms if m[M_SPINNING])

    def created_ms(self) -> int:
        return sum(1 for m in self.ms if m[M_STATE_] != M_UNBORN)


_G_INDEX = {"func": 0, "status": 1, "pc": 2, "left": 3, "preempt": 4, "counters": 5}
_P_INDEX = {"status": 0, "m": 1, "ring": 2, "runnext": 3, "tick": 4, "slice": 5,
            "seen_slice": 6, "seen_syscall": 7, "timers": 8, "expired": 9}
_M_INDEX = {"state": 0, "p": 1, "g": 2, "spinning": 3}


def _replace(t: tuple, index: dict[str, int], kw: dict[str, object]) -> tuple:
    if len(kw) == 1:  # the common case: one field, rebuilt by slicing
        ((k, v),) = kw.items()
        i = index[k]
        return (*t[:i], v, *t[i + 1:])
    items = list(t)
    for k, v in kw.items():
        items[index[k]] = v
    return tuple(items)
