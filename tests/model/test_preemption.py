"""sysmon's preemption request, preemption points, preemption and Gosched (model.md "sysmon"
(b), "Preemption points")."""

import pytest

from gocheck.model.state import AT_CALL, M_SEARCH, NO, RUNNABLE, RUNNING

from .builders import (
    G,
    View,
    add,
    call,
    case_recv,
    close,
    forever,
    fresh,
    go,
    gosched,
    held,
    lock,
    loop,
    machine,
    moves,
    netread,
    reachable,
    recv,
    run,
    running,
    select,
    send,
    sleep,
    spin,
    state,
    step,
    syscall,
    unlock,
    wait,
    work,
)

PREEMPT = "M0: preempted: to the global queue"


def test_sysmon_requests_preemption_once_the_slice_is_used_up_and_the_request_is_urgent():
    m = machine({"main": [work(5)]}, procs=1, timeslice=2)
    s = run(m, m.initial_state(), "M0", "M0")
    assert View(s).p[0].slice == 2
    assert moves(m, s) == ["sysmon: preempt request for G0 (slice used up)"]
    s = step(m, s, "sysmon")
    assert View(s).g[0].preempt == 1
    assert moves(m, s) == [PREEMPT]  # async: every boundary


def test_the_slice_saturates_at_timeslice():
    m = machine({"main": [work(5)]}, procs=1, timeslice=1, sysmon=False)
    s = run(m, m.initial_state(), "M0", "M0", "M0")
    assert View(s).p[0].slice == 1


@pytest.mark.parametrize("cfg", [{"preemption": "off"}, {"sysmon": False}])
def test_no_request_with_preemption_off_or_without_sysmon(cfg):
    m = machine({"main": [work(5)]}, procs=1, timeslice=1, **cfg)
    s = step(m, m.initial_state(), "M0")
    assert moves(m, s) == ["M0: work tick"]


def test_urgency_stops_only_the_flagged_gs_m():
    m = machine({"main": [work(5)], "w": [work(5)]}, procs=2)
    s = state(m, gs=[G(0, RUNNING, left=4), fresh(m, "w")],
              ps=[held(0, slice=2), held(1, slice=1)], ms=[running(0, 0), running(1, 1)],
              pidle=())
    assert moves(m, s) == ["M1: work tick (1 of 5)",
                           "sysmon: preempt request for G0 (slice used up)"]


def test_preemption_puts_the_g_on_the_global_queue_and_calls_wakep():
    m = machine({"main": [work(5)]}, procs=2)
    s = state(m, gs=[G(0, RUNNING, left=3, preempt=1)], ps=[held(0, slice=2)],
              ms=[running(0, 0)], globalq=(), pidle=(1,))
    v = View(step(m, s, "M0", "preempted"))
    assert (v.g[0].status, v.g[0].left, v.g[0].preempt) == (RUNNABLE, 3, 0)
    assert v.globalq == (0,)
    assert v.m[0] == (M_SEARCH, 0, NO, False)
    assert v.m[1] == (M_SEARCH, 1, NO, True)  # wakep, as since Go 1.22


def test_scheduling_a_g_clears_its_flag_and_starts_a_new_slice():
    m = machine({"main": [work(5)]}, procs=1, timeslice=2)
    s = run(m, m.initial_state(), "M0", "M0", "sysmon", ("M0", "preempted"))
    v = View(step(m, s, "M0", "search: global queue"))
    assert (v.g[0].status, v.g[0].preempt, v.p[0].slice) == (RUNNING, 0, 0)


def test_the_slice_belongs_to_the_p_and_a_runnext_g_inherits_it():
    spec = {"main": [go("w"), recv("ch")], "w": [send("ch"), work(3)]}
    m = machine(spec, chans={"ch": 0}, procs=1, timeslice=2)
    s = run(m, m.initial_state(), ("M0", "go w"), ("M0", "<-ch"), ("M0", "search: runnext"))
    assert View(s).p[0].slice == 2
    assert moves(m, s) == ["sysmon: preempt request for G1 (slice used up)"]
    m = machine(spec, chans={"ch": 0}, procs=1, timeslice=2, runnext=False)
    s = run(m, m.initial_state(), ("M0", "go w"), ("M0", "<-ch"),
            ("M0", "search: local queue"))
    assert View(s).p[0].slice == 0
    assert moves(m, s) == ["M0: ch <-"]


# --- preemption points --------------------------------------------------------------------

def flagged(m, g: tuple) -> tuple:
    """G0 = g running on P0 with its preemption flag set."""
    g = (*g[:4], 1, g[5])
    return state(m, gs=[g], ps=[held(0, slice=2)], ms=[running(0, 0)], pidle=(1,))


def test_async_preemption_at_any_boundary_even_inside_a_spin():
    m = machine({"main": [spin(3)]})
    assert moves(m, flagged(m, G(0, RUNNING, 0, left=2))) == [PREEMPT]


def test_off_never_preempts_even_a_flagged_g():
    m = machine({"main": [work(3)]}, preemption="off")
    assert moves(m, flagged(m, G(0, RUNNING, 0, left=2))) == ["M0: work tick"]


def test_cooperative_preempts_between_work_ticks_not_inside_a_spin():
    m = machine({"main": [work(3), spin(3), work(1)]}, preemption="cooperative")
    assert moves(m, flagged(m, G(0, RUNNING, 0, left=2))) == [PREEMPT]
    s = flagged(m, G(0, RUNNING, 1, left=2))
    assert moves(m, s) == ["M0: spin tick"]
    s = run(m, s, "M0", "M0")  # the spin ends; the next boundary is before a work tick
    assert moves(m, s) == [PREEMPT]


@pytest.mark.parametrize("stmt", [
    work(1), send("ch"), recv("ch"), close("ch"), lock("mu"), unlock("mu"), add("wg", 1),
    wait("wg"), go("w"), gosched(), sleep(), netread(), syscall(1),
    select(case_recv("ch")),
])
def test_cooperative_safe_points_before_statements(stmt):
    m = machine({"main": [spin(1), stmt], "w": []}, chans={"ch": 1}, mutexes=("mu",),
                wgs=("wg",), preemption="cooperative")
    assert moves(m, flagged(m, G(0, RUNNING, 1))) == [PREEMPT]


def test_cooperative_a_spin_after_a_spin_is_no_safe_point():
    m = machine({"main": [spin(1), spin(1)]}, preemption="cooperative")
    assert moves(m, flagged(m, G(0, RUNNING, 1))) == ["M0: spin tick"]


def test_cooperative_a_spin_reached_through_a_call_is_a_safe_point():
    m = machine({"main": [spin(1), call("f")], "f": [spin(1)]}, preemption="cooperative",
                sysmon=False)
    s = step(m, m.initial_state(), "M0")
    assert View(s).g[0].left == AT_CALL
    assert moves(m, flagged(m, View(s).g[0])) == [PREEMPT]


def test_cooperative_a_goroutines_first_spin_is_no_safe_point():
    # a runnext G inheriting a used-up slice is flagged at once by the urgent sysmon; the
    # runtime's sysmon cannot flag it before it is past its prologue (spec/examples/
    # preempt_spin.gos relies on this)
    m = machine({"main": [spin(2)], "f": [call("g")], "g": [spin(1)]},
                preemption="cooperative")
    g = View(m.initial_state()).g[0]
    assert g.left == 0
    assert moves(m, flagged(m, g)) == ["M0: spin tick"]
    s = step(m, m.initial_state(), "M0")
    assert View(s).g[0].left == 1  # a started spin counts its ticks down
    assert fresh(m, "f")[3] == AT_CALL  # a call on the way still makes it one


def test_cooperative_returning_from_a_call_is_no_safe_point():
    # regression: the compiler made the boundary after an inlined call a safe point
    m = machine({"main": [call("f"), spin(1)], "f": [spin(1)]}, preemption="cooperative")
    s = step(m, m.initial_state(), "M0")
    g = View(s).g[0]
    assert (g.pc, g.left) == (2, 0)
    assert moves(m, flagged(m, g)) == ["M0: spin tick"]


def test_cooperative_a_select_case_body_starts_at_no_safe_point():
    m = machine({"main": [select(case_recv("ch", spin(1)))]}, chans={"ch": 1},
                preemption="cooperative")
    s = state(m, gs=[G(0, RUNNING)], ps=[held(0)], ms=[running(0, 0)], pidle=(1,),
              chans=[(1, 0, (), ())])
    s = step(m, s, "M0", "select case 0")
    assert moves(m, flagged(m, View(s).g[0])) == ["M0: spin tick"]


def test_cooperative_forever_spin_has_no_preemption_point():
    # regression: the loop's first spin inherited the goroutine start's safe point, so every
    # back-edge was one
    m = machine({"main": [forever(spin(1))]}, preemption="cooperative")
    s = step(m, m.initial_state(), "M0")  # one pass: back at the loop's top
    g = View(s).g[0]
    assert (g.pc, g.left) == (0, 0)
    assert moves(m, flagged(m, g)) == ["M0: spin tick"]
    assert step(m, flagged(m, g), "M0") == flagged(m, g)


def test_cooperative_loop_back_edges_are_no_safe_points():
    m = machine({"main": [loop(3, spin(1))]}, preemption="cooperative")
    s = step(m, m.initial_state(), "M0")
    g = View(s).g[0]
    assert (g.pc, g.counters, g.left) == (1, (1,), 0)
    assert moves(m, flagged(m, g)) == ["M0: spin tick"]


def test_cooperative_a_loop_that_calls_has_a_safe_point_every_pass():
    m = machine({"main": [forever(spin(1), call("f"))], "f": []}, preemption="cooperative")
    s = step(m, m.initial_state(), "M0")
    assert View(s).g[0].left == AT_CALL
    assert moves(m, flagged(m, View(s).g[0])) == [PREEMPT]


def test_cooperative_spinner_starves_main_on_one_p():
    # the classic pre-1.14 starvation (fact sheet 5.6): once the spinner runs and main waits
    # in the global queue, main never runs again; async preemption ends it
    spec = {"main": [go("f"), sleep(), work(1)], "f": [forever(spin(1))]}
    for preemption, ends in (("cooperative", False), ("async", True)):
        m = machine(spec, procs=1, preemption=preemption, timeslice=3)
        s = run(m, m.initial_state(), ("M0", "go f"), ("M0", "time.Sleep"),
                ("M0", "search: runnext"), ("M0", "spin"), "sysmon", "timers")
        v = View(s)
        assert (v.globalq, v.g[1].preempt, v.g[1].status) == ((0,), 1, RUNNING)
        assert any(View(x).ended for x in reachable(m, s)) is ends


# --- Gosched ------------------------------------------------------------------------------

def test_gosched_puts_the_g_at_the_global_tail_and_calls_wakep():
    m = machine({"main": [gosched(), work(1)]}, procs=2)
    s = state(m, gs=[G(0, RUNNING)], ps=[held(0, slice=0)], ms=[running(0, 0)],
              globalq=(), pidle=(1,))
    v = View(step(m, s, "M0", "runtime.Gosched"))
    assert (v.g[0].status, v.g[0].pc, v.globalq) == (RUNNABLE, 1, (0,))
    assert v.m[0] == (M_SEARCH, 0, NO, False)
    assert v.m[1] == (M_SEARCH, 1, NO, True)
    assert v.p[0].slice == 1


def test_gosched_without_an_idle_p_sets_needspinning():
    m = machine({"main": [gosched(), work(1)]}, procs=1)
    v = View(step(m, m.initial_state(), "M0"))
    assert (v.globalq, v.needspin) == ((0,), 1)

