"""Which candidate lemmas (lemmas.py) are proved invariants: Houdini's fixpoint.

A set of lemmas holds in every reachable state if each holds in the initial state and the
set is inductive: L(x) and T(x, x') imply L(x'). Starting from the candidates true in the
initial state, ask z3, candidate by candidate, for a step from a state satisfying all of
them to one violating that one (one query per candidate: a single query for "violating
some" was many times slower); drop every candidate such a post-state violates, and make
passes until one drops none (the greatest inductive subset). Only the survivors are
assumed in the step case, so a wrong candidate costs a proof, never soundness.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import z3

from gocheck.model.machine import Machine
from gocheck.symbolic import lemmas
from gocheck.symbolic.layout import Frame
from gocheck.symbolic.transition import Transition
from gocheck.symbolic.unroll import solver
from gocheck.symbolic.values import boolean, not_

LEMMA_MS = 30_000  # a candidate whose step check takes longer is dropped (that is sound)


@dataclass(frozen=True, slots=True)
class Invariant:
    """The proved lemmas over T's template frame `cur`, instantiable in any frame."""

    t: Transition
    names: tuple[str, ...]
    formula: z3.BoolRef  # their conjunction over t.cur
    dropped: tuple[str, ...]  # candidates that failed (initially or by a step)

    def at(self, x: Frame) -> z3.BoolRef:
        """The invariant over frame x."""
        pairs = [(a, b) for n in self.t.layout.names
                 for a, b in zip(self.t.cur.literals[n], x.literals[n], strict=True)]
        return z3.substitute(self.formula, *pairs)


class OutOfTime(Exception):
    """The fixpoint was not reached in time (nothing is assumed then)."""


def prove(machine: Machine, t: Transition, deadline: float | None = None,
          pool: list[lemmas.Lemma] | None = None) -> Invariant:
    """The greatest inductive subset of the candidates (`pool`: over t.cur, the default
    is every lemma of lemmas.py) that hold in the initial state."""
    layout = t.layout
    cands = lemmas.symbolic(layout, t.cur) if pool is None else pool
    start = solver()
    start.add(layout.values_term(t.cur, layout.encode(machine.initial_state())))
    initially = {n: start.check(not_(boolean(c))) == z3.unsat for n, c in cands}
    dropped = [n for n, _ in cands if not initially[n]]
    alive = {n: boolean(c) for n, c in cands if initially[n]}
    post = dict(zip(alive, _shift(t, list(alive.values())), strict=True))
    s = solver()
    s.add(t.formula, layout.well_formed(t.cur))
    # assumption literals: `flags` assume a lemma now, `goals` ask for it broken next
    # (literals, not formulas, so that z3 internalizes each lemma once)
    flags = {n: z3.Bool(f"lemma!{i}") for i, n in enumerate(alive)}
    goals = {n: z3.Bool(f"broken!{i}") for i, n in enumerate(alive)}
    for n, c in alive.items():
        s.add(z3.Implies(flags[n], c), z3.Implies(goals[n], not_(post[n])))
    changed = True
    while changed:  # passes over the candidates until one drops none
        changed = False
        for n in list(alive):
            left = None if deadline is None else deadline - time.perf_counter()
            if left is not None and left <= 0:
                raise OutOfTime
            s.set("timeout", int(min(LEMMA_MS, left * 1000)) if left is not None
                  else LEMMA_MS)
            result = s.check(*(flags[a] for a in alive), goals[n])
            if result == z3.unsat:
                continue
            if result == z3.unknown and left is not None and \
                    deadline - time.perf_counter() <= 0:  # type: ignore[operator]
                raise OutOfTime
            broken = [n] if result == z3.unknown else \
                [a for a in alive if z3.is_false(s.model().eval(post[a], True))]
            for a in broken:
                del alive[a]
            dropped += broken
            changed = True
    return Invariant(t, tuple(alive), z3.And(list(alive.values())), tuple(dropped))


def _shift(t: Transition, conds: list[z3.BoolRef]) -> list[z3.BoolRef]:
    """Conditions over t.cur, restated over t.nxt."""
    pairs = [(a, b) for n in t.layout.names
             for a, b in zip(t.cur.literals[n], t.nxt.literals[n], strict=True)]
    return [z3.substitute(c, *pairs) for c in conds]
