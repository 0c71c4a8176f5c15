"""Syscalls and sysmon's retake (model.md "Syscalls", "sysmon" (a), "Thread limit")."""

import pytest

from gocheck.model.state import (
    M_PARKED,
    M_RUNNING,
    M_SEARCH,
    M_SYSCALL,
    NO,
    P_IDLE,
    P_RUNNING,
    P_SYSCALL,
    RUNNABLE,
    RUNNING,
    SYSCALL,
)

from .builders import (
    M,
    P,
    View,
    fresh,
    go,
    held,
    machine,
    moves,
    run,
    running,
    state,
    step,
    syscall,
    work,
)


def test_entry_puts_the_g_m_and_p_in_syscall_state_linked_together():
    m = machine({"main": [syscall(2), work(1)]})
    v = View(step(m, m.initial_state(), "M0", "enter syscall"))
    assert (v.g[0].status, v.g[0].left) == (SYSCALL, 2)
    assert v.m[0] == (M_SYSCALL, 0, 0, False)
    assert (v.p[0].status, v.p[0].m) == (P_SYSCALL, 0)


def test_each_tick_is_a_step_of_the_m_then_the_exit_keeps_the_old_p():
    m = machine({"main": [syscall(2), work(1)]})  # P1 idle: no retake without local work
    s = step(m, m.initial_state(), "M0", "enter syscall")
    assert moves(m, s) == ["M0: syscall tick"]
    s = step(m, s, "M0", "syscall tick")
    assert moves(m, s) == ["M0: syscall tick"]
    s = step(m, s, "M0", "syscall tick")
    assert View(s).g[0].left == 0
    v = View(step(m, s, "M0", "exit syscall: P0 kept"))
    assert (v.g[0].status, v.m[0], v.p[0].status) == (RUNNING, (M_RUNNING, 0, 0, False),
                                                      P_RUNNING)


def test_a_block_syscall_hands_the_p_off_in_the_entry_step():
    m = machine({"main": [syscall(1, block=True), work(1)]})
    v = View(step(m, m.initial_state(), "M0", "enter syscall (block)"))
    # no work anywhere and P1 idle: handoffp idles P0
    assert v.m[0] == (M_SYSCALL, NO, 0, False)
    assert (v.p[0].status, v.pidle) == (P_IDLE, (1, 0))


def test_a_block_syscall_with_local_work_hands_the_p_to_a_new_m():
    m = machine({"main": [go("w"), syscall(1, block=True), work(1)], "w": [work(1)]},
                procs=1)
    s = run(m, m.initial_state(), ("M0", "go w"), ("M0", "enter syscall (block)"))
    v = View(s)
    assert v.m[1] == (M_SEARCH, 0, NO, False)
    assert (v.p[0].status, v.p[0].m, v.p[0].runnext) == (P_RUNNING, 1, 1)


def test_handoff_off_makes_a_block_syscall_a_plain_one():
    m = machine({"main": [syscall(1, block=True), work(1)]}, handoff=False)
    v = View(step(m, m.initial_state(), "M0", "enter syscall (block)"))
    assert v.m[0] == (M_SYSCALL, 0, 0, False)
    assert (v.p[0].status, v.p[0].m) == (P_SYSCALL, 0)


def test_exit_takes_an_idle_p_when_the_old_one_is_gone():
    m = machine({"main": [syscall(1, block=True), work(1)]}, procs=3)
    s = run(m, m.initial_state(), ("M0", "enter syscall (block)"), ("M0", "syscall tick"))
    assert View(s).pidle == (2, 1, 0)
    v = View(step(m, s, "M0", "exit syscall: idle P0"))
    assert v.m[0] == (M_RUNNING, 0, 0, False)
    assert (v.pidle, v.g[0].status) == ((2, 1), RUNNING)


def test_exit_with_no_p_puts_the_g_on_the_global_queue_and_parks_the_m():
    m = machine({"main": [go("w"), syscall(2), work(1)], "w": [work(1)]}, procs=1)
    s = run(m, m.initial_state(), ("M0", "go w"), ("M0", "enter syscall"),
            ("M0", "syscall tick"))
    # urgency: with the retake enabled, the syscall takes no further tick
    assert moves(m, s) == ["sysmon: retake P0 from M0 in syscall"]
    s = step(m, s, "sysmon")
    v = View(s)
    assert v.m[0] == (M_SYSCALL, NO, 0, False)
    assert v.m[1] == (M_SEARCH, 0, NO, False)  # handoffp: local work -> an M schedules
    s = step(m, s, "M0", "syscall tick")
    v = View(step(m, s, "M0", "exit syscall: no P, G to the global queue, M parks"))
    assert (v.g[0].status, v.g[0].pc, v.globalq) == (RUNNABLE, 2, (0,))
    assert (v.m[0].state, v.midle) == (M_PARKED, (0,))


def test_retake_without_local_work_needs_no_idle_p_and_no_spinner():
    m = machine({"main": [syscall(2), work(1)]}, procs=1)
    s = run(m, m.initial_state(), ("M0", "enter syscall"), ("M0", "syscall tick"))
    assert moves(m, s) == ["sysmon: retake P0 from M0 in syscall"]
    v = View(step(m, s, "sysmon"))
    assert v.m[1] == (M_SEARCH, 0, NO, True)  # handoffp: no spinner, no idle P -> spin


def test_no_retake_while_a_p_is_idle_or_an_m_spins_and_there_is_no_local_work():
    m = machine({"main": [syscall(3)], "w": [work(1)]}, procs=2)
    g1 = fresh(m, "w")
    syscalling = M(M_SYSCALL, 0, 0)
    in_syscall = (0, SYSCALL, 0, 1, 0, ())  # two of three ticks done
    s = state(m, gs=[in_syscall], ps=[P(P_SYSCALL, 0)], ms=[syscalling], pidle=(1,))
    assert moves(m, s) == ["M0: syscall tick"]
    s = state(m, gs=[in_syscall, g1], ps=[P(P_SYSCALL, 0), held(1)],
              ms=[syscalling, M(M_SEARCH, 1, NO, True)], pidle=())
    assert "sysmon: retake P0 from M0 in syscall" not in moves(m, s)
    s = state(m, gs=[in_syscall, g1], ps=[P(P_SYSCALL, 0), held(1)],
              ms=[syscalling, running(1, 1)], pidle=())
    assert moves(m, s) == ["M1: work tick", "sysmon: retake P0 from M0 in syscall"]


@pytest.mark.parametrize(("delay", "ticks_before_retake"), [(0, 0), (1, 1), (2, 2)])
def test_retake_waits_for_sysmon_delay_ticks(delay, ticks_before_retake):
    m = machine({"main": [go("w"), syscall(3), work(1)], "w": [work(1)]}, procs=1,
                sysmon_delay=delay)
    s = run(m, m.initial_state(), ("M0", "go w"), ("M0", "enter syscall"))
    for _ in range(ticks_before_retake):
        assert moves(m, s) == ["M0: syscall tick"]
        s = step(m, s, "M0", "syscall tick")
    assert moves(m, s) == ["sysmon: retake P0 from M0 in syscall"]


def test_the_syscall_exit_races_the_retake():
    m = machine({"main": [go("w"), syscall(1), work(1)], "w": [work(1)]}, procs=1)
    s = run(m, m.initial_state(), ("M0", "go w"), ("M0", "enter syscall"),
            ("M0", "syscall tick"))
    assert moves(m, s) == ["M0: exit syscall: P0 kept", "sysmon: retake P0 from M0 in syscall"]


def test_sysmon_off_never_retakes():
    m = machine({"main": [go("w"), syscall(2), work(1)], "w": [work(1)]}, procs=1,
                sysmon=False)
    s = run(m, m.initial_state(), ("M0", "go w"), ("M0", "enter syscall"),
            ("M0", "syscall tick"))
    assert moves(m, s) == ["M0: syscall tick"]


def test_thread_limit_keeps_a_block_syscalls_p_and_disables_the_retake():
    m = machine({"main": [go("w"), syscall(2, block=True), work(1)], "w": [work(1)]},
                procs=1, threads=1)
    s = run(m, m.initial_state(), ("M0", "go w"), ("M0", "enter syscall (block)"))
    v = View(s)
    assert (v.p[0].status, v.p[0].m, v.m[0].p) == (P_SYSCALL, 0, 0)
    s = step(m, s, "M0", "syscall tick")
    assert moves(m, s) == ["M0: syscall tick"]  # the retake would need an M


def test_retake_uses_a_parked_m_at_the_thread_limit():
    m = machine({"main": [syscall(3)], "w": [work(1)]}, procs=1, threads=2)
    s = state(m, gs=[(0, SYSCALL, 0, 2, 0, ()), fresh(m, "w")],
              ps=[P(P_SYSCALL, 0, runnext=1)], ms=[M(M_SYSCALL, 0, 0), M(M_PARKED)],
              pidle=())
    v = View(step(m, s, "sysmon"))
    assert v.m[1] == (M_SEARCH, 0, NO, False)
    assert v.midle == ()
