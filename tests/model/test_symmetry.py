"""M renaming: canonical forms are representatives, and renaming commutes with the rules."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from gocheck.model.state import M_STATE_, M_UNBORN, S_MIDLE, S_MS, S_PS
from gocheck.model.symmetry import canonical
from gocheck.verify import load

EXAMPLES = Path(__file__).parent.parent.parent / "spec" / "examples"


def reachable(machine: object, limit: int = 3000) -> list[tuple]:
    seen = {machine.initial_state(): None}  # type: ignore[attr-defined]
    frontier = list(seen)
    while frontier and len(seen) < limit:
        nxt = []
        for s in frontier:
            for _step, t in machine.successors(s):  # type: ignore[attr-defined]
                if t not in seen:
                    seen[t] = None
                    nxt.append(t)
        frontier = nxt
    return list(seen)


def rename(state: tuple, perm: list[int]) -> tuple:
    """Apply the M permutation old -> perm[old] (uncreated Ms stay uncreated)."""
    ms = state[S_MS]
    new_ms = [None] * len(ms)
    for old, new in enumerate(perm):
        new_ms[new] = ms[old]
    ps = tuple(P if P[1] == -1 else (P[0], perm[P[1]], *P[2:]) for P in state[S_PS])
    midle = tuple(perm[m] for m in state[S_MIDLE])
    return (*state[:S_PS], ps, tuple(new_ms), *state[S_MS + 1:S_MIDLE], midle,
            *state[S_MIDLE + 1:])


@pytest.mark.parametrize("name", ["forkjoin", "mutex_misuse", "pipeline"])
def test_canonical_is_idempotent_and_class_invariant(name: str) -> None:
    _spec, machine = load(str(EXAMPLES / f"{name}.gos"))
    rng = random.Random(7)
    for state in reachable(machine):
        c = canonical(state)
        assert canonical(c) == c
        perm = list(range(len(state[S_MS])))
        rng.shuffle(perm)
        assert canonical(rename(state, perm)) == c


@pytest.mark.parametrize("name", ["forkjoin", "mutex_misuse"])
def test_renaming_commutes_with_the_transition_rules(name: str) -> None:
    """succ(canonical(s)) and succ(s) reach the same classes: the quotient is exact."""
    _spec, machine = load(str(EXAMPLES / f"{name}.gos"))
    for state in reachable(machine, 1500):
        direct = {canonical(t) for _s, t in machine.successors(state)}
        via_rep = {canonical(t) for _s, t in machine.successors(canonical(state))}
        assert direct == via_rep


def test_uncreated_ms_come_last() -> None:
    _spec, machine = load(str(EXAMPLES / "forkjoin.gos"))
    for state in reachable(machine, 500):
        kinds = [M[M_STATE_] == M_UNBORN for M in canonical(state)[S_MS]]
        assert kinds == sorted(kinds)
