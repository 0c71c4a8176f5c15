"""Each observable of `props.observables` read on a hand-made state, by name and through the
invariant language's spellings (language.md "User properties")."""

import pytest
from model.builders import G, M, P, call, fresh, go, held, machine, running, state, work

from gocheck.lang import ast
from gocheck.model.state import (
    DEAD,
    M_PARKED,
    M_SEARCH,
    M_SYSCALL,
    P_SYSCALL,
    RUNNABLE,
    RUNNING,
    SYSCALL,
    WAITING,
)
from gocheck.props.formula import compile_expr
from gocheck.props.observables import OBSERVABLES


@pytest.fixture(scope="module")
def scene():
    """Four Ps: P0 runs G0 (main) with G2 in runnext and G3 in its ring; P1 is in G1's
    syscall; P2 is idle; P3 is held by the spinning M2. G4 waits in the global queue, G5 is
    parked, G6 (a `w`) and G7 (a `v`) have finished. M3 is parked; M4, M5 were never made."""
    m = machine({"main": [work(1)], "w": [work(1)], "v": [work(1)]}, procs=4)
    w = fresh(m, "w")
    s = state(
        m,
        gs=[G(0, RUNNING), G(1, SYSCALL, left=1), w, w, w, G(1, WAITING), G(1, DEAD),
            G(2, DEAD)],
        ps=[held(0, runnext=2, ring=(3,)), P(P_SYSCALL, 1), P(), held(2)],
        ms=[running(0, 0), M(M_SYSCALL, 1, 1), M(M_SEARCH, 3, -1, True), M(M_PARKED)],
        globalq=(4,), pidle=(2,), needspin=1)
    return m, s


EXPECTED = {
    "procs_idle": 1, "procs_running": 2, "procs_syscall": 1, "runnable": 3, "running": 1,
    "waiting": 1, "in_syscall": 1, "spinning": 1, "threads": 4, "needspinning": 1,
    "main_done": 0, "globalq": 1,
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_plain_observables(scene, name):
    m, s = scene
    assert OBSERVABLES[name].arg is None
    assert OBSERVABLES[name].read(m, s, None) == EXPECTED[name]


@pytest.mark.parametrize(("name", "arg", "value"), [
    ("runq", 0, 1), ("runq", 1, 0), ("runnext", 0, 1), ("runnext", 3, 0),
    ("spinning_p", 3, 1), ("spinning_p", 0, 0), ("spinning_p", 1, 0), ("spinning_p", 2, 0),
    ("done", "w", 0), ("done", "v", 1),
])
def test_observables_with_an_argument(scene, name, arg, value):
    m, s = scene
    assert OBSERVABLES[name].read(m, s, arg) == value


def test_every_observable_is_documented_and_tested():
    assert all(o.doc for o in OBSERVABLES.values())
    assert set(OBSERVABLES) == {*EXPECTED, "runq", "runnext", "spinning_p", "done"}


def test_main_done_and_done_main_after_the_end():
    m = machine({"main": [work(1)]})
    s = m.successors(m.initial_state())[0][1]
    assert OBSERVABLES["main_done"].read(m, s, None) == 1
    assert OBSERVABLES["done"].read(m, s, "main") == 1
    assert OBSERVABLES["runnable"].read(m, s, None) == 0


@pytest.mark.parametrize(("expr", "value"), [
    (ast.Name("procs_idle"), 1),
    (ast.Name("spinning"), 1),
    (ast.Name("needspinning"), 1),
    (ast.CallExpr("len", (ast.Name("globalq"),)), 1),
    (ast.CallExpr("len", (ast.Index("runq", ast.IntLit(0)),)), 1),
    (ast.CallExpr("runnext", (ast.IntLit(0),)), 1),
    (ast.CallExpr("spinning", (ast.IntLit(3),)), 1),
    (ast.CallExpr("spinning", (ast.IntLit(2),)), 0),
    (ast.CallExpr("done", (ast.Name("v"),)), 1),
])
def test_invariant_spellings_read_the_observables(scene, expr, value):
    m, s = scene
    assert compile_expr(expr, m)(s) == value


def test_runnable_counts_every_queue(scene):
    m, s = scene
    statuses = [G[1] for G in s[0]]
    assert statuses.count(RUNNABLE) == OBSERVABLES["runnable"].read(m, s, None)


def test_done_counts_goroutines_started_with_the_function_not_inlined_calls():
    m = machine({"main": [call("w"), go("w"), work(1)], "w": [work(1)]}, procs=1)
    s = m.initial_state()
    assert OBSERVABLES["done"].read(m, s, "w") == 1  # main runs w's body inline
    s = m.successors(s)[0][1]  # main's inlined work tick
    s = m.successors(s)[0][1]  # go w
    assert OBSERVABLES["done"].read(m, s, "w") == 0
