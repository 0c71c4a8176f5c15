"""The symbolic engine's limits: a spent budget or an unmirrored machine switch gives
`unknown` with its reason (never a hang, never a guess), and what BMC covered is reported;
the term sharing that makes building T cheaper leaves T exactly as it was."""

from __future__ import annotations

import contextlib
from dataclasses import MISSING, fields

import pytest

from gocheck.model.config import MachineConfig
from gocheck.model.machine import Machine
from gocheck.symbolic import transition
from gocheck.symbolic.bounds import SWITCHES, Unsupported, check_supported
from gocheck.symbolic.engine import LIVENESS_REASON, check_symbolic
from gocheck.symbolic.transition import Transition
from tests.symbolic.crosscheck import machine_of

FORK_JOIN = """
machine {
    procs = 2
}
var wg sync.WaitGroup
func worker() {
    work(2)
    syscall(1)
    wg.Done()
}
func main() {
    wg.Add(2)
    go worker()
    go worker()
    wg.Wait()
}
"""

SMALL = """
machine {
    procs = 1
    threads = 1
}
func main() {
    work(1)
}
"""


@pytest.mark.parametrize("seconds", [0.5, 4.0])
def test_a_spent_budget_gives_unknown_with_the_time_limit_as_reason(seconds: float) -> None:
    """Whether the limit strikes while T is built (Python) or inside z3 queries (building
    T takes about 1.5 s here, deciding both properties about 7 s)."""
    machine = machine_of(FORK_JOIN)
    result = check_symbolic(machine, ["fork_join", "no_deadlock"], max_seconds=seconds)
    for r in result.properties:
        assert r.verdict == "unknown", r
        assert f"time limit of {seconds:g} s reached" in (r.reason or "")
    assert (result.stats.stop_reason or "").startswith(f"time limit of {seconds:g} s reached")


def test_a_depth_bound_gives_unknown_with_the_depth_covered() -> None:
    machine = machine_of(FORK_JOIN)
    [r] = check_symbolic(machine, ["fork_join"], depth=1).properties
    assert (r.verdict, r.bounded) == ("unknown", 1)
    assert "up to 1 steps" in (r.reason or "")


def test_a_small_program_is_decided_by_k_induction() -> None:
    machine = machine_of(SMALL)
    result = check_symbolic(machine, ["no_deadlock", "fork_join", "terminates"])
    by_name = {r.name: r for r in result.properties}
    for name in ("no_deadlock", "fork_join"):
        assert by_name[name].verdict == "holds"
        assert (by_name[name].proof or "").startswith("k-induction, k=")
    assert (by_name["terminates"].verdict, by_name["terminates"].reason) == (
        "unknown", LIVENESS_REASON)


def _non_default(f: object) -> object:
    """A value of MachineConfig field f other than its default."""
    default = f.default  # type: ignore[attr-defined]
    if isinstance(default, bool):
        return not default
    if isinstance(default, int):
        return default + 1
    return f"not-{default}"


SWITCHES_NOT_MIRRORED = [f for f in fields(MachineConfig)
                         if f.default is not MISSING and f.name not in SWITCHES]


@pytest.mark.parametrize("f", SWITCHES_NOT_MIRRORED, ids=lambda f: f.name)
def test_every_switch_the_encoding_does_not_mirror_is_unsupported(f: object) -> None:
    cfg = machine_of(SMALL).cfg.with_values(**{f.name: _non_default(f)})  # type: ignore
    with pytest.raises(Unsupported, match=f.name):  # type: ignore[attr-defined]
        check_supported(cfg)


def test_an_unsupported_machine_gives_unknown_with_its_reason() -> None:
    machine = machine_of(SMALL)
    cfg = machine.cfg.with_values(timer_steal="preempt_marked_only")
    [r] = check_symbolic(Machine(machine.prog, cfg), ["no_deadlock"]).properties
    assert r.verdict == "unknown"
    assert "timer_steal" in (r.reason or "")


def test_shared_terms_build_the_same_transition_relation(
        monkeypatch: pytest.MonkeyPatch) -> None:
    machine = machine_of(SMALL)
    with_sharing = Transition(machine).formula
    monkeypatch.setattr(transition, "shared", contextlib.nullcontext)
    assert Transition(machine).formula.eq(with_sharing)
