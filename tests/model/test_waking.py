"""wakep, startm, handoffp, resetspinning and pidleput on hand-made worlds (model.md
"runqput ... Then wakep", "handoff of a P", schedule's "A spinning M that finds work")."""

from gocheck.model.sched import handoffp, pidleput, resetspinning, wakep
from gocheck.model.state import (
    M_PARKED,
    M_RUNNING,
    M_SEARCH,
    M_SYSCALL,
    M_UNBORN,
    NO,
    P_IDLE,
    P_RUNNING,
    P_SYSCALL,
    World,
)

from .builders import G, M, P, View, held, machine, running, state


def world(ps=None, ms=None, pidle=None, midle=None, globalq=(), needspin=0, **cfg):
    """Three Ps and five Ms by default: P0 held by M0 running G0, the rest idle/unborn."""
    cfg.setdefault("procs", 3)
    m = machine({"main": []}, **cfg)
    s = state(m, gs=[G()] * 6, ps=ps or [held(0)], ms=ms or [running(0, 0)],
              pidle=pidle, midle=midle, globalq=globalq, needspin=needspin)
    return World(s), m.cfg


# --- wakep --------------------------------------------------------------------------------

def test_wakep_gives_the_top_idle_p_to_a_new_m_that_spins():
    w, cfg = world()
    assert w.pidle == [2, 1]
    wakep(w, cfg)
    v = View(w.freeze())
    assert v.m[1] == (M_SEARCH, 1, NO, True)
    assert (v.p[1].status, v.p[1].m) == (P_RUNNING, 1)
    assert v.pidle == (2,)
    assert v.needspin == 0


def test_wakep_prefers_the_top_parked_m_over_a_new_one():
    w, cfg = world(ms=[running(0, 0), M(M_PARKED), M(M_PARKED)], midle=(1, 2))
    wakep(w, cfg)
    v = View(w.freeze())
    assert v.m[2] == (M_SEARCH, 1, NO, True)
    assert v.midle == (1,)
    assert v.m[3].state == M_UNBORN


def test_wakep_does_nothing_while_an_m_spins():
    w, cfg = world(ps=[held(0), held(1)], ms=[running(0, 0), M(M_SEARCH, 1, NO, True)],
                   pidle=(2,))
    before = w.freeze()
    wakep(w, cfg)
    assert w.freeze() == before


def test_wakep_without_an_idle_p_sets_needspinning():
    w, cfg = world(ps=[held(0), held(1), held(2)],
                   ms=[running(0, 0), running(1, 1), running(2, 2)], pidle=())
    wakep(w, cfg)
    v = View(w.freeze())
    assert v.needspin == 1
    assert v.spinning == []


def test_wakep_off_wakes_nobody_and_sets_nothing():
    w, cfg = world(wakep=False)
    before = w.freeze()
    wakep(w, cfg)
    assert w.freeze() == before
    w, cfg = world(ps=[held(0), held(1), held(2)], pidle=(), wakep=False,
                   ms=[running(0, 0), running(1, 1), running(2, 2)])
    wakep(w, cfg)
    assert w.needspin == 0


def test_wakep_at_the_thread_limit_only_sets_needspinning():
    w, cfg = world(threads=3, ms=[running(0, 0), M(M_SYSCALL, NO, 1), M(M_SYSCALL, NO, 2)])
    wakep(w, cfg)
    v = View(w.freeze())
    assert v.needspin == 1
    assert v.pidle == (2, 1)
    assert [p.status for p in v.p] == [P_RUNNING, P_IDLE, P_IDLE]


# --- handoffp -----------------------------------------------------------------------------

def syscall_world(p1: tuple, globalq=(), pidle=(2,), ms=None, **cfg):
    """P1 is being handed off (its M1 is in a syscall and let go of it)."""
    ms = ms or [running(0, 0), M(M_SYSCALL, NO, 1)]
    return world(ps=[held(0), p1], ms=ms, pidle=pidle, globalq=globalq, **cfg)


def test_handoffp_with_local_work_starts_a_non_spinning_m():
    w, cfg = syscall_world(P(P_SYSCALL, runnext=3))
    handoffp(w, cfg, 1)
    v = View(w.freeze())
    assert v.m[2] == (M_SEARCH, 1, NO, False)
    assert (v.p[1].status, v.p[1].m, v.p[1].runnext) == (P_RUNNING, 2, 3)


def test_handoffp_with_global_work_starts_a_non_spinning_m():
    w, cfg = syscall_world(P(P_SYSCALL), globalq=(4,))
    handoffp(w, cfg, 1)
    assert View(w.freeze()).m[2] == (M_SEARCH, 1, NO, False)


def test_handoffp_without_work_spinner_or_idle_p_starts_a_spinning_m():
    w, cfg = syscall_world(P(P_SYSCALL), pidle=(), needspin=1)
    w.ps[2] = held(3)
    w.ms[3] = running(2, 2)
    handoffp(w, cfg, 1)
    v = View(w.freeze())
    assert v.m[2] == (M_SEARCH, 1, NO, True)
    assert v.needspin == 0


def test_handoffp_idles_the_p_when_another_p_is_idle():
    w, cfg = syscall_world(P(P_SYSCALL, slice=2, tick=5))
    handoffp(w, cfg, 1)
    v = View(w.freeze())
    assert v.pidle == (2, 1)
    assert v.p[1] == (P_IDLE, NO, (), NO, 5, 0)
    assert v.m[2].state == M_UNBORN


def test_handoffp_idles_the_p_when_an_m_spins():
    w, cfg = syscall_world(P(P_SYSCALL), pidle=(),
                           ms=[running(0, 0), M(M_SYSCALL, NO, 1), M(M_SEARCH, 2, NO, True)])
    w.ps[2] = held(2)
    handoffp(w, cfg, 1)
    assert View(w.freeze()).pidle == (1,)


# --- resetspinning, pidleput ------------------------------------------------------------

def test_the_last_spinner_that_finds_work_wakes_another_spinner():
    w, cfg = world(ps=[held(0), held(1)], ms=[running(0, 0), M(M_RUNNING, 1, 2, True)],
                   pidle=(2,))
    resetspinning(w, cfg, 1)
    v = View(w.freeze())
    assert v.m[1].spinning is False
    assert v.m[2] == (M_SEARCH, 2, NO, True)


def test_a_spinner_that_is_not_the_last_wakes_nobody():
    w, cfg = world(ps=[held(0), held(1), held(2)], pidle=(),
                   ms=[running(0, 0), M(M_RUNNING, 1, 2, True), M(M_SEARCH, 2, NO, True)])
    resetspinning(w, cfg, 1)
    v = View(w.freeze())
    assert v.spinning == [2]
    assert v.needspin == 0


def test_the_last_spinner_with_no_idle_p_sets_needspinning():
    # the runtime's resetspinning always calls wakep; pidlegetSpinning's failure sets the flag
    w, cfg = world(ps=[held(0), held(1), held(2)], pidle=(),
                   ms=[running(0, 0), M(M_RUNNING, 1, 2, True), running(3, 2)])
    resetspinning(w, cfg, 1)
    assert View(w.freeze()).needspin == 1


def test_pidleput_puts_the_p_on_top_and_resets_its_slice():
    w, _cfg = world(ps=[held(0, slice=2, tick=4)], pidle=(2, 1))
    pidleput(w, 0)
    v = View(w.freeze())
    assert v.pidle == (2, 1, 0)
    assert v.p[0] == (P_IDLE, NO, (), NO, 4, 0)
