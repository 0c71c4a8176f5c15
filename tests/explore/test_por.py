"""Partial-order reduction keeps every safety verdict, explores no more states, and its
counterexamples are real runs; its ample steps really commute with every other step."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from strategies import specs

from gocheck.cli import main
from gocheck.explore import ExploreResult
from gocheck.explore.codec import InterningCodec
from gocheck.explore.por import AUDITED, PartialOrder, supported
from gocheck.explore.search import search
from gocheck.explore.store import StateStore
from gocheck.lang import ast
from gocheck.lang.parser import parse
from gocheck.model.machine import Machine
from gocheck.model.state import S_ENDED, S_FATAL
from gocheck.model.symmetry import canonical_ps
from gocheck.props.library import LIBRARY
from gocheck.props.observables import OBSERVABLES
from gocheck.verify import Reductions, Verification, build, verify_spec

from .reduced import (
    NAMES,
    ROOT,
    SAFETY,
    SMALL,
    assert_same_verdicts,
    full_and_reduced,
    safety_names,
    spec_named,
)


@cache
def _verify(name: str, symmetry: bool, por: bool) -> Verification:
    """Verified once per session; the state graph is dropped (kept, four of them per spec
    would hold hundreds of megabytes until the session ends)."""
    spec = spec_named(name)
    v = verify_spec(spec, properties=safety_names(spec),
                    reductions=Reductions(symmetry=symmetry, por=por))
    return replace(v, result=ExploreResult(v.result.properties, v.result.stats))





@pytest.mark.parametrize("name", NAMES)
def test_por_keeps_verdicts_on_examples_and_zoo(name: str) -> None:
    full, reduced = _verify(name, False, False), _verify(name, False, True)
    assert_same_verdicts(full, reduced)
    assert reduced.reduced_by == ("por",)


@pytest.mark.parametrize("name", NAMES)
def test_symmetry_and_por_keep_verdicts(name: str) -> None:
    symmetric, both = _verify(name, True, False), _verify(name, True, True)
    assert_same_verdicts(_verify(name, False, False), both)
    assert both.result.stats.states <= symmetric.result.stats.states
    assert both.reduced_by == ("symmetry", "por")


def test_por_removes_the_interleavings_of_private_ticks() -> None:
    spec = parse("machine {\n    procs = 2\n    timeslice = 10\n}\n\nvar wg sync.WaitGroup\n\n"
                 "func worker() {\n    work(4)\n    wg.Done()\n}\n\n"
                 "func main() {\n    wg.Add(2)\n    go worker()\n    go worker()\n"
                 "    wg.Wait()\n}\n")
    full = verify_spec(spec, properties=SAFETY)
    reduced = verify_spec(spec, properties=SAFETY, reductions=Reductions(por=True))
    assert_same_verdicts(full, reduced)
    assert reduced.result.stats.states < full.result.stats.states * 0.75


def test_the_cycle_proviso_lets_others_move_past_an_endless_spinner() -> None:
    """Once the spinner has released main, it is a cycle of private ticks (its slice
    saturates without sysmon): without the proviso the search would take only its ticks from
    then on and never reach the fatal double close that main does meanwhile."""
    spec = parse("machine {\n    procs = 2\n    sysmon = off\n}\n\n"
                 "var c = make(chan int)\nvar wg sync.WaitGroup\n\n"
                 "func spinner() {\n    wg.Done()\n    for {\n        spin(1)\n    }\n}\n\n"
                 "func main() {\n    wg.Add(1)\n    go spinner()\n    wg.Wait()\n"
                 "    close(c)\n    close(c)\n}\n")
    reduced = verify_spec(spec, properties=("no_fatal",), reductions=Reductions(por=True))
    assert reduced.result.properties[0].verdict == "violated"
    assert_same_verdicts(verify_spec(spec, properties=("no_fatal",)), reduced)


def test_liveness_runs_are_not_reduced() -> None:
    spec = parse("func main() {\n    work(3)\n}\n")
    v = verify_spec(spec, properties=("terminates", "fork_join"),
                    reductions=Reductions(por=True))
    assert v.reduced_by == ()


def _observations(machine: Machine, state: tuple, statuses: bool) -> tuple:
    """Every audited safety predicate and, unless a syscall entry may hide them (no
    invariant is checked then), every observable an invariant may read."""
    bad = tuple(LIBRARY[n].build(machine).bad(state) for n in sorted(AUDITED))  # type: ignore
    if not statuses:
        return bad
    funcs = [f.name for f in machine.prog.functions]
    args = {None: [None], "proc": range(machine.cfg.procs), "func": funcs}
    return bad + tuple(o.read(machine, state, a) for o in OBSERVABLES.values()
                       for a in args[o.arg])


def _commutes(system: PartialOrder, state: tuple) -> None:
    """At a reduced state, the ample step t and every other enabled step b commute: t is
    still enabled after b, with the same effect, and b after t; only a step that ends the
    program may disable t (por.py). And t is invisible where it is taken: before b and
    after it, no checked predicate or observable tells its source from its target."""
    ample = system.ample(state, lambda _s: False)
    full = system.successors(state)
    if len(ample) == len(full):
        return
    ((t, after_t),) = ample
    machine = system.machine
    statuses = not system.entries
    assert _observations(machine, state, statuses) == _observations(machine, after_t, statuses)
    after_t_steps = dict(system.successors(after_t))
    for b, after_b in full:
        if b == t or after_b[S_ENDED] or after_b[S_FATAL]:
            continue
        after_b_steps = dict(system.successors(after_b))
        assert t in after_b_steps, f"{b} disables the ample step {t}"
        assert b in after_t_steps, f"the ample step {t} disables {b}"
        assert after_b_steps[t] == after_t_steps[b], f"{t} and {b} do not commute"
        assert (_observations(machine, after_b, statuses)
                == _observations(machine, after_b_steps[t], statuses)), f"{t} is visible"


def _check_independence(spec: ast.Spec, limit: int = 3000) -> None:
    """Every ample step commutes with every other step and is invisible, at the first
    `limit` states found depth-first, with invariants checked and without."""
    machine = build(spec)
    for invariants in (True, False):
        system = PartialOrder(machine, library=AUDITED, invariants=invariants)
        frontier, seen = [machine.initial_state()], set()
        while frontier and len(seen) < limit:
            state = frontier.pop()
            if state in seen:
                continue
            seen.add(state)
            _commutes(system, state)
            frontier += [nxt for _, nxt in machine.successors(state)]


def test_an_unaudited_property_turns_the_reduction_off() -> None:
    machine = build(spec_named("forkjoin.gos"))
    assert PartialOrder(machine, library=("fork_join",)).active
    assert not PartialOrder(machine, library=("fork_join", "a_new_property")).active


@pytest.mark.parametrize("name", ["forkjoin.gos", "pipeline.gos", "syscall_handoff.gos",
                                  "mutex_misuse.gos", "select.gos", "netpoller.gos",
                                  "invariants.gos", "z4_idle_with_local_work.gos:fixed"])
def test_ample_steps_commute_with_every_other_step(name: str) -> None:
    _check_independence(spec_named(name))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs(SMALL))
def test_por_keeps_verdicts_on_random_specs(spec: ast.Spec) -> None:
    runs = full_and_reduced(spec, Reductions(por=True))
    if runs is None:
        return
    full, reduced = runs
    assert_same_verdicts(full, reduced)
    if supported(full.machine):
        _check_independence(spec, limit=500)


def test_cli_por_flag_reduces_and_keeps_verdicts() -> None:
    path = str(ROOT / "spec" / "examples" / "syscall_handoff.gos")
    args = ["verify", "--json", "--property", "syscall_handoff", "--property", "no_deadlock"]
    runner = CliRunner()
    plain = runner.invoke(main, [*args, path])
    reduced = runner.invoke(main, [*args, "--por", path])
    assert plain.exit_code == reduced.exit_code == 0
    a, b = json.loads(plain.output), json.loads(reduced.output)
    assert [p["verdict"] for p in a["properties"]] == [p["verdict"] for p in b["properties"]]
    assert b["stats"]["states"] < a["stats"]["states"]


def _reference_ample(system: PartialOrder, state: tuple, settled) -> list:
    """The ample set as first written: every successor computed, then the first private
    one (in successor order) whose image is not settled, if there are two or more."""
    out = system.machine.successors(state)
    if len(out) > 1 and system.active:
        for step, nxt in out:
            if system._private(state, step, nxt, out):
                image = nxt if system.canonical is None else system.canonical(nxt)
                if not settled(image):
                    return [(step, image)]
    return system._image(out)


@pytest.mark.parametrize("name", ["forkjoin.gos", "syscall_handoff.gos", "select.gos",
                                  "netpoller.gos", "invariants.gos",
                                  "z4_idle_with_local_work.gos:fixed"])
def test_ample_computes_only_candidates_but_picks_as_before(name: str) -> None:
    """`ample` looks at the candidate Ms' own steps first; at every state it returns what
    the full expansion would (settled or not, with invariants and without, with symmetry
    and without)."""
    machine = build(spec_named(name))
    systems = [PartialOrder(machine, canon, library=AUDITED, invariants=invariants)
               for canon in (None, canonical_ps) for invariants in (True, False)]
    frontier, seen = [machine.initial_state()], set()
    while frontier and len(seen) < 1500:
        state = frontier.pop()
        if state in seen:
            continue
        seen.add(state)
        for system in systems:
            for settled in (lambda _s: False, lambda _s: True, lambda s: hash(s) % 2 == 0):
                assert system.ample(state, settled) == _reference_ample(system, state, settled)
        frontier += [nxt for _, nxt in machine.successors(state)]


class _WithoutStored:
    """The same system, but its `ample` does not take the search's `stored`."""

    def __init__(self, system: PartialOrder):
        self.system = system
        self.initial_state = system.initial_state

    def ample(self, state: tuple, settled) -> list:
        return self.system.ample(state, settled)


@pytest.mark.parametrize("name", ["forkjoin.gos", "syscall_handoff.gos"])
def test_skipping_canonical_for_stored_successors_changes_no_id(name: str) -> None:
    """A successor the store holds is taken as its own representative: the store is the
    one the search builds canonicalizing every successor, id for id."""
    machine = build(spec_named(name))
    system = PartialOrder(machine, canonical_ps, library=AUDITED, invariants=False)
    fast, plain = StateStore(codec=InterningCodec()), StateStore(codec=InterningCodec())
    search(system, fast, max_states=20_000)
    search(_WithoutStored(system), plain, max_states=20_000)
    assert [fast.decode(i) for i in range(len(fast))] == [
        plain.decode(i) for i in range(len(plain))]
    assert (fast.parent, fast.via, fast.edge_dst, fast.edge_step) == (
        plain.parent, plain.via, plain.edge_dst, plain.edge_step)
