"""The library properties added for the bug zoo: spinning_p_empty, idle_p_empty (states) and
no_scheduler_livelock (a cycle of scheduler steps on the explored graph)."""

from __future__ import annotations

from pathlib import Path

from gocheck.lang.parser import parse_file
from gocheck.model.state import M_GIVEUP, M_PARKED, M_SEARCH, NO, P_IDLE
from gocheck.props.library import LIBRARY, idle_p_bad, spinning_p_bad
from gocheck.verify import Limits, verify_spec

from .builders import G, M, P, held, machine, running, state, work

SPEC = Path(__file__).parent.parent.parent / "spec"
Z2 = SPEC / "bugs" / "z2_nonspinning_recheck.gos"


def small():
    return machine({"main": [work(1)], "w": [work(1)]})


def test_spinning_p_empty_counts_ring_and_runnext():
    m = small()
    for busy in (held(1, runnext=1), held(1, ring=(1,))):
        s = state(m, gs=[G(), G(1)], ps=[busy, P()], ms=[M(M_GIVEUP, 0), M(M_SEARCH, 0, NO, True)],
                  pidle=(1,))
        assert spinning_p_bad(m, s)
    s = state(m, gs=[G(), G(1)], ps=[held(1), P()], ms=[M(M_GIVEUP, 0), M(M_SEARCH, 0, NO, True)],
              pidle=(1,))
    assert not spinning_p_bad(m, s)


def test_idle_p_empty_counts_runnext():
    m = small()
    s = state(m, gs=[G(1)], ps=[P(P_IDLE, runnext=0), P()], ms=[M(M_PARKED)], pidle=(1, 0))
    assert idle_p_bad(m, s)
    s = state(m, gs=[G(0)], ps=[running(0, 0), P()], pidle=(1,))
    assert not idle_p_bad(m, s)


def test_library_kinds():
    assert {n: LIBRARY[n].kind for n in ("spinning_p_empty", "idle_p_empty",
                                         "no_scheduler_livelock")} == {
        "spinning_p_empty": "safety", "idle_p_empty": "safety",
        "no_scheduler_livelock": "graph"}


def test_livelock_cycle_is_scheduler_steps_only_and_closes():
    v = verify_spec(parse_file(str(Z2)), properties=("no_scheduler_livelock",))
    (r,) = v.result.properties
    assert r.verdict == "violated" and r.counterexample is not None
    cx = r.counterexample
    assert cx.loop_start is not None and cx.loop_start < len(cx.steps)
    cycle = cx.steps[cx.loop_start:]
    assert all(s.g is None and s.actor.startswith("M") for s in cycle)
    states = v.states_of(cx.steps)
    assert states[-1] == states[cx.loop_start]


def test_livelock_is_unknown_when_the_search_stops_early():
    v = verify_spec(parse_file(str(Z2)), properties=("no_scheduler_livelock",),
                    limits=Limits(max_states=100))
    assert v.result.properties[0].verdict == "unknown"
