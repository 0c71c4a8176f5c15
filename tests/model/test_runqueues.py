"""runqput (runnext, the ring, overflow to the global queue) and the global batch, rule by
rule on hand-made worlds (model.md "runqput" and schedule's global batch)."""

import pytest

from gocheck.model.sched import execute, global_batch, runqput
from gocheck.model.state import NO, P_RUNNING, World

from .builders import G, View, held, machine, running, state


def world(gs: int = 12, globalq: tuple = (), ring: tuple = (), next_g: int = NO,
          **cfg: object) -> tuple[World, object]:
    """A world whose P0 is held by M0 (running G0), with `gs` Gs and P0's queues as given."""
    m = machine({"main": []}, **cfg)
    s = state(m, gs=[G()] * gs, ps=[held(0, ring=ring, runnext=next_g)],
              ms=[running(0, 0)], globalq=globalq)
    return World(s), m.cfg


def test_runqput_goes_to_runnext():
    w, cfg = world()
    runqput(w, cfg, 0, 5)
    v = View(w.freeze())
    assert (v.p[0].runnext, v.p[0].ring, v.globalq) == (5, (), ())


def test_runqput_kicks_the_old_runnext_to_the_ring_tail():
    w, cfg = world(ring=(1, 2), next_g=3)
    runqput(w, cfg, 0, 4)
    v = View(w.freeze())
    assert (v.p[0].runnext, v.p[0].ring) == (4, (1, 2, 3))


def test_runqput_overflow_sends_half_the_ring_then_the_kicked_g_to_the_global_queue():
    w, cfg = world(runq=4, ring=(1, 2, 3, 4), next_g=5, globalq=(9,))
    runqput(w, cfg, 0, 6)
    v = View(w.freeze())
    assert v.p[0].runnext == 6
    assert v.p[0].ring == (3, 4)
    assert v.globalq == (9, 1, 2, 5)


def test_runqput_overflow_with_an_odd_capacity_moves_the_floor_of_half():
    w, cfg = world(runq=3, ring=(1, 2, 3), next_g=4)
    runqput(w, cfg, 0, 5)
    v = View(w.freeze())
    assert (v.p[0].ring, v.globalq, v.p[0].runnext) == ((2, 3), (1, 4), 5)


def test_runqput_overflow_with_capacity_one_moves_only_the_kicked_g():
    w, cfg = world(runq=1, ring=(1,), next_g=2)
    runqput(w, cfg, 0, 3)
    v = View(w.freeze())
    assert (v.p[0].ring, v.globalq, v.p[0].runnext) == ((1,), (2,), 3)


def test_runnext_off_puts_the_g_at_the_ring_tail():
    w, cfg = world(ring=(1,), runnext=False)
    runqput(w, cfg, 0, 2)
    v = View(w.freeze())
    assert (v.p[0].runnext, v.p[0].ring) == (NO, (1, 2))


def test_runnext_off_overflow_sends_half_and_the_new_g_to_the_global_queue():
    w, cfg = world(runq=2, ring=(1, 2), runnext=False)
    runqput(w, cfg, 0, 3)
    v = View(w.freeze())
    assert (v.p[0].runnext, v.p[0].ring, v.globalq) == (NO, (2,), (1, 3))


@pytest.mark.parametrize(("runq", "procs", "queued", "taken"), [
    (4, 2, 1, 1),    # len
    (4, 2, 5, 2),    # runq/2
    (8, 2, 3, 2),    # len/procs + 1
    (8, 1, 3, 3),    # len (= len/procs + 1 capped by len)
    (8, 4, 3, 1),    # len/procs + 1 = 1
    (1, 2, 3, 1),    # runq/2 = 0: still one
    (6, 2, 10, 3),   # runq/2
])
def test_global_batch_size(runq, procs, queued, taken):
    gq = tuple(range(1, queued + 1))
    w, cfg = world(runq=runq, procs=procs, globalq=gq)
    g = global_batch(w, cfg, 0)
    v = View(w.freeze())
    assert g == 1
    assert v.p[0].ring == gq[1:taken]
    assert v.globalq == gq[taken:]


def test_execute_from_anywhere_but_runnext_advances_the_tick_and_starts_a_slice():
    w, cfg = world(global_check=3)
    w.set_p(0, tick=2, slice=2)
    w.set_g(4, preempt=1)
    execute(w, cfg, 0, 0, 4, inherit=False)
    v = View(w.freeze())
    assert (v.p[0].tick, v.p[0].slice) == (0, 0)  # 3 mod global_check
    assert (v.g[4].status, v.g[4].preempt) == (1, 0)
    assert (v.m[0].g, v.m[0].p) == (4, 0)


def test_execute_with_inherit_keeps_tick_and_slice():
    w, cfg = world()
    w.set_p(0, tick=7, slice=1)
    execute(w, cfg, 0, 0, 4, inherit=True)
    v = View(w.freeze())
    assert (v.p[0].tick, v.p[0].slice, v.p[0].status) == (7, 1, P_RUNNING)


def test_execute_with_global_check_off_keeps_the_tick_at_zero():
    w, cfg = world(global_check=0)
    w.set_p(0, tick=0)
    execute(w, cfg, 0, 0, 4, inherit=False)
    assert View(w.freeze()).p[0].tick == 0
