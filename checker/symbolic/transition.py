"""The transition relation T(x, x'): the disjunction of every rule's paths, with frames.

Each rule of the model, instantiated for its concrete actors (machine.successors' loops:
each M and P of a running G, each M in recheck, each place of a G...), is explored into paths
(world.py); every path is one disjunct: a guard over x and the values it writes. A step
selector, one literal per disjunct, says which one fires. Frames are implicit: each
variable's next value is a case split over only the disjuncts that write it, defaulting to
its current value, so the size of T is the size of what the steps change, not disjuncts x
variables. Rules are instantiated per M (rather than reading "the M that runs G g" through
a symbolic index) because a guard over concrete fields is a conjunction of literals.

T also carries the model's global conditions: no step once the program ended or hit a
fatal error, and every next state well-formed (layout.py). Well-formedness holds in every
reachable state by construction; requiring it of x' keeps k-induction's arbitrary start
states inside the domains, and the cross-check confirms it on every explicitly reached
state.

T is built once over template frames and instantiated per time frame by substitution.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, replace
from functools import partial

import z3

from gocheck.model.machine import Machine
from gocheck.symbolic.bounds import bounds
from gocheck.symbolic.kind import Kind
from gocheck.symbolic.layout import Frame, Layout
from gocheck.symbolic.pollers import POLLED, poller
from gocheck.symbolic.running import running
from gocheck.symbolic.schedule import give_up, recheck, search, stop_after_recheck
from gocheck.symbolic.syscalls import SYSCALL_OPS, syscall
from gocheck.symbolic.sysmon import preempt_request, retake
from gocheck.symbolic.values import Cond, Val, boolean, choose, not_, or_, shape, shared
from gocheck.symbolic.world import explore


@dataclass(frozen=True, slots=True)
class Disjunct:
    kind: Kind
    guard: Cond
    writes: dict[str, Val]


class Selector:
    """Which disjunct a step takes: one literal per disjunct, exactly one true. One-hot on
    purpose: a state that disables a disjunct falsifies its literal by propagation, so the
    solver only ever chooses among enabled steps."""

    def __init__(self, tag: str, n: int):
        self.bits = [z3.Bool(f"sel={i}@{tag}") for i in range(n)]
        # "one of the first i is taken" (the ladder encoding of at-most-one: 3n binary
        # clauses, where pairwise clauses would be n^2/2 and swamp the solver)
        self.ladder = [z3.Bool(f"sel<={i}@{tag}") for i in range(n)]

    def is_(self, i: int) -> z3.BoolRef:
        return self.bits[i]

    def valid(self) -> z3.BoolRef:
        s, y = self.bits, self.ladder
        parts = [z3.Or(s)]
        for i in range(len(s)):
            parts.append(z3.Implies(s[i], y[i]))
            if i:
                parts += [z3.Implies(y[i - 1], y[i]), z3.Implies(s[i], z3.Not(y[i - 1]))]
        return z3.And(parts)

    def read(self, model: z3.ModelRef) -> int:
        return next(i for i, b in enumerate(self.bits)
                    if z3.is_true(model.eval(b, model_completion=True)))


def rules(layout: Layout) -> Iterator[Callable[..., Kind]]:
    """Every rule instantiation, in Machine.successors' order of actors (rules that take
    the M from `World.actor` are instantiated per M by the caller)."""
    prog, cfg, b = layout.prog, layout.cfg, layout.b
    for p in range(cfg.procs):
        for g in range(b.goroutines):
            for f, pc in b.places(prog, g):
                yield partial(running, p=p, g=g, f=f, pc=pc)
        yield partial(search, p=p)
        yield partial(give_up, p=p)
    for m in range(cfg.threads):
        yield partial(recheck, m=m)
        yield partial(stop_after_recheck, m=m)
    for g in range(b.goroutines):
        for f, pc in b.places(prog, g, SYSCALL_OPS):
            yield partial(syscall, g=g, f=f, pc=pc)
    for p in range(cfg.procs):
        yield partial(retake, p=p)
        yield partial(preempt_request, p=p)
    for g in range(b.goroutines):
        for f, pc in b.places(prog, g, frozenset(POLLED)):
            yield partial(poller, g=g, f=f, pc=pc)


class OutOfTime(Exception):
    """Building T passed its deadline (building runs Python, which no z3 timeout stops)."""


class Transition:
    """T over template frames `cur` -> `nxt` with the template selector `sel`."""

    def __init__(self, machine: Machine, deadline: float | None = None):
        """`deadline` (a time.perf_counter() value): raise OutOfTime once it passes."""
        self.layout = Layout(machine.prog, machine.cfg, bounds(machine.prog, machine.cfg))
        self.cur = self.layout.frame("cur")
        self.nxt = self.layout.frame("nxt")
        self.deadline = deadline
        with shared():
            self.disjuncts = list(self._disjuncts())
            self.sel = Selector("t", len(self.disjuncts))
            self.formula = self._build()
        self._template = [*self._literals(self.cur), *self._literals(self.nxt), *self.sel.bits,
                          *self.sel.ladder]

    def _disjuncts(self) -> Iterator[Disjunct]:
        start: dict[str, Val] = dict(self.cur.vars)
        for rule in rules(self.layout):
            if self.deadline is not None and time.perf_counter() > self.deadline:
                raise OutOfTime
            paths = explore(self.layout, rule, start)
            actors = range(self.layout.cfg.threads) if any(p.acted for p in paths) else [None]
            for m in actors:
                if m:
                    paths = explore(self.layout, rule, start, m)
                for path in paths:
                    writes = {k: v for k, v in path.values.items() if v is not start[k]}
                    kind = path.result if m is None else replace(path.result, m=m)
                    yield Disjunct(kind, path.condition, writes)

    def _build(self) -> z3.BoolRef:
        cur, layout = self.cur, self.layout
        sel = [self.sel.is_(i) for i in range(len(self.disjuncts))]
        parts: list[Cond] = [self.sel.valid(), cur["ended"] == 0, cur["fatal"] == 0]
        parts += [z3.Implies(sel[i], boolean(d.guard)) for i, d in enumerate(self.disjuncts)
                  if d.guard is not True]
        writers: dict[str, list[int]] = {}
        for i, d in enumerate(self.disjuncts):
            for name in d.writes:
                writers.setdefault(name, []).append(i)
        for name in layout.names:
            ws = writers.get(name, [])
            parts += layout.define(self.nxt, name, choose(self._options(name, ws)))
        parts.append(layout.well_formed(self.nxt))
        return z3.And([boolean(c) for c in parts])

    def _options(self, name: str, ws: list[int]) -> list[tuple[Cond, Val]]:
        """The next value of variable `name`: per value some writer gives it, "one of
        those writers fires"; its current value when none of `ws` does. Writers share
        values (about 15 of them per value on the examples: every step that may wake an M
        computes the same outcome), so grouping them makes T several times smaller."""
        sel = self.sel.is_
        groups: dict[Hashable, tuple[list[Cond], Val]] = {}
        for i in ws:
            value = self.disjuncts[i].writes[name]
            groups.setdefault(shape(value), ([], value))[0].append(sel(i))
        options = [(or_(*fire), value) for fire, value in groups.values()]
        options.append((not_(or_(*(sel(i) for i in ws))), self.cur[name]))
        return options

    @staticmethod
    def _literals(x: Frame) -> list[z3.BoolRef]:
        return [lit for lits in x.literals.values() for lit in lits]

    def between(self, x: Frame, y: Frame, sel: Selector) -> z3.BoolRef:
        """T instantiated from frame x to frame y with selector `sel`."""
        target = [*self._literals(x), *self._literals(y), *sel.bits, *sel.ladder]
        return z3.substitute(self.formula, *zip(self._template, target, strict=True))

    def selector(self, tag: str) -> Selector:
        return Selector(tag, len(self.disjuncts))

