"""Dead-value reduction: a state and its form are bisimilar (same steps, same properties,
successors with the same forms), the potential bounds the executes that advance schedtick,
every safety verdict is kept with and without symmetry and POR, counterexamples replay, and
forms that forget a live value are caught."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from strategies import specs

from gocheck.cli import main
from gocheck.explore.deadvalues import INF, DeadValues, StepBounds
from gocheck.lang import ast
from gocheck.lang.parser import parse
from gocheck.model import program as op
from gocheck.model.machine import Machine
from gocheck.model.program import Instr
from gocheck.model.state import (
    M_GIVEUP,
    M_SEARCH,
    M_STATE_,
    NO,
    P_M,
    P_SLICE,
    P_TICK,
    S_MS,
    S_PS,
)
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

Form = Callable[[tuple], tuple]


def _family(k: int, procs: int, extra: str = "") -> ast.Spec:
    """benchmarks/vs_spin's family: k workers `work(2); syscall(1); wg.Done()`."""
    gos = "".join("    go worker()\n" for _ in range(k))
    return parse(f"machine {{\n    procs = {procs}\n{extra}}}\n\nvar wg sync.WaitGroup\n\n"
                 "func worker() {\n    work(2)\n    syscall(1)\n    wg.Done()\n}\n\n"
                 f"func main() {{\n    wg.Add({k})\n{gos}    wg.Wait()\n}}\n")




def _reachable(machine: Machine, limit: int) -> list[tuple]:
    """Up to `limit` states of the unreduced machine, breadth-first."""
    seen = {machine.initial_state(): None}
    order = list(seen)
    i = 0
    while i < len(order) and len(order) < limit:
        for _, nxt in machine.successors(order[i]):
            if nxt not in seen:
                seen[nxt] = None
                order.append(nxt)
        i += 1
    return order


def _observed(machine: Machine, state: tuple) -> tuple:
    """Every safety predicate of the library and every observable an invariant may read."""
    bad = tuple(LIBRARY[n].build(machine).bad(state) for n in SAFETY)  # type: ignore[attr-defined]
    funcs = [f.name for f in machine.prog.functions]
    args = {None: [None], "proc": range(machine.cfg.procs), "func": funcs}
    return bad + tuple(o.read(machine, state, a) for o in OBSERVABLES.values()
                       for a in args[o.arg])


def _mismatch(machine: Machine, form: Form, limit: int = 4000) -> str | None:
    """Where `form` is not a bisimulation-respecting canonical form on the first `limit`
    reachable states (None: nowhere): a state and its form must be observed alike, take the
    same steps in the same order to successors with equal forms, and the form must be a
    fixed point of itself."""
    for s in _reachable(machine, limit):
        f = form(s)
        if form(f) != f:
            return f"not idempotent at {s}"
        if _observed(machine, s) != _observed(machine, f):
            return f"observed differently: {s} and its form {f}"
        a = [(step, form(t)) for step, t in machine.successors(s)]
        b = [(step, form(t)) for step, t in machine.successors(f)]
        if a != b:
            return f"different futures: {s} and its form {f}"
    return None


CHECKED = ["forkjoin.gos", "pipeline.gos", "syscall_handoff.gos", "select.gos",
           "preempt_spin.gos", "netpoller.gos", "mutex_misuse.gos", "invariants.gos",
           "z6_global_check.gos:fixed", "z9_timer_steal.gos:buggy",
           "z1_recheck_order.gos:buggy", "z8_retake_misaligned.gos:buggy"]


@pytest.mark.parametrize("name", CHECKED)
def test_a_state_and_its_form_have_the_same_future(name: str) -> None:
    machine = build(spec_named(name))
    assert _mismatch(machine, DeadValues(machine)) is None


def test_the_form_forgets_ticks_and_slices_in_the_benchmark_family() -> None:
    """One worker on procs 2: 6,736 states, 4,473 forms, every tick 0 or 1 (the potential
    is far below global_check = 61). With global_check = 4 only the ticks near the end
    are forgotten."""
    for check, most in (("", 0.7), ("    global_check = 4\n", 0.9)):
        machine = build(_family(1, 2, check))
        form = DeadValues(machine)
        assert _mismatch(machine, form) is None
        states = _reachable(machine, 100_000)
        assert len(states) < 100_000
        forms = {form(s) for s in states}
        assert len(forms) < most * len(states)
        ticks = {P[P_TICK] for s in forms for P in s[S_PS]}
        assert ticks == ({0, 1} if not check else {0, 1, 2, 3})


def _executes(machine: Machine, s: tuple, t: tuple) -> int:
    """Non-runnext executes in the step s -> t: each advances its P's schedtick by one."""
    check = machine.cfg.global_check
    if not check:
        return 0
    return sum((Q[P_TICK] - P[P_TICK]) % check for P, Q in zip(s[S_PS], t[S_PS], strict=True))


def _check_potential(machine: Machine, limit: int, dv: DeadValues | None = None) -> None:
    """Phi never rises along a step, and falls by at least the executes it makes."""
    dv = dv or DeadValues(machine)
    for s in _reachable(machine, limit):
        before = dv.potential(s)
        for step, t in machine.successors(s):
            assert dv.potential(t) <= before - _executes(machine, s, t), (s, step, t)


@pytest.mark.parametrize("name", NAMES)
def test_the_potential_bounds_the_executes(name: str) -> None:
    _check_potential(build(spec_named(name)), 20_000)


class _ChildlessBounds(StepBounds):
    """Counts a `go` as one step, forgetting the child's."""

    def _cost(self, ins: Instr) -> float:
        return 1 if ins.op == op.GO else super()._cost(ins)


def test_a_potential_that_forgets_spawned_children_is_caught() -> None:
    machine = build(spec_named("forkjoin.gos"))
    dv = DeadValues(machine)
    dv.bounds = _ChildlessBounds(machine.prog)
    with pytest.raises(AssertionError):
        _check_potential(machine, 20_000, dv)


def test_step_bounds() -> None:
    spec = parse("func child() {\n    work(3)\n}\n\nfunc forever() {\n    for {\n"
                 "        work(1)\n    }\n}\n\nfunc main() {\n    for i := 0; i < 2; i++ {\n"
                 "        go child()\n    }\n    work(2)\n    go forever()\n}\n")
    machine = build(spec)
    bounds = StepBounds(machine.prog)
    fid = machine.prog.function_id
    assert bounds.entry(fid("child")) == 3
    assert bounds.entry(fid("forever")) == INF
    assert bounds.entry(fid("main")) == INF  # it spawns an endless loop
    spec = parse("func child() {\n    work(3)\n}\n\nfunc main() {\n"
                 "    for i := 0; i < 2; i++ {\n        go child()\n    }\n    work(2)\n}\n")
    machine = build(spec)
    # two `go child()` steps (1 + child's 3 + 1 each) and two work ticks
    assert StepBounds(machine.prog).entry(machine.prog.function_id("main")) == 2 * 5 + 2
    machine = build(parse("func main() {\n    work(1)\n    select {}\n}\n"))
    assert StepBounds(machine.prog).entry(machine.prog.main) == 2  # a tick, then it blocks
    _check_potential(machine, 1000)


def _verify(spec: ast.Spec, **reductions: bool) -> Verification:
    return verify_spec(spec, properties=safety_names(spec),
                       reductions=Reductions(**reductions))


@pytest.mark.parametrize("name", NAMES)
def test_dead_values_keep_verdicts_on_examples_and_zoo(name: str) -> None:
    spec = spec_named(name)
    full, reduced = _verify(spec), _verify(spec, dead_values=True)
    assert_same_verdicts(full, reduced, lengths=True)  # a bisimulation keeps shortest runs
    assert reduced.reduced_by == ("dead-values",)
    both = _verify(spec, symmetry=True, por=True, dead_values=True)
    assert_same_verdicts(full, both, lengths=False)
    assert both.result.stats.states <= _verify(spec, symmetry=True, por=True).result.stats.states
    assert both.reduced_by == ("symmetry", "dead-values", "por")


def test_dead_values_shrink_the_benchmark_family() -> None:
    """procs 2, three workers: measured 144,468 -> 20,247 states with symmetry and POR."""
    spec = _family(2, 2)
    plain = _verify(spec, symmetry=True, por=True)
    reduced = _verify(spec, symmetry=True, por=True, dead_values=True)
    assert_same_verdicts(plain, reduced, lengths=False)
    assert reduced.result.stats.states * 3 < plain.result.stats.states


def test_liveness_runs_are_not_reduced() -> None:
    spec = parse("func main() {\n    work(1)\n}\n")
    v = verify_spec(spec, properties=("terminates", "fork_join"),
                    reductions=Reductions(dead_values=True))
    assert v.reduced_by == ()
    assert any(n.startswith("dead-values: not with terminates") for n in v.not_applied)


# --- forms that forget a live value must be caught ---------------------------------------

def _with_ps(state: tuple, change: Callable[[int, tuple], tuple]) -> tuple:
    ps = tuple(change(p, P) for p, P in enumerate(state[S_PS]))
    return (*state[:S_PS], ps, *state[S_PS + 1:])


def _set(P: tuple, i: int, v: int) -> tuple:
    return (*P[:i], v, *P[i + 1:])


def _every_slice(state: tuple) -> tuple:
    """Zeroes the slice of a P that runs a G too."""
    return _with_ps(state, lambda _p, P: _set(P, P_SLICE, 0))


def _scheduling_slice(state: tuple) -> tuple:
    """Zeroes the slice while the P's M schedules, even with a runnext G to inherit it."""
    ms = state[S_MS]

    def change(_p: int, P: tuple) -> tuple:
        if P[P_M] != NO and ms[P[P_M]][M_STATE_] in (M_SEARCH, M_GIVEUP):
            return _set(P, P_SLICE, 0)
        return P

    return _with_ps(state, change)


def _every_tick(state: tuple) -> tuple:
    """Sets every tick above 1 to 1, with no regard for the potential."""
    return _with_ps(state, lambda _p, P: _set(P, P_TICK, min(P[P_TICK], 1)))


@pytest.mark.parametrize("mutant", [_every_slice, _scheduling_slice, _every_tick])
def test_forgetting_a_live_value_is_caught(mutant: Form) -> None:
    specs_ = [_family(2, 2, "    global_check = 3\n"), spec_named("preempt_spin.gos")]
    assert any(_mismatch(build(s), mutant) is not None for s in specs_)


def test_cli_dead_values_flag() -> None:
    path = str(ROOT / "spec" / "examples" / "syscall_handoff.gos")
    args = ["verify", "--json", "--symmetry", "--por", "--property", "syscall_handoff",
            "--property", "no_deadlock"]
    runner = CliRunner()
    plain = runner.invoke(main, [*args, path])
    reduced = runner.invoke(main, [*args, "--dead-values", path])
    assert plain.exit_code == reduced.exit_code == 0
    a, b = json.loads(plain.output), json.loads(reduced.output)
    assert [p["verdict"] for p in a["properties"]] == [p["verdict"] for p in b["properties"]]
    assert "dead-values" in b["stats"]["reductions"]["applied"]
    assert b["stats"]["states"] < a["stats"]["states"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs(SMALL))
def test_dead_values_on_random_specs(spec: ast.Spec) -> None:
    """Random machines (global_check down to 0, small timeslices, per-P timers) and
    programs (loops, select, spawns): same verdicts and shortest lengths, a bisimilar form,
    and a potential that bounds the executes."""
    runs = full_and_reduced(spec, Reductions(dead_values=True))
    if runs is None:
        return
    full, reduced = runs
    assert_same_verdicts(full, reduced, lengths=True)
    machine = full.machine
    assert _mismatch(machine, DeadValues(machine), limit=1500) is None
    _check_potential(machine, 1500)
