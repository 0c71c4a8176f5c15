"""The symbolic counterpart of `model.state.World`, and how rules written over it are run.

A rule of the model is Python code that branches on the state. Its symbolic mirror is the
same code over a `World` whose values are Syms (values.py) or plain ints where known, with
every branch on a condition written `if w.test(cond):`. Such code is run by *path
exploration*: it is re-executed once per combination of branch decisions (a decision prefix
replays the earlier choices, so the code needs no continuations), and each run yields a
path: the conditions it took, the guards it required and the values it left. Two ways to
use the paths:

- `explore`: every path is a disjunct of the transition relation. Rules (one step kind with
  its actors fixed) are explored this way, so each path is one kind of successor.
- `World.merge`: the paths of a helper (runqput, wakep, a wake-up...) are folded back into
  one world by case. Helpers that are called several times in one step (one wake-up per
  WaitGroup waiter) would otherwise multiply the paths.

`pick(n)` is a nondeterministic choice without a condition (which victim to steal from);
`require(cond)` adds a guard. Indices may be symbolic: reads select by case, writes guard
each slot. Queues follow layout.py (a length and FILL-padded slots).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from gocheck.symbolic.layout import FILL, Layout
from gocheck.symbolic.values import (
    Cond,
    Val,
    and_,
    as_int,
    choose,
    eq,
    ite,
    not_,
    or_,
    select,
    total,
)


class Infeasible(Exception):
    """A path required something false."""


@dataclass(slots=True)
class Path:
    """One run of a rule: what it assumed, decided and left."""

    guards: list[Cond]
    decided: list[Cond]
    values: dict[str, Val]
    result: Any
    acted: bool  # whether it read the actor (the rule leaves the M to the caller)

    @property
    def condition(self) -> Cond:
        return and_(*self.guards, *self.decided)


class World:
    """One path's working state; `values` maps layout names to values."""

    __slots__ = ("_actor", "acted", "arity", "decided", "decisions", "guards", "known",
                 "layout", "prefix", "values")

    def __init__(self, layout: Layout, values: dict[str, Val], actor: int,
                 known: dict[int, tuple[Cond, bool]], prefix: tuple[int, ...]):
        self.layout = layout
        self.values = values
        self._actor = actor
        self.acted = False
        self.known = known
        self.prefix = prefix
        self.decisions: list[int] = []
        self.arity: list[int] = []
        self.guards: list[Cond] = []
        self.decided: list[Cond] = []

    def actor(self) -> int:
        """The acting M of a rule that is instantiated per M by its caller."""
        self.acted = True
        return self._actor

    # --- branching ----------------------------------------------------------------------
    def _decide(self, arity: int) -> int:
        i = len(self.decisions)
        d = self.prefix[i] if i < len(self.prefix) else 0
        self.decisions.append(d)
        self.arity.append(arity)
        return d

    def test(self, cond: Cond) -> bool:
        """Branch on a condition; each outcome is explored (True first)."""
        if isinstance(cond, bool):
            return cond
        known = self.known.get(cond.get_id())
        if known is not None:
            return known[1]
        taken = self._decide(2) == 0
        negated = not_(cond)
        # keyed by AST id: the entry keeps the AST alive, or z3 could reuse its id
        self.known[cond.get_id()] = (cond, taken)
        self.known[negated.get_id()] = (negated, not taken)
        self.decided.append(cond if taken else negated)
        return taken

    def pick(self, n: int) -> int:
        """A nondeterministic choice among n alternatives (each explored)."""
        return self._decide(n) if n > 1 else 0

    def require(self, cond: Cond) -> None:
        """A guard of the step: the path exists only where it holds."""
        if cond is False:
            raise Infeasible
        if cond is not True:
            self.guards.append(cond)

    def concretize(self, x: Val, values: Sequence[int]) -> int:
        """Branch on which of `values` x is (the last one untested: the domain's rest)."""
        if isinstance(x, int):
            return x
        options = [v for v in values if eq(x, v) is not False]
        for v in options[:-1]:
            if self.test(eq(x, v)):
                return v
        return options[-1] if options else values[-1]

    def merge(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run helper fn on every path and fold the results into this world."""
        paths = explore(self.layout, lambda w: fn(w, *args, **kwargs), self.values,
                        self._actor, self.known)
        self.acted |= any(p.acted for p in paths)
        if any(p.guards for p in paths):
            raise AssertionError(f"{fn.__name__} requires a guard: it cannot be merged")
        if len(paths) == 1:
            self.values = paths[0].values
            return paths[0].result
        conds = [p.condition for p in paths]
        merged = dict(self.values)
        for k, v in self.values.items():
            if any(p.values[k] is not v for p in paths):
                merged[k] = choose(zip(conds, (p.values[k] for p in paths), strict=True))
        self.values = merged
        results = [p.result for p in paths]
        if results[0] is None:
            return None
        if isinstance(results[0], bool):
            return or_(*(and_(c, r) for c, r in zip(conds, results, strict=True)))
        return choose(zip(conds, results, strict=True))

    # --- plain values -------------------------------------------------------------------
    def __getitem__(self, name: str) -> Val:
        return self.values[name]

    def __setitem__(self, name: str, value: Val) -> None:
        self.values[name] = value

    # --- G, P and M fields, at a constant or symbolic index -----------------------------
    def _get(self, kind: str, i: Val, field: str, count: int) -> Val:
        if isinstance(i, int):
            return self.values[f"{kind}{i}.{field}"]
        return select([self.values[f"{kind}{j}.{field}"] for j in range(count)], i)

    def _set(self, kind: str, i: Val, count: int, kw: dict[str, Val]) -> None:
        for field, v in kw.items():
            if isinstance(i, int):
                self.values[f"{kind}{i}.{field}"] = v
                continue
            for j in range(count):
                key = f"{kind}{j}.{field}"
                self.values[key] = ite(eq(i, j), v, self.values[key])

    def g(self, i: Val, field: str) -> Val:
        return self._get("g", i, field, self.layout.b.goroutines)

    def set_g(self, i: Val, **kw: Val) -> None:
        self._set("g", i, self.layout.b.goroutines, kw)

    def p(self, i: Val, field: str) -> Val:
        return self._get("p", i, field, self.layout.cfg.procs)

    def set_p(self, i: Val, **kw: Val) -> None:
        self._set("p", i, self.layout.cfg.procs, kw)

    def m(self, i: Val, field: str) -> Val:
        return self._get("m", i, field, self.layout.cfg.threads)

    def set_m(self, i: Val, **kw: Val) -> None:
        self._set("m", i, self.layout.cfg.threads, kw)

    # --- derived quantities (as model.state.World) --------------------------------------
    def nmspinning(self) -> Val:
        return total(self.values[f"m{m}.spinning"] for m in range(self.layout.cfg.threads))

    def queued(self, p: int) -> Cond:
        """P p's ring or runnext holds a G."""
        return or_(self.qlen(f"p{p}.ring") > 0, not_(eq(self.p(p, "runnext"), -1)))

    def local_work(self, p: int) -> Cond:
        """The runtime's !runqempty (sched.has_local_work): with `runq_empty = ring_only`
        runnext is not counted."""
        if self.layout.cfg.runq_empty == "with_runnext":
            return self.queued(p)
        return self.qlen(f"p{p}.ring") > 0

    def created_ms(self) -> Val:
        return total(as_int(not_(eq(self.values[f"m{m}.state"], 0)))
                     for m in range(self.layout.cfg.threads))

    # --- queues -------------------------------------------------------------------------
    def qlen(self, q: str) -> Val:
        return self.values[f"{q}.n"]

    def qslots(self, q: str) -> list[Val]:
        return [self.values[f"{q}.{j}"] for j in range(self.layout.caps[q])]

    def qitem(self, q: str, i: Val) -> Val:
        return select(self.qslots(q), i)

    def qtop(self, q: str) -> Val:
        """The last entry (the top of a LIFO list)."""
        return self.qitem(q, self.qlen(q) - 1)

    def qappend(self, q: str, x: Val, when: Cond = True) -> None:
        """Append x (only where `when` holds)."""
        n = self.qlen(q)
        for j in range(self.layout.caps[q]):
            key = f"{q}.{j}"
            self.values[key] = ite(and_(when, eq(n, j)), x, self.values[key])
        self.values[f"{q}.n"] = ite(when, n + 1, n)

    def qpop_front(self, q: str, when: Cond = True) -> Val:
        """Remove and return the first entry (only where `when` holds)."""
        slots = self.qslots(q)
        for j, nxt in enumerate([*slots[1:], FILL]):
            self.values[f"{q}.{j}"] = ite(when, nxt, slots[j])
        n = self.qlen(q)
        self.values[f"{q}.n"] = ite(when, n - 1, n)
        return slots[0]

    def qpop_back(self, q: str) -> Val:
        """Remove and return the last entry."""
        n = self.qlen(q)
        top = self.qitem(q, n - 1)
        for j in range(self.layout.caps[q]):
            key = f"{q}.{j}"
            self.values[key] = ite(eq(n - 1, j), FILL, self.values[key])
        self.values[f"{q}.n"] = n - 1
        return top

    def qfilter(self, q: str, keep: Callable[[Val], Cond]) -> None:
        """Keep the entries for which keep(entry) holds, in order."""
        slots, n = self.qslots(q), self.qlen(q)
        self.qclear(q)
        for j, x in enumerate(slots):
            self.qappend(q, x, and_(n > j, keep(x)))

    def qclear(self, q: str) -> None:
        for j in range(self.layout.caps[q]):
            self.values[f"{q}.{j}"] = FILL
        self.values[f"{q}.n"] = 0


def explore(layout: Layout, fn: Callable[[World], Any], values: dict[str, Val],
            actor: int = 0, known: dict[int, tuple[Cond, bool]] | None = None) -> list[Path]:
    """Every path of fn from `values`, depth first, in a deterministic order."""
    out: list[Path] = []
    todo: list[tuple[int, ...]] = [()]
    while todo:
        prefix = todo.pop()
        w = World(layout, dict(values), actor, dict(known or {}), prefix)
        try:
            result = fn(w)
        except Infeasible:
            result = Infeasible
        for i in range(len(prefix), len(w.decisions)):
            todo += [(*w.decisions[:i], alt) for alt in range(w.arity[i] - 1, 0, -1)]
        if result is not Infeasible:
            out.append(Path(w.guards, w.decided, w.values, result, w.acted))
    return out
