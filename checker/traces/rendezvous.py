"""Cross-goroutine conformance: channel waits, over every order the trace allows (z3).

What a trace lets us check across goroutines is narrow. It shows a channel operation only
when it parks (GoBlock "chan send" / "chan receive") and when the parked goroutine is
woken (GoUnblock); it never says which channel, and operations that complete at once are
invisible, so buffer counts, mutex owners and WaitGroup counters cannot be followed. The
spec supplies the channel: when every instruction the goroutine's automaton can be parked
on uses the same channel in the same direction, the wait is on that channel (otherwise it
is left out: never a guess). On one channel a send and a receive never wait at the same
time (the model, like Go, parks a sender only when no receiver waits, and a receiver only
when no sender waits), whatever the buffer's capacity. That is the rule checked here
(`chan-rendezvous`): the intervals [GoBlock, GoUnblock) of a sender and a receiver of one
channel must not overlap (an interval never closed lasts to the end of the trace).

The trace's total order may break the rule while the run did not: events of different
threads are ordered only by happens-before (`happens.py`, followed in the same pass), and
timestamps of different CPUs can disagree. So a violation in the given order is a
question of order. First a cheap try: per undecided pair, the alternative the trace breaks
by the fewest events; if happens-before and those choices fit one order (no cycle), done.
Otherwise it is a question for z3: an integer
position per event involved, `pos[a] < pos[b]` for each happens-before pair, and per
undecided sender/receiver pair `pos[wake_s] < pos[block_r] or pos[wake_r] < pos[block_s]`.
Satisfiable: another order explains the trace. Unsatisfiable: the first event no order
explains is found by bisecting the pairs sorted by their last event (adding pairs only
adds constraints, so the first unsatisfiable prefix is well defined); that pair's last
event is reported. Each solver call has a timeout; one that runs out gives "unknown".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from typing import TYPE_CHECKING

from gocheck.traces.event import Event
from gocheck.traces.happens import HappensBefore

if TYPE_CHECKING:
    import z3

RULE = "chan-rendezvous"
MAX_WAITS = 4_000  # beyond this many waits, an order is not searched: "unknown"
MAX_PAIRS = 20_000  # nor beyond this many undecided sender/receiver pairs
TIMEOUT_MS = 10_000  # per solver call


@dataclass(slots=True)
class Wait:
    """A goroutine parked on one channel: the happens-before ids of its GoBlock and
    GoUnblock (`wake` None: still parked at the end of the trace; either None: past
    MAX_WAITS, not followed)."""

    goroutine: int
    function: str
    channel: str
    send: bool
    block: int | None
    wake: int | None = None


@dataclass(frozen=True, slots=True)
class Unexplained:
    """The first event no order of the trace's events explains, and why."""

    event: int
    time: int
    goroutine: int | None
    function: str
    rule: str
    resource: str
    message: str

    def to_json(self) -> dict[str, object]:
        return {"event": self.event, "time": self.time, "goroutine": self.goroutine,
                "function": self.function, "rule": self.rule, "resource": self.resource,
                "message": self.message}


@dataclass(frozen=True, slots=True)
class Verdict:
    """`first` None and `unknown` None: the rule holds in some order (`reordered`: not in
    the trace's own); `unknown` says why the search gave up."""

    first: Unexplained | None = None
    unknown: str | None = None
    reordered: bool = False


class Waits:
    """The channel waits of a stream, fed every event in stream order (`feed`). It notes
    whether the stream's own order already breaks the rule, and meanwhile follows the
    happens-before of the waits' events (up to MAX_WAITS of them), so the solver runs
    only when the order is broken and the events need not be kept."""

    def __init__(self) -> None:
        self.hb = HappensBefore()
        self.waits: list[Wait] = []
        self.count = 0  # waits seen, beyond MAX_WAITS too
        self._open: dict[int, Wait] = {}  # goroutine -> its wait
        self._parked: dict[tuple[str, bool], set[int]] = defaultdict(set)
        self.broken_in_order = False

    def feed(self, e: Event, park: tuple[int, str, str, bool] | None = None) -> None:
        """Account for `e`; `park` = (goroutine, function, channel, send) when `e` parks a
        goroutine on one channel."""
        if park is not None:
            gid, function, channel, send = park
            if self._parked[(channel, not send)]:
                self.broken_in_order = True
            self._parked[(channel, send)].add(gid)
            self.count += 1
            rid = self._see(e, True)
            wait = self._open[gid] = Wait(gid, function, channel, send, rid)
            if rid is not None:
                self.waits.append(wait)
        elif e.kind == "GoUnblock" and e.target in self._open:
            wait = self._open.pop(e.target)
            self._parked[(wait.channel, wait.send)].discard(e.target)
            wait.wake = self._see(e, True)
        else:
            self._see(e, False)

    def _see(self, e: Event, mark: bool) -> int | None:
        """The event's happens-before id, if marked; nothing once there are too many."""
        return None if self.count > MAX_WAITS else self.hb.see(e, mark)

    def verdict(self, timeout_ms: int = TIMEOUT_MS) -> Verdict:
        """Does some order the stream's happens-before allows keep senders and receivers
        of each channel from waiting at the same time?"""
        if not self.broken_in_order:
            return Verdict()
        if self.count > MAX_WAITS:
            return Verdict(unknown=f"{self.count} channel waits (more than {MAX_WAITS}):"
                           " no order searched")
        pairs = _undecided(self.hb, self.waits)
        if len(pairs) > MAX_PAIRS:
            return Verdict(unknown=f"{len(pairs)} pairs of channel waits not ordered by"
                           f" happens-before (more than {MAX_PAIRS}): no order searched")
        edges = _immediate_edges(self.hb, sorted({i for p in pairs for i in _ids(p)}))
        if _nearest_order_exists(self.hb, pairs, edges):
            return Verdict(reordered=True)
        return _Search(self.hb, pairs, edges, timeout_ms).run()


def _undecided(hb: HappensBefore, waits: list[Wait]) -> list[tuple[Wait, Wait]]:
    """Sender/receiver pairs of one channel that happens-before does not separate."""
    by_channel: dict[str, tuple[list[Wait], list[Wait]]] = defaultdict(lambda: ([], []))
    for w in waits:
        by_channel[w.channel][0 if w.send else 1].append(w)
    before = hb.before
    pairs = []
    for senders, receivers in by_channel.values():
        for s in senders:
            for r in receivers:
                if not ((s.wake is not None and before(s.wake, r.block))
                        or (r.wake is not None and before(r.wake, s.block))):
                    pairs.append((s, r))
    return pairs


def _ids(pair: tuple[Wait, Wait]) -> list[int]:
    return [i for w in pair for i in (w.block, w.wake) if i is not None]


def _immediate_edges(hb: HappensBefore, ids: list[int]) -> list[tuple[int, int]]:
    """The happens-before pairs among `ids` not implied by others: they order `ids` as
    all of happens-before does (`preds` is transitively closed)."""
    inside = sum(1 << i for i in ids)
    edges = []
    for b in ids:
        preds = hb.preds[b] & inside
        implied = 0
        for a in _bits(preds):
            implied |= hb.preds[a]
        edges.extend((a, b) for a in _bits(preds & ~implied))
    return edges


def _nearest_order_exists(hb: HappensBefore, pairs: list[tuple[Wait, Wait]],
                          edges: list[tuple[int, int]]) -> bool:
    """A cheap first try before the solver: per pair, the alternative the trace's own
    order breaks by the fewest events (usually a wake written just after the other
    side's block by another thread); do happens-before (`edges`, among the pairs' events)
    and these choices fit one order? When they do, the solver is not needed; when not,
    it searches every choice."""
    index = [e.index for e in hb.events]
    order: TopologicalSorter[int] = TopologicalSorter()
    for a, b in edges:
        order.add(b, a)
    for s, r in pairs:
        options = [(index[a] - index[b], a, b) for a, b in ((s.wake, r.block),
                                                              (r.wake, s.block))
                   if a is not None and b is not None]
        if not options:
            return False
        _, a, b = min(options)
        order.add(b, a)
    try:
        order.prepare()
    except CycleError:
        return False
    return True


class _Search:
    """One z3 problem: positions of the events the pairs involve, ordered by
    happens-before (`edges`, among the pairs' events); one tracked disjunction per pair."""

    def __init__(self, hb: HappensBefore, pairs: list[tuple[Wait, Wait]],
                 edges: list[tuple[int, int]], timeout_ms: int):
        import z3  # only when a trace's own order breaks the rule: `gocheck trace` starts faster

        self.z3 = z3
        self.hb = hb
        self.pairs = sorted(pairs, key=lambda p: max(_ids(p)))
        self.solver = z3.Solver()
        self.solver.set("timeout", timeout_ms)
        pos = {i: z3.Int(f"e{hb.events[i].index}") for p in self.pairs for i in _ids(p)}
        for a, b in edges:
            self.solver.add(pos[a] < pos[b])
        self.literals = []
        for n, (s, r) in enumerate(self.pairs):
            lit = z3.Bool(f"pair{n}")
            self.solver.add(z3.Implies(lit, z3.Or(self._lt(pos, s.wake, r.block),
                                                  self._lt(pos, r.wake, s.block))))
            self.literals.append(lit)

    def _lt(self, pos: dict[int, z3.ArithRef], a: int | None, b: int) -> z3.BoolRef:
        """pos[a] < pos[b], where a missing wake (a wait never ended) is at the end."""
        return self.z3.BoolVal(False) if a is None else pos[a] < pos[b]

    def _check(self, n: int) -> z3.CheckSatResult:
        return self.solver.check(*self.literals[:n])

    def run(self) -> Verdict:
        z3 = self.z3
        result = self._check(len(self.pairs))
        if result == z3.sat:
            return Verdict(reordered=True)
        if result != z3.unsat:
            return Verdict(unknown=f"z3: {self.solver.reason_unknown()}")
        lo, hi = 0, len(self.pairs)  # pairs[:lo] satisfiable, pairs[:hi] not
        while hi - lo > 1:
            mid = (lo + hi) // 2
            result = self._check(mid)
            if result == z3.unknown:
                return Verdict(unknown=f"z3: {self.solver.reason_unknown()}")
            lo, hi = (mid, hi) if result == z3.sat else (lo, mid)
        return Verdict(first=self._explain(self.pairs[hi - 1]))

    def _explain(self, pair: tuple[Wait, Wait]) -> Unexplained:
        s, r = pair
        last = max(_ids(pair))
        e = self.hb.events[last]
        who = next((w for w in pair if last in (w.block, w.wake)), s)

        def span(w: Wait) -> str:
            end = "the end" if w.wake is None else f"#{self.hb.events[w.wake].index}"
            return f"#{self.hb.events[w.block].index} to {end}"

        return Unexplained(
            e.index, e.time, who.goroutine, who.function, RULE, f"chan {s.channel}",
            f"G{s.goroutine} ({s.function}) waits to send on {s.channel} ({span(s)}) while"
            f" G{r.goroutine} ({r.function}) waits to receive from it ({span(r)}), in every"
            " order the trace's happens-before allows; a send and a receive on one channel"
            " never wait at the same time")


def _bits(x: int) -> list[int]:
    out = []
    while x:
        low = x & -x
        out.append(low.bit_length() - 1)
        x ^= low
    return out
