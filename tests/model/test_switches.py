"""The machine keys that restore historical scheduler rules (bug-zoo.md, docs/bugs.md): each
default is today's rule (the other model tests), and the other value is the old rule."""

from __future__ import annotations

from dataclasses import fields

import pytest

from gocheck.lang.machine_keys import KEYS
from gocheck.model.config import MachineConfig
from gocheck.model.state import (
    G_PREEMPT,
    M_GIVEUP,
    M_P,
    M_PARKED,
    M_RECHECK,
    M_RECHECK_IDLE,
    M_SEARCH,
    NO,
    P_IDLE,
    P_M,
    P_RUNNING,
    WAITING,
)

from .builders import (
    G,
    M,
    View,
    config,
    fresh,
    go,
    gosched,
    held,
    machine,
    moves,
    running,
    state,
    step,
    syscall,
    work,
)

SWITCHES = {"recheck": "needspinning", "recheck_order": "stop_first",
            "runq_empty": "with_runnext", "runnext_without_sysmon": False,
            "gosched_wakep": True, "retake_slice_check": "urgent", "timer_steal": "any"}


def sched_machine(**cfg):
    return machine({"main": [work(1)], "w": [work(3)]}, **cfg)


def goroutines(m, n: int = 8) -> list[tuple]:
    return [G(0, WAITING)] + [fresh(m, "w")] * (n - 1)


def test_switch_defaults_are_todays_rules_in_the_table_and_the_config():
    defaults = {f.name: f.default for f in fields(MachineConfig) if f.name in SWITCHES}
    assert defaults == SWITCHES
    assert config() == config(**SWITCHES)
    for name, value in SWITCHES.items():
        table = KEYS[name].default
        assert table == (value if isinstance(value, str) else ("on" if value else "off"))


# --- recheck ------------------------------------------------------------------------------

def test_recheck_all_a_non_spinning_m_rechecks_and_takes_the_p_back_not_spinning():
    """Go <= 1.16 (#43997): the cap forbade stealing, so the M drops and retakes its P."""
    m = sched_machine(procs=4, recheck="all")
    s = state(m, gs=goroutines(m), ps=[held(0), held(1, runnext=4), held(2), held(3)],
              ms=[M(M_GIVEUP, 0), running(5, 1), M(M_SEARCH, 2, NO, True),
                  M(M_SEARCH, 3, NO, True)], pidle=())
    v = View(s := step(m, s, "M0", "give up: release P0, recheck"))
    assert (v.m[0].state, v.pidle) == (M_RECHECK_IDLE, (0,))
    v = View(s := step(m, s, "M0", "recheck: work, take idle P0"))
    assert v.m[0] == (M_SEARCH, 0, NO, False)
    assert "M0: search: nothing found" in moves(m, s)


def test_recheck_needspinning_a_non_spinning_m_parks_without_recheck():
    m = sched_machine(procs=2)
    s = state(m, gs=goroutines(m), ps=[held(0), held(1, runnext=4)],
              ms=[M(M_GIVEUP, 0), running(5, 1)], pidle=())
    v = View(step(m, s, "M0", "give up: release P0, park"))
    assert v.m[0].state == M_PARKED


def test_recheck_spinning_work_and_no_idle_p_wakes_nobody():
    """Go 1.17-1.19 (#45867): no needspinning flag."""
    m = sched_machine(procs=1, recheck="spinning")
    s = state(m, gs=goroutines(m), ps=[held(1, ring=(2,))], ms=[M(M_RECHECK), running(5, 0)],
              pidle=())
    v = View(step(m, s, "M0", "recheck: work, no idle P, park"))
    assert (v.m[0].state, v.needspin) == (M_PARKED, 0)


@pytest.mark.parametrize("recheck", ["spinning", "all"])
def test_without_needspinning_wakep_with_no_idle_p_sets_no_flag(recheck):
    m = machine({"main": [go("w"), work(1)], "w": [work(1)]}, procs=1, recheck=recheck)
    assert View(step(m, m.initial_state(), "M0", "go w")).needspin == 0


# --- recheck_order ------------------------------------------------------------------------

def test_recheck_first_looks_while_spinning_then_stops_without_looking():
    m = sched_machine(procs=2, recheck_order="recheck_first")
    s = state(m, gs=goroutines(m), ps=[held(0), held(1)],
              ms=[M(M_GIVEUP, 0, NO, True), running(5, 1)], pidle=())
    v = View(step(m, s, "M0", "give up: recheck while spinning: nothing"))
    assert v.m[0] == (M_RECHECK, 0, NO, True)  # still spinning, still holding P0
    # work arrives now: the submitter saw a spinner; the stop does not look again
    s = state(m, gs=goroutines(m), ps=[held(0), held(1, runnext=4)],
              ms=[M(M_RECHECK, 0, NO, True), running(5, 1)], pidle=())
    v = View(step(m, s, "M0", "stop: release P0, stop spinning, park"))
    assert (v.m[0].state, v.pidle, v.p[1].runnext) == (M_PARKED, (0,), 4)


def test_recheck_first_with_work_searches_again():
    m = sched_machine(procs=2, recheck_order="recheck_first")
    s = state(m, gs=goroutines(m), ps=[held(0), held(1, runnext=4)],
              ms=[M(M_GIVEUP, 0, NO, True), running(5, 1)], pidle=())
    v = View(step(m, s, "M0", "give up: recheck while spinning: work, search again"))
    assert v.m[0] == (M_SEARCH, 0, NO, True)


# --- runq_empty ---------------------------------------------------------------------------

def test_ring_only_emptiness_hands_a_p_with_runnext_work_to_a_spinning_m():
    """#10573: handoffp calls the P empty; no spinner and no idle P -> a spinning M."""
    m = machine({"main": [go("w"), syscall(1, block=True)], "w": [work(1)]}, procs=1,
                runq_empty="ring_only")
    s = step(m, m.initial_state(), "M0", "go w")
    v = View(step(m, s, "M0", "enter syscall"))
    spinner = v.m[v.p[0].m]
    assert (spinner.spinning, v.p[0].runnext) == (True, 1)


def test_ring_only_emptiness_puts_a_p_with_runnext_work_on_the_idle_list():
    m = machine({"main": [go("w"), syscall(1, block=True)], "w": [work(1)]},
                runq_empty="ring_only")
    s = step(m, m.initial_state(), "M0", "go w")  # wakes a spinner on P1
    v = View(step(m, s, "M0", "enter syscall"))
    assert (v.p[0].status, v.p[0].runnext, v.pidle) == (P_IDLE, 1, (0,))


# --- runnext_without_sysmon -----------------------------------------------------------------

@pytest.mark.parametrize(("switch", "runnext", "ring"), [(False, NO, (1,)), (True, 1, ())])
def test_without_sysmon_runnext_is_ignored_unless_the_switch_is_on(switch, runnext, ring):
    """Go 1.23 (#65178): no sysmon, no runnext."""
    m = machine({"main": [go("w"), work(1)], "w": [work(1)]}, procs=1, sysmon=False,
                runnext_without_sysmon=switch)
    v = View(step(m, m.initial_state(), "M0", "go w"))
    assert (v.p[0].runnext, v.p[0].ring) == (runnext, ring)


def test_with_sysmon_the_switch_changes_nothing():
    m = machine({"main": [go("w"), work(1)], "w": [work(1)]}, procs=1)
    assert View(step(m, m.initial_state(), "M0", "go w")).p[0].runnext == 1


# --- gosched_wakep --------------------------------------------------------------------------

@pytest.mark.parametrize(("switch", "woken"), [(True, P_RUNNING), (False, P_IDLE)])
def test_gosched_wakes_an_idle_p_only_with_the_switch_on(switch, woken):
    """Go >= 1.22 calls wakep in goschedImpl (#55160); Go <= 1.21 did not."""
    m = machine({"main": [gosched(), work(1)]}, gosched_wakep=switch)
    v = View(step(m, m.initial_state(), "M0", "runtime.Gosched"))
    assert (v.globalq, v.p[1].status) == ((0,), woken)


# --- retake_slice_check -------------------------------------------------------------------

def sampled(mode: str):
    return machine({"main": [go("w"), syscall(1), syscall(1)], "w": [work(1)]}, procs=1,
                   retake_slice_check=mode)


def test_urgent_sysmon_keeps_the_p_tuple_and_sampling_adds_two_flags():
    assert len(View(sched_machine().initial_state()).p[0]) == 6
    s = sampled("all").initial_state()
    assert len(s[1][0]) == 8


def test_running_only_sees_a_new_syscall_and_does_not_retake():
    """#28701: a look in each new syscall only records its syscalltick."""
    m = sampled("running_only")
    s = step(m, step(m, m.initial_state(), "M0", "go w"), "M0", "enter syscall")
    assert moves(m, s)[-1] == "sysmon: sample P0: a new syscall"
    s = step(m, s, "sysmon")
    assert moves(m, s)[-1] == "sysmon: sample P0: retake from M0"  # the same syscall again
    s = step(m, step(m, s, "M0", "syscall tick"), "M0", "exit syscall")
    s = step(m, s, "M0", "enter syscall")
    assert moves(m, s)[-1] == "sysmon: sample P0: a new syscall"


def test_all_retakes_a_syscall_p_whose_slice_was_seen_before():
    """tip's sysretake: the same schedtick on two looks -> preempt and retake."""
    m = sampled("all")
    s = step(m, step(m, m.initial_state(), "M0", "go w"), "M0", "enter syscall")
    s = step(m, s, "sysmon", "sample P0: a new slice, a new syscall")
    s = step(m, step(m, s, "M0", "syscall tick"), "M0", "exit syscall")
    s = step(m, s, "M0", "enter syscall")
    s = step(m, s, "sysmon", "sample P0: the same slice: preempt, retake from M0")
    main, p0, m0 = s[0][0], s[1][0], s[2][0]
    assert (main[G_PREEMPT], m0[M_P], p0[P_M]) == (1, NO, 1)  # M1 runs w on P0
