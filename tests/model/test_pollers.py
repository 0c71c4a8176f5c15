"""The netpoller and timers (model.md "The netpoller and timers")."""

import pytest

from gocheck.model.state import (
    DEAD,
    M_PARKED,
    M_SEARCH,
    M_SYSCALL,
    NO,
    RUNNABLE,
    WAITING,
)
from gocheck.model.system import Step

from .builders import (
    G,
    M,
    View,
    fresh,
    held,
    machine,
    moves,
    netread,
    running,
    sleep,
    state,
    step,
    work,
)


def poll_machine(**cfg):
    return machine({"main": [netread(), work(1)], "sleeper": [sleep(), work(1)],
                    "w": [work(9)], "last": [netread()]}, **cfg)


def parked(m, *, ms=None, pidle=(1,), extra=(), globalq=()) -> tuple:
    """G0 parked on the netpoller, G1 on a timer, G2 running on P0 (held by M0)."""
    return state(m, gs=[G(0, WAITING, 0), G(1, WAITING, 0), fresh(m, "w"), *extra],
                 ps=[held(0)], ms=ms or [running(2, 0)], pidle=pidle, globalq=globalq)


def test_netread_and_sleep_park_the_g_and_their_m_schedules():
    m = poll_machine()
    v = View(step(m, m.initial_state(), "M0", "netread"))
    assert v.g[0].status == WAITING
    assert v.m[0] == (M_SEARCH, 0, NO, False)


def test_one_step_per_parked_g_netpoller_first_then_timers():
    m = poll_machine()
    steps = [st for st, _ in m.successors(parked(m))]
    assert [(st.actor, st.action, st.fairness) for st in steps[1:]] == [
        ("netpoller", "ready G0", "netpoller:G0"), ("timers", "ready G1", "timers:G1")]
    assert isinstance(steps[0], Step) and steps[0].actor == "M0"


@pytest.mark.parametrize(("actor", "g"), [("netpoller", 0), ("timers", 1)])
def test_readying_puts_the_g_at_the_global_tail_and_an_idle_p_to_a_non_spinning_m(actor, g):
    m = poll_machine()
    s = parked(m, extra=[fresh(m, "w")], globalq=(3,))
    v = View(step(m, s, actor))
    assert (v.g[g].status, v.g[g].pc) == (RUNNABLE, 1)
    assert v.globalq == (3, g)
    assert v.m[1] == (M_SEARCH, 1, NO, False)
    assert (v.pidle, v.needspin) == ((), 0)


def test_readying_starts_an_m_even_with_wakep_off_and_prefers_a_parked_m():
    m = poll_machine(wakep=False)
    s = parked(m, ms=[running(2, 0), M(M_PARKED), M(M_PARKED)])
    v = View(step(m, s, "netpoller"))
    assert v.m[2] == (M_SEARCH, 1, NO, False)
    assert v.midle == (1,)


@pytest.mark.parametrize("wakep", [True, False])
def test_readying_with_no_idle_p_queues_the_g_and_sets_needspinning(wakep):
    # regression: injectglist's startIdle takes its P with pidlegetSpinning, which sets
    # sched.needspinning when none is idle; the model set nothing
    m = poll_machine(procs=1, wakep=wakep)
    v = View(step(m, parked(m, pidle=()), "timers"))
    assert v.globalq == (1,)
    assert all(mm.state != M_SEARCH for mm in v.m)
    assert v.needspin == 1


def test_readying_at_the_thread_limit_starts_no_m():
    m = poll_machine(threads=2)
    s = parked(m, ms=[running(2, 0), M(M_SYSCALL, NO, 3)],
               extra=[(2, 3, 0, 1, 0, ())])
    v = View(step(m, s, "netpoller"))
    assert v.globalq == (0,)
    assert (v.pidle, v.needspin) == ((1,), 0)


def test_a_g_whose_last_statement_was_the_netread_is_dead_at_once():
    m = poll_machine()
    s = parked(m, extra=[G(3, WAITING, 0)])
    v = View(step(m, s, "netpoller", "ready G3"))
    assert v.g[3].status == DEAD
    assert (v.globalq, v.pidle) == ((), (1,))


def test_main_readied_at_its_end_ends_the_program():
    m = machine({"main": [netread()]})
    s = step(m, m.initial_state(), "M0", "netread")
    s = step(m, s, "netpoller")
    assert View(s).ended == 1
    assert moves(m, s) == []
