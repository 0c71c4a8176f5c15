"""Which states to cross-check so that every step kind gets compared, and which specs to
take them from.

The first reachable states in BFS order show mostly the opening moves; the step kinds that
need a long run (a syscall that outlives sysmon's delay, a recheck that finds work...) come
later. `telling_states` walks the explicit graph and keeps a state whenever one of its
explicit steps is of a shape not seen yet (the action with its numbers blanked, and the kind
of actor), so a few dozen states per spec reach deep step kinds.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from gocheck.lang import ast
from gocheck.lang.parser import parse_file
from gocheck.model.machine import Machine
from gocheck.model.system import Step
from gocheck.symbolic.bounds import Unsupported, check_supported
from gocheck.verify import build
from tests.quality.zoo import BUGS, buggy_spec, fixed_spec, zoo_spec

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "spec" / "examples").glob("*.gos"))


def shape(step: Step) -> str:
    return f"{step.actor.rstrip('0123456789')}:{re.sub(r'[0-9]+', '#', step.action)}"


def telling_states(machine: Machine, max_states: int, keep: int) -> Iterator[tuple]:
    """Up to `keep` states, in BFS order among the first `max_states`, each showing an
    explicit step shape that no earlier kept state showed."""
    first = machine.initial_state()
    seen, queue, shapes = {first}, deque([first]), set()
    while queue and max_states > 0 and keep > 0:
        state = queue.popleft()
        max_states -= 1
        succ = machine.successors(state)
        new = {shape(step) for step, _ in succ} - shapes
        if new:
            shapes |= new
            keep -= 1
            yield state
        for _, nxt in succ:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)


def zoo_variants() -> list[tuple[str, ast.Spec]]:
    """Both variants of every bug-zoo spec whose switch the symbolic encoding mirrors
    (bounds.SWITCHES); the others are left out, each for a named reason by `zoo_skipped`."""
    out = []
    for path in BUGS:
        z = zoo_spec(path)
        for label, spec in (("buggy", buggy_spec(z)), ("fixed", fixed_spec(z))):
            if _supported(build(spec)):
                out.append((f"{path.stem}:{label}", spec))
    return out


def zoo_skipped() -> dict[str, str]:
    """The zoo variants left out, with the reason the encoding gives."""
    out = {}
    for path in BUGS:
        z = zoo_spec(path)
        for label, spec in (("buggy", buggy_spec(z)), ("fixed", fixed_spec(z))):
            try:
                check_supported(build(spec).cfg)
            except Unsupported as err:
                out[f"{path.stem}:{label}"] = str(err)
    return out


def _supported(machine: Machine) -> bool:
    try:
        check_supported(machine.cfg)
    except Unsupported:
        return False
    return True


def example_specs() -> list[tuple[str, ast.Spec]]:
    return [(p.stem, parse_file(str(p))) for p in EXAMPLES]


