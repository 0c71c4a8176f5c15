"""Synchronisation rules: channels, select, mutexes, WaitGroups (chan.go, sema.go, sync).

Each operation of the running G returns what happened to it: CONTINUE (it completed and the
G goes on at the returned pc), PARK (it blocks; its entry is queued), FATAL (a fatal error
of the modelled program, already recorded in the world), or YIELD (it completed and the G
yields its P, as the runtime's semrelease does after a direct handoff). A blocking operation
completes in the step that releases it: the releaser moves the parked G on and readies it.
Receives also return CLOSED when the channel is closed and drained (a range loop then ends).

Abstractions: the mutex is always in starvation mode: Unlock hands it to the first waiter
and, as semrelease(handoff=true) does, the unlocker then yields (goyield: its P's ring tail)
so that the waiter, in runnext, runs at once with the rest of the slice; normal-mode barging
is not modelled. Values sent are not modelled; a WaitGroup counter saturates at `WG_LIMIT`
to keep the state space finite.
"""

from __future__ import annotations

from gocheck.model import program as op
from gocheck.model.config import MachineConfig
from gocheck.model.goroutine import wake
from gocheck.model.program import Instr, Program
from gocheck.model.state import (
    FATAL_CLOSE_CLOSED,
    FATAL_CLOSE_SENDERS,
    FATAL_NEGATIVE_WG,
    FATAL_SEND_CLOSED,
    FATAL_UNLOCK,
    G_FUNC,
    G_PC,
    G_STATUS_,
    WAITING,
    World,
    waiter,
    waiter_case,
    waiter_g,
)

CONTINUE, PARK, FATAL, CLOSED, YIELD = range(5)
WG_LIMIT = 1 << 15


class Sync:
    """The synchronisation rules of one program on one machine."""

    def __init__(self, prog: Program, cfg: MachineConfig):
        self.prog = prog
        self.cfg = cfg

    # --- completing a parked waiter -------------------------------------------------------
    def _release(self, w: World, p: int, entry: int, *, closed: bool = False) -> None:
        """Complete a queued channel waiter: a plain op moves past itself (a range loop
        leaves on close), a select waiter leaves every queue and jumps to its case."""
        g, case = waiter_g(entry), waiter_case(entry)
        G = w.gs[g]
        ins = self.prog.functions[G[G_FUNC]].code[G[G_PC]]
        if case >= 0:
            _unqueue(w, g, ins)
            target = ins.c[case][2]  # type: ignore[index]
        elif closed and ins.op == op.RANGE:
            target = ins.b
        else:
            target = G[G_PC] + 1
        wake(w, self.prog, self.cfg, p, g, target)

    # --- channels ---------------------------------------------------------------------------
    def send_ready(self, w: World, ch: int) -> bool:
        count, closed, _sendq, recvq = w.chans[ch]
        return bool(closed or recvq or count < self.prog.chan_caps[ch])

    def recv_ready(self, w: World, ch: int) -> bool:
        count, closed, sendq, _recvq = w.chans[ch]
        return bool(count or sendq or closed)

    def send(self, w: World, p: int, g: int, ch: int, case: int = -1) -> int:
        count, closed, sendq, recvq = w.chans[ch]
        if closed:
            w.fatal = FATAL_SEND_CLOSED
            return FATAL
        if recvq:
            w.chans[ch] = (count, closed, sendq, recvq[1:])
            self._release(w, p, recvq[0])
            return CONTINUE
        if count < self.prog.chan_caps[ch]:
            w.chans[ch] = (count + 1, closed, sendq, recvq)
            return CONTINUE
        w.chans[ch] = (count, closed, (*sendq, waiter(g, case)), recvq)
        return PARK

    def recv(self, w: World, p: int, g: int, ch: int, case: int = -1) -> int:
        """Receive; returns CONTINUE, PARK, or CLOSED (closed and drained)."""
        count, closed, sendq, recvq = w.chans[ch]
        if count:
            if sendq:  # a parked sender's value takes the freed buffer slot
                w.chans[ch] = (count, closed, sendq[1:], recvq)
                self._release(w, p, sendq[0])
            else:
                w.chans[ch] = (count - 1, closed, sendq, recvq)
            return CONTINUE
        if sendq:
            w.chans[ch] = (count, closed, sendq[1:], recvq)
            self._release(w, p, sendq[0])
            return CONTINUE
        if closed:
            return CLOSED
        w.chans[ch] = (count, closed, sendq, (*recvq, waiter(g, case)))
        return PARK

    def close(self, w: World, p: int, ch: int) -> int:
        count, closed, sendq, recvq = w.chans[ch]
        if closed:
            w.fatal = FATAL_CLOSE_CLOSED
            return FATAL
        if sendq:
            w.fatal = FATAL_CLOSE_SENDERS
            return FATAL
        w.chans[ch] = (count, 1, (), ())
        for entry in recvq:
            if w.gs[waiter_g(entry)][G_STATUS_] == WAITING:  # a select waiter may have left
                self._release(w, p, entry, closed=True)
        return CONTINUE

    # --- select -----------------------------------------------------------------------------
    def ready_cases(self, w: World, ins: Instr) -> list[int]:
        """Indices of the select's cases that can proceed now (a send on a closed channel
        counts as ready, and is fatal when chosen)."""
        return [
            i for i, (kind, ch, _t) in enumerate(ins.c)  # type: ignore[arg-type]
            if (self.send_ready(w, ch) if kind == "send" else self.recv_ready(w, ch))
        ]

    def select_case(self, w: World, p: int, g: int, ins: Instr, i: int) -> tuple[int, int]:
        """Run ready case i; returns (outcome, pc to continue at)."""
        kind, ch, target = ins.c[i]  # type: ignore[index]
        if kind == "send":
            return self.send(w, p, g, ch), target
        self.recv(w, p, g, ch)
        return CONTINUE, target

    def select_park(self, w: World, g: int, ins: Instr) -> None:
        """No case ready and no default: park on every channel, in case order."""
        for i, (kind, ch, _t) in enumerate(ins.c):  # type: ignore[arg-type]
            count, closed, sendq, recvq = w.chans[ch]
            if kind == "send":
                w.chans[ch] = (count, closed, (*sendq, waiter(g, i)), recvq)
            else:
                w.chans[ch] = (count, closed, sendq, (*recvq, waiter(g, i)))

    # --- mutexes ----------------------------------------------------------------------------
    def lock(self, w: World, g: int, mu: int) -> int:
        held, waiters = w.mutexes[mu]
        if not held:
            w.mutexes[mu] = (1, waiters)
            return CONTINUE
        w.mutexes[mu] = (held, (*waiters, g))
        return PARK

    def unlock(self, w: World, p: int, mu: int) -> int:
        held, waiters = w.mutexes[mu]
        if not held:
            w.fatal = FATAL_UNLOCK
            return FATAL
        if waiters:  # starvation mode: direct handoff to the first waiter, then goyield
            w.mutexes[mu] = (1, waiters[1:])
            first = waiters[0]
            wake(w, self.prog, self.cfg, p, first, w.gs[first][G_PC] + 1)
            return YIELD
        w.mutexes[mu] = (0, waiters)
        return CONTINUE

    # --- WaitGroups -------------------------------------------------------------------------
    def wg_add(self, w: World, p: int, wg: int, delta: int) -> int:
        counter, waiters = w.wgs[wg]
        counter = min(counter + delta, WG_LIMIT)
        if counter < 0:
            w.fatal = FATAL_NEGATIVE_WG
            return FATAL
        if counter == 0 and waiters:
            w.wgs[wg] = (0, ())
            for g in waiters:
                wake(w, self.prog, self.cfg, p, g, w.gs[g][G_PC] + 1)
        else:
            w.wgs[wg] = (counter, waiters)
        return CONTINUE

    def wg_wait(self, w: World, g: int, wg: int) -> int:
        counter, waiters = w.wgs[wg]
        if counter == 0:
            return CONTINUE
        w.wgs[wg] = (counter, (*waiters, g))
        return PARK



def _unqueue(w: World, g: int, ins: Instr) -> None:
    """Remove every entry of select-waiter g from the queues of the select's channels."""
    for ch in {c for _k, c, _t in ins.c}:  # type: ignore[union-attr]
        count, closed, sendq, recvq = w.chans[ch]
        w.chans[ch] = (count, closed, tuple(e for e in sendq if waiter_g(e) != g),
                       tuple(e for e in recvq if waiter_g(e) != g))
