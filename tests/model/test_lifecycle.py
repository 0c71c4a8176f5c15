"""Start, `go`, program end, deadlock and the thread limit (model.md "State", "Program end",
"Thread limit"), and the reachable-state counts of tiny specs, pinned so that later
reductions can be compared with the plain model."""

import pytest

from gocheck.model.state import (
    DEAD,
    M_RUNNING,
    M_SEARCH,
    M_UNBORN,
    NO,
    P_IDLE,
    P_RUNNING,
    RUNNABLE,
    RUNNING,
    WAITING,
)

from .builders import (
    View,
    add,
    call,
    case_recv,
    close,
    done,
    forever,
    go,
    gosched,
    lock,
    machine,
    moves,
    netread,
    reachable,
    recv,
    run,
    select,
    send,
    sleep,
    spin,
    step,
    syscall,
    unlock,
    wait,
    work,
)


def test_initial_state_m0_runs_main_on_p0_and_the_other_ps_are_idle_p1_on_top():
    m = machine({"main": [work(1)]}, procs=3)
    v = View(m.initial_state())
    assert (v.g[0].status, len(v.g)) == (RUNNING, 1)
    assert v.m[0] == (M_RUNNING, 0, 0, False)
    assert [M.state for M in v.m[1:]] == [M_UNBORN] * 4  # threads = procs + 2
    assert [(P.status, P.tick, P.slice) for P in v.p] == [
        (P_RUNNING, 0, 0), (P_IDLE, 0, 0), (P_IDLE, 0, 0)]
    assert (v.pidle, v.midle, v.globalq, v.needspin) == ((2, 1), (), (), 0)


def test_an_empty_main_has_ended_before_it_starts():
    m = machine({"main": []})
    assert View(m.initial_state()).ended == 1
    assert moves(m, m.initial_state()) == []


def test_go_puts_the_child_in_runnext_and_wakes_an_idle_p():
    m = machine({"main": [go("w"), go("w"), work(1)], "w": [work(1)]}, procs=3)
    s = step(m, m.initial_state(), "M0", "go w")
    v = View(s)
    assert (v.g[1].status, v.p[0].runnext, v.p[0].slice) == (RUNNABLE, 1, 1)
    assert v.m[1] == (M_SEARCH, 1, NO, True)
    assert v.pidle == (2,)
    # a second go with a spinner about: the first child moves to the ring, nobody is woken
    v = View(step(m, s, "M0", "go w"))
    assert (v.p[0].runnext, v.p[0].ring, v.pidle) == (2, (1,), (2,))


def test_a_child_with_no_step_is_dead_at_once_and_wakes_nobody():
    m = machine({"main": [go("empty"), work(1)], "empty": []})
    v = View(step(m, m.initial_state(), "M0", "go empty"))
    assert v.g[1].status == DEAD
    assert (v.p[0].runnext, v.pidle) == (NO, (1,))


def test_mains_last_step_ends_the_program_and_the_others_stop_where_they_are():
    m = machine({"main": [go("w")], "w": [work(1)]})
    s = step(m, m.initial_state(), "M0", "go w")
    v = View(s)
    assert v.ended == 1
    assert (v.g[0].status, v.g[1].status, v.p[0].runnext) == (DEAD, RUNNABLE, 1)
    assert v.m[1].state == M_SEARCH  # the wakep happened in the same step
    assert moves(m, s) == []


def test_a_g_released_by_its_last_statement_is_dead_at_once():
    m = machine({"main": [go("r"), send("ch"), work(1)], "r": [recv("ch")]},
                chans={"ch": 0}, procs=1, timeslice=5)
    s = run(m, m.initial_state(), ("M0", "go r"), ("M0", "ch <-"), ("M0", "search: runnext"),
            ("M0", "<-ch"))
    v = View(s)
    assert v.g[1].status == DEAD  # its receive released main and finished it
    assert (v.g[0].status, v.p[0].runnext) == (RUNNABLE, 0)


def test_main_released_at_its_last_statement_ends_the_program():
    m = machine({"main": [go("s"), recv("ch")], "s": [send("ch"), work(1)]},
                chans={"ch": 0}, procs=1, timeslice=5)
    s = run(m, m.initial_state(), ("M0", "go s"), ("M0", "<-ch"), ("M0", "search: runnext"),
            ("M0", "ch <-"))
    assert View(s).ended == 1
    assert moves(m, s) == []


def test_deadlock_is_a_state_with_no_step_while_main_has_not_finished():
    m = machine({"main": [go("w"), recv("ch"), work(1)], "w": [work(1)]}, chans={"ch": 0})
    terminal = [s for s in reachable(m) if not m.successors(s)]
    assert terminal
    for s in terminal:
        v = View(s)
        assert (v.ended, v.fatal, v.g[0].status, v.g[1].status) == (0, 0, WAITING, DEAD)
        assert v.spinning == [] and len(v.pidle) == 2


def test_at_the_thread_limit_wakep_only_sets_needspinning():
    # three Ps but two threads: after M1 spins and steals, resetspinning's wakep finds P2
    # idle and no M to give it to
    m = machine({"main": [go("w"), work(2)], "w": [work(1)]}, procs=3, threads=2)
    s = run(m, m.initial_state(), ("M0", "go w"), ("M1", "search: steal runnext from P0"))
    v = View(s)
    assert v.needspin == 1
    assert (v.p[2].status, v.pidle) == (P_IDLE, (2,))
    assert all(M.state != M_UNBORN for M in v.m)


def test_threads_bounds_the_ms_ever_created():
    m = machine({"main": [go("w"), go("w"), syscall(1, block=True), work(1)],
                 "w": [syscall(1), work(1)]}, procs=2, threads=3)
    assert all(len(View(s).m) == 3 for s in reachable(m))


# --- pinned state counts ------------------------------------------------------------------

TINY = {
    "forkjoin": (
        {"main": [add("wg", 1), go("worker"), wait("wg")],
         "worker": [work(1), syscall(1), done("wg")]},
        {"wgs": ("wg",)}, 3073, 912),
    "pingpong": (
        {"main": [go("child"), recv("ch"), send("ch")], "child": [send("ch"), recv("ch")]},
        {"chans": {"ch": 0}}, 2445, 757),
    "mutex_gosched": (
        {"main": [go("w"), lock("mu"), work(1), unlock("mu"), gosched(), work(1)],
         "w": [lock("mu"), unlock("mu")]},
        {"mutexes": ("mu",), "global_check": 4}, 12831, 4251),
    "select_close": (
        {"main": [go("p"), select(case_recv("a"), case_recv("b")), netread()],
         "p": [send("a"), close("b")]},
        {"chans": {"a": 0, "b": 0}}, 8762, 3685),
    "cooperative_spinner": (
        {"main": [go("spinner"), sleep(), work(1)],
         "spinner": [call("f"), forever(spin(1))], "f": [work(1)]},
        {"procs": 1, "preemption": "cooperative", "global_check": 3}, 23, 2),
}


@pytest.mark.parametrize("name", sorted(TINY))
def test_pinned_reachable_state_counts(name):
    funcs, cfg, count, ended = TINY[name]
    m = machine(funcs, **cfg)
    states = reachable(m)
    assert len(states) == count
    terminal = [s for s in states if not m.successors(s)]
    # every run ends with main finished (no deadlock, no fatal error), and fork-join holds
    assert all(View(s).ended and not View(s).fatal for s in terminal)
    assert len(terminal) == ended
    if name in ("forkjoin", "pingpong"):
        assert all(View(s).g[1].status == DEAD for s in terminal)

