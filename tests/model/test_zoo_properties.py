"""The library properties added for the bug zoo: spinning_p_empty, idle_p_empty (states),
no_scheduler_livelock (a cycle of scheduler steps on the explored graph) and timer_conserving
(an expired timer beside an idle P, forever)."""

from __future__ import annotations

from pathlib import Path

from gocheck.lang.parser import parse_file
from gocheck.model.state import M_GIVEUP, M_PARKED, M_SEARCH, NO, P_IDLE, WAITING
from gocheck.props.library import LIBRARY, expired_timer_idle_p, idle_p_bad, spinning_p_bad
from gocheck.verify import Limits, verify_spec

from .builders import G, M, P, fresh, held, machine, running, sleep, state, work

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


# --- timer_conserving (Z9) ------------------------------------------------------------------

Z9 = SPEC / "bugs" / "z9_timer_steal.gos"
TIMERS = """machine {
    procs = 2
    preemption = off%s
}

func hog() {
    for {
        spin(1)
    }
}

func main() {
    go hog()
    time.Sleep(1)
}

check timer_conserving
"""


def test_timer_conserving_reads_expired_timers_with_per_p_heaps_and_sleepers_without():
    per_p = machine({"main": [sleep(), work(1)]}, procs=2, timer_steal="preempt_marked_only")
    main = (fresh(per_p, "main")[0], WAITING, *fresh(per_p, "main")[2:])
    pending = state(per_p, gs=[main], ps=[(*P(), 0, 0, (0,), ()), (*P(), 0, 0, (), ())])
    expired = state(per_p, gs=[main], ps=[(*P(), 0, 0, (), (0,)), (*P(), 0, 0, (), ())])
    assert not expired_timer_idle_p(per_p, pending)
    assert expired_timer_idle_p(per_p, expired)
    assert not expired_timer_idle_p(per_p, (*expired[:-2], 1, 0))  # the program has ended
    glob = machine({"main": [sleep(), work(1)]}, procs=2)
    asleep = state(glob, gs=[main], ps=[P(), P()])
    assert expired_timer_idle_p(glob, asleep)
    assert not expired_timer_idle_p(glob, state(glob, gs=[main], ps=[held(0), held(1)],
                                                ms=[M(M_SEARCH, 0), M(M_SEARCH, 1)], pidle=()))
    assert LIBRARY["timer_conserving"].kind == "liveness"


def test_timer_conserving_follows_the_runtime_preset(tmp_path: Path):
    """go1.14 and go1.15 have per-P timers with Go 1.14's thief rule; go1.13 and go1.16 not."""
    path = tmp_path / "timers.gos"
    verdicts = {}
    for runtime in ("go1.13", "go1.14", "go1.15", "go1.16", "tip"):
        path.write_text(TIMERS % f'\n    runtime = "{runtime}"')
        verdicts[runtime] = verify_spec(parse_file(str(path))).result.properties[0].verdict
    assert verdicts == {"go1.13": "holds", "go1.14": "violated", "go1.15": "violated",
                        "go1.16": "holds", "tip": "holds"}


def test_timer_conserving_lasso_keeps_an_expired_timer_beside_an_idle_p():
    v = verify_spec(parse_file(str(Z9)), properties=("timer_conserving",))
    (r,) = v.result.properties
    assert r.verdict == "violated" and r.counterexample is not None
    cx = r.counterexample
    states = v.states_of(cx.steps)
    assert cx.loop_start is not None
    assert all(expired_timer_idle_p(v.machine, s) for s in states[cx.loop_start:])
    assert any(s.action.startswith("timer of G0") for s in cx.steps)
