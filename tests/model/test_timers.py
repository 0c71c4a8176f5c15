"""Timers: the global actor by default (`timer_steal = any`), per-P heaps with the three ways
a timer fires under `timer_steal = preempt_marked_only` (Go 1.14-1.15, bug-zoo Z9, #38860)."""

from __future__ import annotations

from gocheck.model.state import (
    G_PREEMPT,
    G_STATUS_,
    M_NETPOLL,
    M_PARKED,
    M_RUNNING,
    M_SEARCH,
    NO,
    P_EXPIRED,
    P_IDLE,
    P_RUNNING,
    P_SYSCALL,
    P_TIMERS,
    RUNNABLE,
    RUNNING,
    S_GS,
    S_MS,
    S_PIDLE,
    S_PS,
    WAITING,
)
from gocheck.model.symmetry import canonical

from .builders import (
    M,
    P,
    forever,
    fresh,
    go,
    machine,
    moves,
    reachable,
    run,
    sleep,
    spin,
    state,
    step,
    work,
)

PER_P = {"timer_steal": "preempt_marked_only", "preemption": "off"}


def timed(P_: tuple, timers: tuple = (), expired: tuple = ()) -> tuple:
    """A P with per-P timer fields (the sampling-sysmon flags, unused, are 0)."""
    return (*P_, 0, 0, timers, expired)


def hog_machine(**cfg: object):
    return machine({"main": [sleep(), work(1)], "hog": [forever(spin(1))]}, procs=2,
                   **{**PER_P, **cfg})


def sleeper_and_hog(m, *, hog_marked: bool = False) -> list[tuple]:
    main = fresh(m, "main")
    hog = fresh(m, "hog")
    return [(main[0], WAITING, *main[2:]),
            (hog[0], RUNNING, hog[2], hog[3], int(hog_marked), hog[5])]


# --- the default: one global timer actor, the state layout of model.md -------------------

def test_by_default_timers_are_one_global_actor_and_ps_have_no_timer_fields():
    m = machine({"main": [sleep()]}, procs=1)
    s = step(m, m.initial_state(), "M0", "time.Sleep")
    assert all(len(P_) == 6 for P_ in s[S_PS])
    assert "timers: ready G0" in moves(m, s)


def test_per_p_timers_add_a_sleepers_timer_to_its_ps_heap():
    m = machine({"main": [sleep()]}, procs=1, **PER_P)
    s = step(m, m.initial_state(), "M0", "time.Sleep")
    assert s[S_PS][0][P_TIMERS:] == ((0,), ())
    assert moves(m, s) == ["M0: search: spinning, nothing to steal",
                           "timers: timer of G0 on P0 expires"]
    s = step(m, s, "timers")
    assert s[S_PS][0][P_TIMERS:] == ((), (0,))
    assert s[S_GS][0][G_STATUS_] == WAITING  # expired is not fired


# --- (a) the owner P's schedule -------------------------------------------------------------

def test_the_owner_p_runs_its_expired_timers_first_in_findrunnable():
    m = machine({"main": [go("w"), sleep(), work(1)], "w": [work(2)]}, procs=1, **PER_P)
    s = run(m, m.initial_state(), ("M0", "go w"), ("M0", "time.Sleep"), ("M0", "search"),
            "timers", ("M0", "work"), ("M0", "work"))
    assert moves(m, s) == ["M0: search: run P0's expired timers"]
    s = step(m, s, "M0")
    assert s[S_PS][0][P_EXPIRED] == () and s[S_PS][0][3] == 0  # main in P0's runnext
    assert s[S_GS][0][G_STATUS_] == RUNNABLE
    s = step(m, s, "M0", "search: runnext")
    assert s[S_MS][0][:3] == (M_RUNNING, 0, 0)


# --- (b) a thief in the steal round -----------------------------------------------------

def thief_state(m, *, hog_marked: bool, victim_status: int = P_RUNNING) -> tuple:
    victim = P(P_RUNNING, 0) if victim_status == P_RUNNING else P(victim_status, 0 if
                                                                  victim_status == P_SYSCALL
                                                                  else NO)
    ms = [M(M_RUNNING, 0, 1), M(M_SEARCH, 1, NO, True)]
    return state(m, gs=sleeper_and_hog(m, hog_marked=hog_marked),
                 ps=[timed(victim, expired=(0,)), timed(P(P_RUNNING, 1))], ms=ms,
                 pidle=(0,) if victim_status == P_IDLE else ())


def test_preempt_marked_only_a_thief_skips_a_running_p_whose_g_is_not_marked():
    m = hog_machine()
    s = thief_state(m, hog_marked=False)
    assert [a for a in moves(m, s) if a.startswith("M1")] == [
        "M1: search: spinning, nothing to steal"]


def test_a_thief_runs_the_timers_of_a_running_p_whose_g_is_marked():
    m = hog_machine()
    s = step(m, thief_state(m, hog_marked=True), "M1", "search: steal P0's expired timers")
    assert s[S_PS][0][P_EXPIRED] == ()
    assert (s[S_PS][1][3], s[S_GS][0][G_STATUS_]) == (0, RUNNABLE)  # readied onto the thief's P


def test_a_thief_runs_the_timers_of_an_idle_p():
    m = hog_machine()
    s = state(m, gs=sleeper_and_hog(m), ps=[timed(P(), expired=(0,)), timed(P(P_RUNNING, 1))],
              ms=[M(M_PARKED), M(M_SEARCH, 1, NO, True)], pidle=(0,))
    s = step(m, s, "M1", "search: steal P0's expired timers")
    assert s[S_PS][1][3] == 0 and s[S_PS][0][P_EXPIRED] == ()


# --- (c) the M blocked in netpoll ----------------------------------------------------------

def test_an_m_whose_released_p_holds_a_timer_blocks_in_netpoll_and_wakes_at_its_deadline():
    m = machine({"main": [sleep()]}, procs=1, **PER_P)
    s = run(m, m.initial_state(), ("M0", "time.Sleep"), ("M0", "search: spinning"))
    s = step(m, s, "M0", "give up: release P0, stop spinning")
    s = step(m, s, "M0", "recheck: nothing, block in netpoll")
    assert s[S_MS][0][0] == M_NETPOLL and s[S_PIDLE] == (0,)
    assert moves(m, s) == ["timers: timer of G0 on P0 expires"]  # not due yet
    s = step(m, s, "timers")
    s = step(m, s, "M0", "netpoll: deadline, take idle P0")
    assert s[S_MS][0][:2] == (M_SEARCH, 0) and s[S_PS][0][0] == P_RUNNING
    assert moves(m, s) == ["M0: search: run P0's expired timers"]


def test_an_m_parks_without_deadline_when_the_only_timer_is_on_an_unmarked_running_p():
    m = hog_machine()
    s = state(m, gs=sleeper_and_hog(m), ps=[timed(P(P_RUNNING, 0), timers=(0,)),
                                           timed(P(P_RUNNING, 1))],
              ms=[M(M_RUNNING, 0, 1), M(M_SEARCH, 1, NO, True)], pidle=())
    s = run(m, s, ("M1", "search: spinning"), ("M1", "give up"), ("M1", "recheck: nothing"))
    assert s[S_MS][1][0] == M_PARKED
    s = step(m, s, "timers")
    assert s[S_PS][0][P_EXPIRED] == (0,) and s[S_PS][1][0] == P_IDLE
    assert [a for a in moves(m, s) if not a.startswith("M0")] == []  # nobody fires it


def test_only_one_m_blocks_in_netpoll():
    m = machine({"main": [sleep()], "w": [work(1)]}, procs=2, **PER_P)
    s = state(m, gs=[(fresh(m, "main")[0], WAITING, *fresh(m, "main")[2:])],
              ps=[timed(P(), timers=(0,)), timed(P(P_RUNNING, 1))],
              ms=[M(M_NETPOLL), M(M_SEARCH, 1, NO, True)], pidle=(0,))
    s = run(m, s, ("M1", "search: spinning"), ("M1", "give up"))
    assert step(m, s, "M1", "recheck: nothing, park")[S_MS][1][0] == M_PARKED


def test_the_netpoll_m_with_no_idle_p_parks_again():
    m = hog_machine()
    s = state(m, gs=sleeper_and_hog(m, hog_marked=True),
              ps=[timed(P(P_RUNNING, 0), expired=(0,)), timed(P(P_RUNNING, 2))],
              ms=[M(M_RUNNING, 0, 1), M(M_NETPOLL), M(M_SEARCH, 1, NO, True)], pidle=())
    s = step(m, s, "M1", "netpoll: deadline, no idle P, park")
    assert s[S_MS][1][0] == M_PARKED


# --- symmetry --------------------------------------------------------------------------------

def test_symmetry_renames_the_gs_in_timer_heaps():
    m = machine({"main": [go("s"), go("s"), spin(1)], "s": [sleep()]}, procs=2, **PER_P)
    for s in reachable(m):
        c = canonical(s)
        for P_ in c[S_PS]:
            for g in (*P_[P_TIMERS], *P_[P_EXPIRED]):
                G_ = c[S_GS][g]
                assert G_[G_STATUS_] == WAITING and G_[G_PREEMPT] == 0, (s, c)
