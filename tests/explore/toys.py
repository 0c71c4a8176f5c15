"""Small hand-made transition systems with state spaces known by hand, for the engine's tests.

Each toy says its state and transition counts and why; the tests pin them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from hypothesis import strategies as st

from gocheck.model.system import Step

NONE: frozenset = frozenset()


def step(actor: str, action: str, fairness: str | None = None) -> Step:
    """A step whose fairness class is its actor unless said otherwise."""
    return Step(actor, action, fairness=actor if fairness is None else fairness)


@dataclass(frozen=True)
class Counter:
    """One actor counts 0, 1, ..., n-1 and stops there (or wraps to 0).

    n states; n-1 transitions (n with `wrap`). The last state is terminal unless it wraps.
    """

    n: int
    wrap: bool = False

    def initial_state(self) -> int:
        return 0

    def successors(self, s: int) -> list[tuple[Step, int]]:
        if s + 1 < self.n:
            return [(step("P0", "inc"), s + 1)]
        return [(step("P0", "wrap"), 0)] if self.wrap else []

    @staticmethod
    def labels(s: int) -> frozenset:
        """"counting" everywhere: a run that never stops counting keeps it."""
        return frozenset({"counting"})


@dataclass(frozen=True)
class Grid:
    """k independent counters 0..n-1, actor Pi increments counter i.

    n**k states, k * (n-1) * n**(k-1) transitions; the shortest run to a state takes as many
    steps as the sum of its counters.
    """

    n: int
    k: int

    def initial_state(self) -> tuple[int, ...]:
        return (0,) * self.k

    def successors(self, s: tuple[int, ...]) -> list[tuple[Step, tuple[int, ...]]]:
        return [(step(f"P{i}", "inc"), (*s[:i], v + 1, *s[i + 1:]))
                for i, v in enumerate(s) if v + 1 < self.n]


IDLE, WAITING, CRITICAL = 0, 1, 2


@dataclass(frozen=True)
class Mutex:
    """Two processes, each: idle -> waiting ("try") -> critical ("acquire") -> idle
    ("release"). State (pc0, pc1, holder + 1 or 0).

    With the lock: 8 states (every pc pair but both critical) and 14 transitions (2 out of each
    state except (waiting, critical) and (critical, waiting): 1). Without it (`broken`, the
    lock stays 0): the 9 pc pairs, each with 2 steps: 18 transitions; both can be critical.
    Under weak fairness a waiting process can starve: its acquire is disabled whenever the
    other holds the lock, so the other may cycle forever.
    """

    broken: bool = False

    def initial_state(self) -> tuple[int, int, int]:
        return (IDLE, IDLE, 0)

    def successors(self, s: tuple[int, int, int]) -> list[tuple[Step, tuple[int, int, int]]]:
        out = []
        for p in (0, 1):
            pcs, lock = list(s[:2]), s[2]
            actor = f"P{p}"
            if pcs[p] == IDLE:
                pcs[p] = WAITING
                out.append((step(actor, "try"), (*pcs, lock)))
            elif pcs[p] == WAITING and (lock == 0 or self.broken):
                pcs[p] = CRITICAL
                out.append((step(actor, "acquire"), (*pcs, 0 if self.broken else p + 1)))
            elif pcs[p] == CRITICAL:
                pcs[p] = IDLE
                out.append((step(actor, "release"), (*pcs, 0)))
        return out

    @staticmethod
    def both_critical(s: tuple[int, int, int]) -> bool:
        return s[0] == s[1] == CRITICAL

    @staticmethod
    def waiting(s: tuple[int, int, int]) -> frozenset:
        return frozenset(f"P{p} waiting" for p in (0, 1) if s[p] == WAITING)


@dataclass(frozen=True)
class Philosophers:
    """Two processes take two locks in opposite order (P0: a then b; P1: b then a), then
    release both and finish. State (pc0, pc1, holder of a, holder of b); pc 0 holds nothing,
    1 holds its first lock, 2 holds both, 3 is done.

    13 states, 14 transitions; (1, 1, 1, 2), two steps deep, is a deadlock: each holds the
    lock the other wants. The run ends (terminal) in the deadlock or in (3, 3, 0, 0).
    """

    def initial_state(self) -> tuple[int, int, int, int]:
        return (0, 0, 0, 0)

    def successors(self, s: tuple[int, int, int, int]) -> list[tuple[Step, tuple]]:
        out = []
        for p, (first, second) in enumerate(((2, 3), (3, 2))):
            nxt, me = list(s), p + 1
            if s[p] == 0 and s[first] == 0:
                nxt[first], nxt[p] = me, 1
                out.append((step(f"P{p}", f"lock {'ab'[first - 2]}"), tuple(nxt)))
            elif s[p] == 1 and s[second] == 0:
                nxt[second], nxt[p] = me, 2
                out.append((step(f"P{p}", f"lock {'ab'[second - 2]}"), tuple(nxt)))
            elif s[p] == 2:
                nxt[first] = nxt[second] = 0
                nxt[p] = 3
                out.append((step(f"P{p}", "unlock both"), tuple(nxt)))
        return out

    def deadlocked(self, s: tuple[int, int, int, int]) -> bool:
        return not self.successors(s) and s[:2] != (3, 3)

    @staticmethod
    def unfinished(s: tuple[int, int, int, int]) -> frozenset:
        return NONE if s[:2] == (3, 3) else frozenset({"unfinished"})


@dataclass(frozen=True)
class Toggle:
    """Actor A toggles x for ever; actor B may finish. State (x, done).

    While B stays enabled (`b_always`), the toggling cycle is unfair to B: every fair run
    finishes. If B is enabled only at x = 0 (`b_always` False), B is disabled every other
    state, so toggling for ever is fair. With `b_always`: the 4 pairs (x, done), 4
    transitions; without: 3 states, 3 transitions.
    """

    b_always: bool

    def initial_state(self) -> tuple[int, bool]:
        return (0, False)

    def successors(self, s: tuple[int, bool]) -> list[tuple[Step, tuple[int, bool]]]:
        x, done = s
        if done:
            return []
        out = [(step("A", "toggle"), (1 - x, False))]
        if self.b_always or x == 0:
            out.append((step("B", "finish"), (x, True)))
        return out

    @staticmethod
    def running(s: tuple[int, bool]) -> frozenset:
        return NONE if s[1] else frozenset({"running"})


@dataclass(frozen=True)
class GraphSystem:
    """A transition system written as a table: state -> [(actor, fairness class, target)],
    with labels. Actions name the edge (`2->3`, `2->3#1` for a second one), so steps are
    unique within a state and replay is unambiguous."""

    edges: Mapping[int, Sequence[tuple[str, str, int]]]
    label_table: Mapping[int, frozenset[Hashable]] = field(default_factory=dict)
    initial: int = 0

    def initial_state(self) -> int:
        return self.initial

    def successors(self, s: int) -> list[tuple[Step, int]]:
        out, seen = [], {}
        for actor, fairness, t in self.edges.get(s, ()):
            n = seen[t] = seen.get(t, -1) + 1
            action = f"{s}->{t}" + (f"#{n}" if n else "")
            out.append((Step(actor, action, fairness=fairness), t))
        return out

    def labels(self, s: int) -> frozenset[Hashable]:
        return self.label_table.get(s, NONE)


def detour() -> GraphSystem:
    """Every state but `out` (3) carries L. The short cycle 0-1-0 is unfair: B leaves from
    both 0 and 1. The longer way through 2, where B is disabled, is fair, so L can persist:
    the lasso must go 0 -> 2 -> 0."""
    return GraphSystem(
        edges={0: [("A", "A", 1), ("A", "A", 2), ("B", "B", 3)],
               1: [("A", "A", 0), ("B", "B", 3)],
               2: [("A", "A", 0)],
               3: []},
        label_table={0: frozenset("L"), 1: frozenset("L"), 2: frozenset("L")})


def alternating_labels() -> GraphSystem:
    """A fair cycle 0 -> 1 -> 0 whose states carry different labels: no label persists."""
    return GraphSystem(edges={0: [("A", "A", 1)], 1: [("A", "A", 0)]},
                       label_table={0: frozenset("a"), 1: frozenset("b")})


def stuck() -> GraphSystem:
    """0 -> 1, and 1 is terminal with label L: a violation only if finite runs count."""
    return GraphSystem(edges={0: [("A", "A", 1)]}, label_table={1: frozenset("L")})


@st.composite
def random_systems(draw: st.DrawFn) -> tuple[GraphSystem, bool]:
    """A random finite system and a `terminal_counts` flag: up to 6 states, up to 3 steps
    each, fairness classes shared across actors (or none), labels from {x, y}."""
    n = draw(st.integers(1, 6))
    edge = st.tuples(st.sampled_from("ABC"), st.sampled_from(["f", "g", "h", ""]),
                     st.integers(0, n - 1))
    edges = {s: draw(st.lists(edge, max_size=3)) for s in range(n)}
    labels = {s: frozenset(draw(st.sets(st.sampled_from("xy")))) for s in range(n)}
    return GraphSystem(edges, labels), draw(st.booleans())
