"""schedule's three steps (model.md "schedule"): search in the runtime's order, spinning
cap, stealing, give-up and recheck, on hand-made states driven through `successors`."""

import pytest

from gocheck.model.state import (
    M_GIVEUP,
    M_PARKED,
    M_RECHECK,
    M_RUNNING,
    M_SEARCH,
    M_SYSCALL,
    NO,
    P_IDLE,
    P_RUNNING,
    P_SYSCALL,
    RUNNING,
    WAITING,
)

from .builders import G, M, P, View, fresh, held, machine, moves, running, state, step, work


def sched_machine(**cfg):
    return machine({"main": [work(1)], "w": [work(3)]}, **cfg)


def goroutines(m, n: int = 8) -> list[tuple]:
    """G0 (main) parked; G1.. runnable goroutines of `w` at their first action."""
    return [G(0, WAITING)] + [fresh(m, "w")] * (n - 1)


def searching(m, p0: tuple, *, spinning: bool = False, ps=(), ms=(), **kw) -> tuple:
    """M0 holds P0 (as given) and is at schedule's search."""
    return state(m, gs=goroutines(m), ps=[p0, *ps],
                 ms=[M(M_SEARCH, 0, NO, spinning), *ms], **kw)


# --- search order -------------------------------------------------------------------------

def test_search_takes_one_global_g_first_when_the_tick_is_a_multiple_of_global_check():
    m = sched_machine(global_check=4)
    s = searching(m, held(0, tick=0, ring=(3,), runnext=4), globalq=(1, 2), pidle=(1,))
    s = step(m, s, "M0", "search: global queue (fairness check)")
    v = View(s)
    assert (v.m[0].state, v.m[0].g) == (M_RUNNING, 1)
    assert v.globalq == (2,)
    assert (v.p[0].ring, v.p[0].runnext, v.p[0].tick) == ((3,), 4, 1)


def test_search_takes_runnext_before_the_ring_and_inherits_the_slice():
    m = sched_machine(global_check=4)
    s = searching(m, held(0, tick=1, ring=(3,), runnext=4, slice=1), globalq=(1,),
                  pidle=(1,))
    v = View(step(m, s, "M0", "search: runnext"))
    assert v.m[0].g == 4
    assert (v.p[0].runnext, v.p[0].ring, v.p[0].tick, v.p[0].slice) == (NO, (3,), 1, 1)
    assert v.g[4].status == RUNNING


def test_search_takes_the_ring_head_next_and_starts_a_new_slice():
    m = sched_machine(global_check=4)
    s = searching(m, held(0, tick=3, ring=(3, 5), slice=2), globalq=(1,), pidle=(1,))
    v = View(step(m, s, "M0", "search: local queue"))
    assert v.m[0].g == 3
    assert (v.p[0].ring, v.p[0].tick, v.p[0].slice) == ((5,), 0, 0)


def test_search_takes_a_global_batch_when_local_work_is_gone():
    m = sched_machine()
    s = searching(m, held(0), globalq=(1, 2, 3, 4), pidle=(1,))
    v = View(step(m, s, "M0", "search: global queue batch"))
    # min(runq/2 = 2, len = 4, len/procs + 1 = 3) = 2: G1 runs, G2 goes to the ring
    assert (v.m[0].g, v.p[0].ring, v.globalq) == (1, (2,), (3, 4))


def test_search_is_one_step_with_one_successor_when_local_work_exists():
    m = sched_machine()
    s = searching(m, held(0, ring=(3,)), ps=[held(1, ring=(4, 5))],
                  ms=[M(M_SEARCH, 1)], pidle=())
    assert [x for x in moves(m, s) if x.startswith("M0")] == ["M0: search: local queue"]


# --- spinning cap and stealing ------------------------------------------------------------

def test_a_non_spinning_m_with_nothing_to_find_starts_spinning_if_allowed():
    m = sched_machine()
    s = searching(m, held(0), pidle=(1,), needspin=1)  # 2 x 0 < 2 - 1
    v = View(step(m, s, "M0", "search: spinning, nothing to steal"))
    assert v.m[0] == (M_GIVEUP, 0, NO, True)
    assert v.needspin == 0  # becomeSpinning clears it


@pytest.mark.parametrize(("spinners", "allowed"), [(1, True), (2, False)])
def test_spinning_cap_two_spinners_times_two_must_stay_below_busy_ps(spinners, allowed):
    # procs 4, none idle; P3 is in a syscall with a G in its ring (a victim)
    m = sched_machine(procs=4, threads=6)
    others = [M(M_SEARCH, 1, NO, True),
              M(M_SEARCH, 2, NO, True) if spinners == 2 else running(7, 2),
              M(M_SYSCALL, 3, 6)]
    s = searching(m, held(0), ps=[held(1), held(2), P(P_SYSCALL, 3, ring=(5,))], ms=others,
                  pidle=())
    mine = [x for x in moves(m, s) if x.startswith("M0")]
    if allowed:
        assert mine == ["M0: search: steal 1 from P3"]
    else:
        assert mine == ["M0: search: nothing found"]
        assert View(step(m, s, "M0")).m[0] == (M_GIVEUP, 0, NO, False)


def test_steal_takes_half_rounded_up_from_the_head_and_runs_the_last():
    m = sched_machine(procs=3)
    s = searching(m, held(0), ps=[held(1, ring=(1, 2, 3), runnext=4)],
                  ms=[running(5, 1)], pidle=(2,))
    v = View(step(m, s, "M0", "search: steal 2 from P1"))
    assert v.m[0].g == 2
    assert v.p[0].ring == (1,)
    assert (v.p[1].ring, v.p[1].runnext) == ((3,), 4)
    assert v.p[0].tick == 2  # a stolen G does not inherit a slice


def test_steal_one_takes_only_the_head():
    m = sched_machine(procs=3, steal="one")
    s = searching(m, held(0), ps=[held(1, ring=(1, 2, 3))], ms=[running(5, 1)], pidle=(2,))
    v = View(step(m, s, "M0", "search: steal 1 from P1"))
    assert (v.m[0].g, v.p[0].ring, v.p[1].ring) == (1, (), (2, 3))


def test_steal_takes_the_runnext_of_a_victim_with_an_empty_ring():
    m = sched_machine(procs=3)
    s = searching(m, held(0), ps=[held(1, runnext=4)], ms=[running(5, 1)], pidle=(2,))
    v = View(step(m, s, "M0", "search: steal runnext from P1"))
    assert (v.m[0].g, v.p[1].runnext) == (4, NO)


def test_one_successor_per_victim_syscall_ps_included_idle_ps_excluded():
    m = sched_machine(procs=4, threads=6)
    s = searching(m, held(0), ps=[held(1, ring=(1,)), P(P_SYSCALL, 2, runnext=2),
                                  P(P_IDLE, ring=(3,))],  # (an idle P never has work)
                  ms=[running(5, 1), M(M_SYSCALL, 2, 6)], pidle=(3,))
    assert [x for x in moves(m, s) if x.startswith("M0")] == [
        "M0: search: steal 1 from P1", "M0: search: steal runnext from P2"]


def test_steal_off_finds_no_victim():
    m = sched_machine(procs=3, steal="off")
    s = searching(m, held(0), ps=[held(1, ring=(1, 2))], ms=[running(5, 1)], pidle=(2,))
    assert [x for x in moves(m, s) if x.startswith("M0")] == [
        "M0: search: spinning, nothing to steal"]


def test_the_last_spinner_that_steals_wakes_another_spinner():
    m = sched_machine(procs=3)
    s = searching(m, held(0), spinning=True, ps=[held(1, ring=(1, 2))],
                  ms=[running(5, 1)], pidle=(2,))
    v = View(step(m, s, "M0", "search: steal 1 from P1"))
    assert v.m[0] == (M_RUNNING, 0, 1, False)
    assert v.m[2] == (M_SEARCH, 2, NO, True)  # wakep: P2 to a new spinning M
    assert v.pidle == ()


def test_a_thief_that_starts_spinning_clears_needspinning():
    m = sched_machine(procs=3)
    s = searching(m, held(0), ps=[held(1, ring=(1, 2)), held(2)],
                  ms=[running(5, 1), running(6, 2)], pidle=(), needspin=1)
    v = View(step(m, s, "M0", "search: steal 1 from P1"))
    # becomeSpinning cleared the flag; resetspinning's wakep found no idle P and set it again
    assert v.needspin == 1
    s = searching(m, held(0), ps=[held(1, ring=(1, 2))], ms=[running(5, 1)], pidle=(2,),
                  needspin=1)
    v = View(step(m, s, "M0", "search: steal 1 from P1"))
    assert v.needspin == 0
    assert v.spinning == [2]


def test_an_m_that_already_spins_leaves_needspinning_set_when_it_steals():
    # regression: the model cleared the flag whenever an M stole; the runtime calls
    # becomeSpinning (which clears it) only for an M that was not spinning yet
    m = sched_machine(procs=3)
    s = searching(m, held(0), spinning=True, ps=[held(1, ring=(1, 2))],
                  ms=[running(5, 1), M(M_SEARCH, 2, NO, True)], pidle=(), needspin=1)
    v = View(step(m, s, "M0", "search: steal 1 from P1"))
    assert v.needspin == 1
    s = searching(m, held(0), spinning=True, ps=[held(1)],
                  ms=[running(5, 1)], pidle=(2,), needspin=1)
    v = View(step(m, s, "M0", "search: spinning, nothing to steal"))
    assert v.needspin == 1


# --- give up ------------------------------------------------------------------------------

def giving_up(m, *, spinning: bool, **kw) -> tuple:
    return state(m, gs=goroutines(m), ps=[held(0)], ms=[M(M_GIVEUP, 0, NO, spinning)], **kw)


def test_give_up_takes_a_global_batch_and_the_last_spinner_wakes_another():
    m = sched_machine()
    s = giving_up(m, spinning=True, globalq=(1, 2, 3), pidle=(1,))
    v = View(step(m, s, "M0", "give up: global queue batch"))
    assert (v.m[0].g, v.p[0].ring, v.globalq) == (1, (2,), (3,))
    assert v.m[0].spinning is False
    assert v.m[1] == (M_SEARCH, 1, NO, True)


def test_give_up_with_needspinning_makes_a_non_spinning_m_spin_and_search_again():
    m = sched_machine()
    s = giving_up(m, spinning=False, pidle=(1,), needspin=1)
    v = View(step(m, s, "M0", "give up: needspinning, spin again"))
    assert v.m[0] == (M_SEARCH, 0, NO, True)
    assert v.needspin == 0


def test_give_up_of_a_spinning_m_ignores_needspinning_and_goes_to_recheck():
    m = sched_machine()
    s = giving_up(m, spinning=True, pidle=(1,), needspin=1)
    v = View(step(m, s, "M0", "give up: release P0, stop spinning"))
    assert v.m[0] == (M_RECHECK, NO, NO, False)
    assert (v.p[0].status, v.pidle, v.needspin) == (P_IDLE, (1, 0), 1)


def test_give_up_of_a_non_spinning_m_releases_the_p_and_parks_without_recheck():
    m = sched_machine()
    s = giving_up(m, spinning=False, pidle=(1,))
    v = View(step(m, s, "M0", "give up: release P0, park"))
    assert v.m[0] == (M_PARKED, NO, NO, False)
    assert (v.pidle, v.midle) == ((1, 0), (0,))


# --- recheck ------------------------------------------------------------------------------

def rechecking(m, ps, ms=(), **kw) -> tuple:
    return state(m, gs=goroutines(m), ps=ps, ms=[M(M_RECHECK), *ms], **kw)


def test_recheck_with_global_work_and_an_idle_p_takes_the_p_and_spins():
    m = sched_machine(procs=3)
    s = rechecking(m, [P(), held(1)], ms=[running(5, 1)], globalq=(2,), pidle=(2, 0),
                   needspin=1)
    v = View(step(m, s, "M0", "recheck: work, take idle P0, spin"))
    assert v.m[0] == (M_SEARCH, 0, NO, True)
    assert (v.p[0].status, v.p[0].m, v.pidle, v.needspin) == (P_RUNNING, 0, (2,), 0)


@pytest.mark.parametrize("busy", [held(1, runnext=2), P(P_SYSCALL, 1, ring=(2,))])
def test_recheck_sees_local_work_of_running_and_syscall_ps(busy):
    m = sched_machine(procs=2)
    status = M(M_SYSCALL, 1, 5) if busy[0] == P_SYSCALL else running(5, 1)
    s = rechecking(m, [P(), busy], ms=[status], pidle=(0,))
    v = View(step(m, s, "M0", "recheck: work, take idle P0, spin"))
    assert v.m[0] == (M_SEARCH, 0, NO, True)


def test_recheck_with_work_and_no_idle_p_sets_needspinning_and_parks():
    m = sched_machine(procs=1)
    s = rechecking(m, [held(1, ring=(2,))], ms=[running(5, 0)], pidle=())
    v = View(step(m, s, "M0", "recheck: work, no idle P: needspinning, park"))
    assert v.m[0] == (M_PARKED, NO, NO, False)
    assert (v.needspin, v.midle) == (1, (0,))


def test_recheck_with_nothing_parks():
    m = sched_machine()
    s = rechecking(m, [P(), held(1)], ms=[running(5, 1)], pidle=(0,))
    v = View(step(m, s, "M0", "recheck: nothing, park"))
    assert (v.m[0].state, v.needspin, v.midle, v.pidle) == (M_PARKED, 0, (0,), (0,))

