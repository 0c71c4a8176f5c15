"""Channels, select, mutexes and WaitGroups (model.md "Synchronisation", language.md)."""

import pytest

from gocheck.model.state import (
    DEAD,
    FATAL_CLOSE_CLOSED,
    FATAL_CLOSE_SENDERS,
    FATAL_NEGATIVE_WG,
    FATAL_SEND_CLOSED,
    FATAL_UNLOCK,
    M_SEARCH,
    NO,
    RUNNABLE,
    RUNNING,
    WAITING,
    waiter,
)

from .builders import (
    G,
    View,
    add,
    case_recv,
    case_send,
    close,
    default,
    done,
    held,
    lock,
    machine,
    moves,
    range_chan,
    recv,
    running,
    select,
    send,
    state,
    step,
    unlock,
    wait,
    work,
)


def on_p0(m, gs, *, chans=None, mutexes=None, wgs=None, pidle=(1,)) -> tuple:
    """G0 (gs[0]) runs on P0 held by M0; the other Gs are as given."""
    return state(m, gs=gs, ps=[held(0)], ms=[running(0, 0)], pidle=pidle, chans=chans,
                 mutexes=mutexes, wgs=wgs)


def g(func: int, status: int, pc: int = 0) -> tuple:
    return G(func, status, pc)


# --- channels -----------------------------------------------------------------------------

CH = {"main": [send("ch"), work(1)], "r": [recv("ch"), work(1)], "s": [send("ch"), work(1)]}


def test_unbuffered_send_to_a_parked_receiver_hands_over_and_readies_it():
    m = machine(CH, chans={"ch": 0})
    s = on_p0(m, [g(0, RUNNING), g(1, WAITING)], chans=[(0, 0, (), (waiter(1, -1),))])
    v = View(step(m, s, "M0", "ch <-"))
    assert v.chans[0] == (0, 0, (), ())
    assert (v.g[1].status, v.g[1].pc) == (RUNNABLE, 1)  # its receive has completed
    assert v.p[0].runnext == 1
    assert v.m[1] == (M_SEARCH, 1, NO, True)  # ready -> wakep
    assert (v.g[0].status, v.g[0].pc) == (RUNNING, 1)


def test_unbuffered_send_with_no_receiver_parks_the_sender():
    m = machine(CH, chans={"ch": 0})
    v = View(step(m, on_p0(m, [g(0, RUNNING)]), "M0", "ch <-"))
    assert v.chans[0] == (0, 0, (waiter(0, -1),), ())
    assert (v.g[0].status, v.g[0].pc) == (WAITING, 0)
    assert v.m[0] == (M_SEARCH, 0, NO, False)


def test_receive_from_a_parked_sender_completes_the_send():
    m = machine({**CH, "main": [recv("ch"), work(1)]}, chans={"ch": 0})
    s = on_p0(m, [g(0, RUNNING), g(2, WAITING)], chans=[(0, 0, (waiter(1, -1),), ())])
    v = View(step(m, s, "M0", "<-ch"))
    assert v.chans[0] == (0, 0, (), ())
    assert (v.g[1].status, v.g[1].pc, v.p[0].runnext) == (RUNNABLE, 1, 1)


def test_buffered_send_fills_the_buffer_then_parks():
    m = machine(CH, chans={"ch": 1})
    v = View(step(m, on_p0(m, [g(0, RUNNING)]), "M0", "ch <-"))
    assert v.chans[0] == (1, 0, (), ())
    assert v.g[0].status == RUNNING
    v = View(step(m, on_p0(m, [g(0, RUNNING)], chans=[(1, 0, (), ())]), "M0", "ch <-"))
    assert v.chans[0] == (1, 0, (waiter(0, -1),), ())


def test_buffered_receive_takes_from_the_buffer_and_lets_a_parked_sender_refill_it():
    m = machine({**CH, "main": [recv("ch"), work(1)]}, chans={"ch": 1})
    v = View(step(m, on_p0(m, [g(0, RUNNING)], chans=[(1, 0, (), ())]), "M0", "<-ch"))
    assert v.chans[0] == (0, 0, (), ())
    s = on_p0(m, [g(0, RUNNING), g(2, WAITING)], chans=[(1, 0, (waiter(1, -1),), ())])
    v = View(step(m, s, "M0", "<-ch"))
    assert v.chans[0] == (1, 0, (), ())
    assert v.g[1].status == RUNNABLE


def test_waiters_are_released_in_fifo_order():
    m = machine(CH, chans={"ch": 0})
    s = on_p0(m, [g(0, RUNNING), g(1, WAITING), g(1, WAITING)],
              chans=[(0, 0, (), (waiter(2, -1), waiter(1, -1)))])
    v = View(step(m, s, "M0", "ch <-"))
    assert v.chans[0] == (0, 0, (), (waiter(1, -1),))
    assert (v.g[2].status, v.g[1].status) == (RUNNABLE, WAITING)


def test_close_wakes_every_receiver_in_order():
    m = machine({**CH, "main": [close("ch"), work(1)]}, chans={"ch": 0})
    s = on_p0(m, [g(0, RUNNING), g(1, WAITING), g(1, WAITING)],
              chans=[(0, 0, (), (waiter(1, -1), waiter(2, -1)))])
    v = View(step(m, s, "M0", "close(ch)"))
    assert v.chans[0] == (0, 1, (), ())
    assert (v.g[1].pc, v.g[2].pc) == (1, 1)
    assert (v.p[0].runnext, v.p[0].ring) == (2, (1,))  # each ready replaces runnext


def test_receive_on_a_closed_channel_continues():
    m = machine({**CH, "main": [recv("ch"), work(1)]}, chans={"ch": 0})
    v = View(step(m, on_p0(m, [g(0, RUNNING)], chans=[(0, 1, (), ())]), "M0", "<-ch"))
    assert (v.g[0].status, v.g[0].pc) == (RUNNING, 1)


def test_range_receives_while_open_and_ends_on_close():
    m = machine({"main": [range_chan("ch", work(1)), work(2)], "c": [close("ch"), work(1)]},
                chans={"ch": 1})
    code = m.prog.functions[0].code
    after = len(code) - 2  # work(2)
    v = View(step(m, on_p0(m, [g(0, RUNNING)], chans=[(1, 0, (), ())]), "M0", "<-ch (range)"))
    assert v.g[0].pc == 1  # the body
    v = View(step(m, on_p0(m, [g(0, RUNNING)], chans=[(0, 1, (), ())]), "M0", "<-ch (range)"))
    assert v.g[0].pc == after
    s = state(m, gs=[g(0, WAITING), g(1, RUNNING)], ps=[held(0)], ms=[running(1, 0)],
              pidle=(1,), chans=[(0, 0, (), (waiter(0, -1),))])
    v = View(step(m, s, "M0", "close(ch)"))
    assert (v.g[0].status, v.g[0].pc) == (RUNNABLE, after)


@pytest.mark.parametrize(("stmt", "chan", "fatal"), [
    (send("ch"), (0, 1, (), ()), FATAL_SEND_CLOSED),
    (close("ch"), (0, 1, (), ()), FATAL_CLOSE_CLOSED),
    (close("ch"), (0, 0, (waiter(1, -1),), ()), FATAL_CLOSE_SENDERS),
])
def test_fatal_channel_errors_end_the_program(stmt, chan, fatal):
    m = machine({**CH, "main": [stmt, work(1)]}, chans={"ch": 0})
    s = step(m, on_p0(m, [g(0, RUNNING), g(2, WAITING)], chans=[chan]), "M0")
    assert View(s).fatal == fatal
    assert moves(m, s) == []


# --- select -------------------------------------------------------------------------------

def sel_machine(*cases):
    return machine({"main": [select(*cases), work(1)], "s": [send("a"), work(1)]},
                   chans={"a": 1, "b": 1})


def test_select_chooses_nondeterministically_among_ready_cases():
    m = sel_machine(case_recv("a", work(3)), case_recv("b", work(4)), default(work(5)))
    s = on_p0(m, [g(0, RUNNING)], chans=[(1, 0, (), ()), (1, 0, (), ())])
    assert moves(m, s) == ["M0: select case 0: <-a", "M0: select case 1: <-b"]
    v = View(step(m, s, "M0", "select case 1"))
    assert v.chans == ((1, 0, (), ()), (0, 0, (), ()))
    assert m.prog.functions[0].code[v.g[0].pc].a == 4


def test_select_default_only_when_no_case_is_ready():
    m = sel_machine(case_recv("a"), case_send("b"), default(work(5)))
    s = on_p0(m, [g(0, RUNNING)], chans=[(0, 0, (), ()), (1, 0, (), ())])
    assert moves(m, s) == ["M0: select: default"]
    v = View(step(m, s, "M0"))
    assert m.prog.functions[0].code[v.g[0].pc].a == 5


def test_select_parks_on_every_channel_in_case_order_and_the_first_completion_wins():
    m = sel_machine(case_recv("a", work(3)), case_send("b", work(4)))
    s = on_p0(m, [g(0, RUNNING)], chans=[(0, 0, (), ()), (1, 0, (), ())])
    v = View(step(m, s, "M0", "select: park"))
    assert v.chans == ((0, 0, (), (waiter(0, 0),)), (1, 0, (waiter(0, 1),), ()))
    assert v.g[0].status == WAITING
    # G1 sends on a: the select completes its case 0 and leaves b's queue
    s = state(m, gs=[v.g[0], g(1, RUNNING)], ps=[held(0)], ms=[running(1, 0)], pidle=(1,),
              chans=list(v.chans))
    v = View(step(m, s, "M0", "a <-"))
    assert v.chans == ((0, 0, (), ()), (1, 0, (), ()))
    assert v.g[0].status == RUNNABLE
    assert m.prog.functions[0].code[v.g[0].pc].a == 3


def test_select_send_case_on_a_closed_channel_is_ready_and_fatal():
    m = sel_machine(case_send("a"), case_recv("b"))
    s = on_p0(m, [g(0, RUNNING)], chans=[(1, 1, (), ()), (0, 0, (), ())])
    assert moves(m, s) == ["M0: select case 0: a <-"]
    assert View(step(m, s, "M0")).fatal == FATAL_SEND_CLOSED


def test_close_releases_a_select_waiter_once_even_with_two_cases_on_the_channel():
    m = machine({"main": [select(case_recv("a", work(3)), case_recv("a", work(4))), work(1)],
                 "c": [close("a"), work(1)]}, chans={"a": 0})
    s = state(m, gs=[g(0, WAITING), g(1, RUNNING)], ps=[held(0)], ms=[running(1, 0)],
              pidle=(1,), chans=[(0, 0, (), (waiter(0, 0), waiter(0, 1)))])
    v = View(step(m, s, "M0", "close(a)"))
    assert v.chans[0] == (0, 1, (), ())
    assert (v.p[0].runnext, v.p[0].ring) == (0, ())
    assert m.prog.functions[0].code[v.g[0].pc].a == 3


def test_empty_select_parks_forever():
    m = machine({"main": [select(), work(1)]}, procs=1)
    s = step(m, m.initial_state(), "M0", "select: park")
    v = View(s)
    assert v.g[0].status == WAITING
    s = step(m, s, "M0", "search: spinning, nothing to steal")
    s = step(m, s, "M0", "give up")
    s = step(m, s, "M0", "recheck: nothing, park")
    assert moves(m, s) == []  # all goroutines are asleep
    assert View(s).ended == 0


# --- mutexes ------------------------------------------------------------------------------

MU = {"main": [lock("mu"), unlock("mu"), work(1)], "w": [lock("mu"), work(1)]}


def test_lock_of_a_free_mutex_takes_it_and_of_a_held_one_parks_fifo():
    m = machine(MU, mutexes=("mu",))
    v = View(step(m, on_p0(m, [g(0, RUNNING)]), "M0", "mu.Lock()"))
    assert (v.mutexes[0], v.g[0].status) == ((1, ()), RUNNING)
    s = on_p0(m, [g(0, RUNNING), g(1, WAITING)], mutexes=[(1, (1,))])
    v = View(step(m, s, "M0", "mu.Lock()"))
    assert v.mutexes[0] == (1, (1, 0))
    assert v.g[0].status == WAITING


def test_unlock_hands_the_mutex_to_the_first_waiter_and_yields_to_it():
    m = machine(MU, mutexes=("mu",))
    s = on_p0(m, [g(0, RUNNING, 1), g(1, WAITING), g(1, WAITING)], mutexes=[(1, (2, 1))])
    s = step(m, s, "M0", "mu.Unlock()")
    v = View(s)
    assert v.mutexes[0] == (1, (1,))
    assert (v.g[2].status, v.g[2].pc, v.p[0].runnext) == (RUNNABLE, 1, 2)
    assert v.g[1].status == WAITING
    # regression: semrelease's direct handoff ends with goyield: the unlocker goes to its
    # P's ring tail (no wakep beyond the waiter's) and the waiter runs next on the slice
    assert (v.g[0].status, v.g[0].pc, v.p[0].ring) == (RUNNABLE, 2, (0,))
    assert v.m[0] == (M_SEARCH, 0, NO, False)
    v = View(step(m, s, "M0", "search: runnext"))
    assert (v.m[0].g, v.p[0].slice, v.p[0].ring) == (2, 1, (0,))


def test_an_unlock_that_ends_the_goroutine_just_hands_over():
    m = machine({"main": [work(1)], "u": [unlock("mu")], "w": [lock("mu"), work(1)]},
                mutexes=("mu",))
    s = state(m, gs=[g(0, WAITING), g(1, RUNNING), g(2, WAITING)], ps=[held(0)],
              ms=[running(1, 0)], pidle=(1,), mutexes=[(1, (2,))])
    v = View(step(m, s, "M0", "mu.Unlock()"))
    assert (v.g[1].status, v.p[0].runnext, v.p[0].ring) == (DEAD, 2, ())
    assert v.m[0].state == M_SEARCH


def test_unlock_without_waiters_frees_the_mutex_and_unlock_of_unlocked_is_fatal():
    m = machine(MU, mutexes=("mu",))
    v = View(step(m, on_p0(m, [g(0, RUNNING, 1)], mutexes=[(1, ())]), "M0", "mu.Unlock()"))
    assert v.mutexes[0] == (0, ())
    s = step(m, on_p0(m, [g(0, RUNNING, 1)]), "M0", "mu.Unlock()")
    assert View(s).fatal == FATAL_UNLOCK
    assert moves(m, s) == []


# --- WaitGroups ---------------------------------------------------------------------------

WG = {"main": [add("wg", 2), done("wg"), wait("wg"), work(1)], "w": [wait("wg"), work(1)]}


def test_add_and_done_count_and_a_negative_counter_is_fatal():
    m = machine(WG, wgs=("wg",))
    v = View(step(m, on_p0(m, [g(0, RUNNING)]), "M0", "wg.Add(2)"))
    assert v.wgs[0] == (2, ())
    v = View(step(m, on_p0(m, [g(0, RUNNING, 1)], wgs=[(2, ())]), "M0", "wg.Done()"))
    assert v.wgs[0] == (1, ())
    s = step(m, on_p0(m, [g(0, RUNNING, 1)]), "M0", "wg.Done()")
    assert View(s).fatal == FATAL_NEGATIVE_WG
    assert moves(m, s) == []


def test_wait_at_zero_continues_and_above_zero_parks():
    m = machine(WG, wgs=("wg",))
    v = View(step(m, on_p0(m, [g(0, RUNNING, 2)]), "M0", "wg.Wait()"))
    assert (v.g[0].status, v.g[0].pc) == (RUNNING, 3)
    v = View(step(m, on_p0(m, [g(0, RUNNING, 2)], wgs=[(1, ())]), "M0", "wg.Wait()"))
    assert (v.g[0].status, v.wgs[0]) == (WAITING, (1, (0,)))


def test_the_counter_reaching_zero_releases_every_waiter():
    m = machine(WG, wgs=("wg",))
    s = on_p0(m, [g(0, RUNNING, 1), g(1, WAITING), g(1, WAITING)], wgs=[(1, (1, 2))])
    v = View(step(m, s, "M0", "wg.Done()"))
    assert v.wgs[0] == (0, ())
    assert (v.g[1].status, v.g[1].pc, v.g[2].status) == (RUNNABLE, 1, RUNNABLE)
    assert (v.p[0].runnext, v.p[0].ring) == (2, (1,))


def test_a_waiter_released_at_its_last_statement_is_dead_at_once():
    m = machine({"main": [done("wg"), work(1)], "w": [wait("wg")]}, wgs=("wg",))
    s = on_p0(m, [g(0, RUNNING), g(1, WAITING)], wgs=[(1, (1,))])
    v = View(step(m, s, "M0", "wg.Done()"))
    assert v.g[1].status == DEAD
    assert (v.p[0].runnext, v.pidle) == (NO, (1,))  # not queued, nobody woken
