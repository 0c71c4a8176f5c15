"""The structural lemmas that strengthen k-induction's step case (symbolic/lemmas.py) and
Houdini's proof of them (symbolic/houdini.py).

- every candidate lemma holds in every reachable state of several examples, as the explicit
  engine enumerates them (a wrong lemma fails here, before Houdini ever drops it);
- Houdini keeps an inductive set: re-checked by z3 as L(x) and T(x, x') and not L(x');
- a false lemma is rejected: one false initially, and one true initially but broken by a
  step, are dropped, and assuming the false one would "prove" a violated property;
- the invariant is what closes the step case: without it the step case has
  counterexamples to induction where with it there are none;
- the lemmas over loops (a counted loop of sends, a range loop, a close: flow.py) exist
  for such code and hold in every reachable state of it.
"""

from __future__ import annotations

from functools import cache

import pytest
import z3

from gocheck.lang.parser import parse
from gocheck.model.machine import Machine
from gocheck.symbolic import houdini, lemmas
from gocheck.symbolic.bounds import bounds
from gocheck.symbolic.houdini import Invariant
from gocheck.symbolic.kinduction import Induction
from gocheck.symbolic.layout import Layout
from gocheck.symbolic.props import fork_join, no_deadlock
from gocheck.symbolic.transition import Transition
from gocheck.symbolic.unroll import Unrolling
from gocheck.symbolic.values import boolean, eq, not_
from gocheck.verify import build
from tests.symbolic.crosscheck import reachable
from tests.symbolic.examples import loaded

# Small enough to enumerate every reachable state (up to a few thousand each), and between
# them every kind of object the lemmas speak of: channels and a select, WaitGroups, the
# netpoller and timers, syscalls with and without handoff, two Ps.
EXAMPLES = ("invariants", "netpoller", "select", "sleep_not_join", "syscall_handoff",
            "wakep_off")
# pipeline's shape (a counted loop of sends then a close; a range loop, then a handoff on
# an unbuffered channel) made small enough to enumerate: one iteration, a buffer of one.
LOOPS = """
machine {
    procs = 2
}

var jobs = make(chan int, 1)
var done = make(chan struct{})

func producer() {
    for i := 0; i < 1; i++ {
        jobs <- i
    }
    close(jobs)
}

func consumer() {
    for range jobs {
        work(1)
    }
    done <- struct{}{}
}

func main() {
    go producer()
    go consumer()
    <-done
}
"""
LOOP_LEMMAS = ("c0 closed iff a close ran", "g2 past the range at 2:0 saw c0 closed and drained",
               "c0 buffers at most the sends executed", "c1 buffers the sends minus the receives",
               "g1 loop counter 0 at 1:1", "g1 loop counter 0 at 1:3")


@cache
def transition(name: str) -> Transition:
    return Transition(loaded(name)[1])


@cache
def invariant(name: str) -> Invariant:
    return houdini.prove(loaded(name)[1], transition(name))


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_lemma_holds_in_every_reachable_state(name: str) -> None:
    assert_lemmas_hold(name, loaded(name)[1])


def test_loop_lemmas_hold_in_every_reachable_state() -> None:
    machine = build(parse(LOOPS, "<loops>"))
    layout = layout_of(machine)
    names = {n for n, _ in lemmas.concrete(layout, layout.encode(machine.initial_state()))}
    assert set(LOOP_LEMMAS) <= names, set(LOOP_LEMMAS) - names
    assert_lemmas_hold("loops", machine)


def layout_of(machine: Machine) -> Layout:
    return Layout(machine.prog, machine.cfg, bounds(machine.prog, machine.cfg))


def assert_lemmas_hold(name: str, machine: Machine) -> None:
    layout = layout_of(machine)
    states = 0
    for state in reachable(machine, 10**6):
        states += 1
        false = [n for n, c in lemmas.concrete(layout, layout.encode(state)) if c is not True]
        assert not false, f"{name}: {false} in {state}"
    assert states > 1


@pytest.mark.parametrize("name", ["syscall_handoff"])
def test_houdini_keeps_an_inductive_set_of_most_lemmas(name: str) -> None:
    t, inv = transition(name), invariant(name)
    assert len(inv.names) > 0.9 * (len(inv.names) + len(inv.dropped)), inv.dropped
    s = z3.SolverFor("QF_FD")
    s.add(t.formula, t.layout.well_formed(t.cur), inv.formula, not_(inv.at(t.nxt)))
    assert s.check() == z3.unsat


def test_false_lemmas_are_rejected() -> None:
    name = "select"  # fork_join is violated: main returns while the sender is blocked
    machine, t = loaded(name)[1], transition(name)
    cur = t.cur
    pool = [*lemmas.symbolic(t.layout, cur),
            ("false initially", eq(cur["ng"], 2)),
            ("broken by a step: main never returns", eq(cur["ended"], 0))]
    inv = houdini.prove(machine, t, pool=pool)
    assert {"false initially", "broken by a step: main never returns"} <= set(inv.dropped)
    # what the check protects against: assumed, the false lemma refutes a real violation
    unsound = Invariant(t, ("broken by a step: main never returns",),
                        boolean(eq(cur["ended"], 0)), ())
    s = z3.SolverFor("QF_FD")
    s.add(unsound.at(cur), boolean(fork_join(t.layout, cur)))
    assert s.check() == z3.unsat
    s = z3.SolverFor("QF_FD")
    s.add(invariant(name).at(cur), boolean(fork_join(t.layout, cur)))
    assert s.check() == z3.sat


@pytest.mark.parametrize("name, bad", [("syscall_handoff", no_deadlock),
                                       ("invariants", fork_join), ("pipeline", fork_join)])
def test_the_invariant_closes_the_step_case(name: str, bad: object) -> None:
    t = transition(name)

    def step(inv: Invariant | None) -> z3.CheckSatResult:
        ind = Induction(t, Unrolling(t, "y"), inv)
        ind.extend()
        return ind.step_holds(lambda x: bad(t.layout, x), 60_000)  # type: ignore[operator]

    assert step(None) == z3.sat  # a counterexample to induction from an unreachable state
    assert step(invariant(name)) == z3.unsat
