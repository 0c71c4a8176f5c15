"""The runtime's own safety invariants (fact sheet 12.2, S1-S6) in every reachable state of
small specs that use every kind of step, and in the first states of generated specs: no lost
or duplicated G, one M per running G, P exclusivity, idle Ps empty and listed, bounded
rings, spinning Ms consistent."""

from collections import deque

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import specs

from gocheck.model.config import machine_config
from gocheck.model.machine import Machine
from gocheck.model.program import compile_program
from gocheck.model.state import (
    M_GIVEUP,
    M_PARKED,
    M_RECHECK,
    M_RUNNING,
    M_SEARCH,
    M_SYSCALL,
    M_UNBORN,
    NO,
    P_IDLE,
    P_RUNNING,
    P_SYSCALL,
    RUNNABLE,
    RUNNING,
    SYSCALL,
)

from .builders import (
    View,
    add,
    call,
    case_recv,
    close,
    done,
    forever,
    go,
    gosched,
    lock,
    machine,
    netread,
    reachable,
    recv,
    select,
    send,
    sleep,
    spin,
    syscall,
    unlock,
    wait,
    work,
)

SPECS = {
    "syscalls": (
        {"main": [go("w"), syscall(1, block=True), syscall(1), work(1)], "w": [syscall(1)]},
        {"procs": 2, "runq": 1, "sysmon_delay": 0}),
    "thread_limit": (
        {"main": [go("w"), syscall(2, block=True), work(1)], "w": [work(1), syscall(1)]},
        {"procs": 2, "threads": 2, "runq": 1, "sysmon_delay": 0}),
    "wakeups": (
        {"main": [go("a"), go("b"), recv("ch"), work(1)], "a": [sleep(), netread(), send("ch")],
         "b": [gosched()]},
        {"procs": 2, "threads": 3, "runq": 1, "global_check": 2, "timeslice": 1}),
    "sync": (
        {"main": [add("wg", 1), go("w"), lock("mu"), select(case_recv("ch")), unlock("mu"),
                  wait("wg")],
         "w": [lock("mu"), close("ch"), unlock("mu"), done("wg")]},
        {"procs": 2, "runq": 1, "steal": "one"}),
    "cooperative": (
        {"main": [go("s"), work(2), gosched(), work(1)], "s": [call("f"), forever(spin(1))],
         "f": [work(1)]},
        {"procs": 2, "preemption": "cooperative", "timeslice": 1, "runnext": False}),
}


def check(m, s: tuple) -> None:
    v = View(s)
    cfg = m.cfg
    # S1: a runnable G is in exactly one queue; no other G is in any
    queued = list(v.globalq)
    for P in v.p:
        queued += list(P.ring) + ([P.runnext] if P.runnext != NO else [])
    assert len(queued) == len(set(queued)), "a G queued twice"
    assert set(queued) == {i for i, G in enumerate(v.g) if G.status == RUNNABLE}
    # S2: a running or syscall G has exactly one M
    for i, G in enumerate(v.g):
        owners = [j for j, M in enumerate(v.m) if M.g == i]
        assert len(owners) == (1 if G.status in (RUNNING, SYSCALL) else 0), (i, owners)
    # S3: P exclusivity, and Ms whose state says they hold a P hold it
    for i, P in enumerate(v.p):
        holders = [j for j, M in enumerate(v.m) if M.p == i]
        assert len(holders) <= 1
        if P.status == P_RUNNING:
            assert holders == [P.m]
            assert v.m[P.m].state in (M_RUNNING, M_SEARCH, M_GIVEUP)
        elif P.status == P_SYSCALL:
            assert holders == [P.m] and v.m[P.m].state == M_SYSCALL
        else:
            assert holders == [] and P.m == NO
    for j, M in enumerate(v.m):
        if M.state in (M_RUNNING, M_SEARCH, M_GIVEUP):
            assert M.p != NO and v.p[M.p].m == j
        if M.state in (M_RUNNING, M_SYSCALL):
            assert v.g[M.g].status == (RUNNING if M.state == M_RUNNING else SYSCALL)
        if M.state in (M_PARKED, M_UNBORN, M_RECHECK):
            assert (M.p, M.g) == (NO, NO)
    # S4: idle Ps are exactly the idle list, and empty; parked Ms exactly the M list
    idle = [i for i, P in enumerate(v.p) if P.status == P_IDLE]
    assert sorted(v.pidle) == idle and len(set(v.pidle)) == len(v.pidle)
    assert all(not v.p[i].ring and v.p[i].runnext == NO for i in idle)
    assert sorted(v.midle) == [j for j, M in enumerate(v.m) if M.state == M_PARKED]
    # S5: bounded rings
    assert all(len(P.ring) <= cfg.runq for P in v.p)
    # S6: a spinning M holds a P, runs no G, and its P has no local work
    for M in v.m:
        if M.spinning:
            assert M.state in (M_SEARCH, M_GIVEUP) and M.g == NO
            assert not v.p[M.p].ring and v.p[M.p].runnext == NO
    assert v.needspin in (0, 1)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_runtime_invariants_hold_in_every_reachable_state(name):
    funcs, cfg = SPECS[name]
    m = machine(funcs, chans={"ch": 0}, mutexes=("mu",), wgs=("wg",), **cfg)
    states = reachable(m)
    assert len(states) > 100
    for s in states:
        check(m, s)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_runtime_invariants_hold_on_generated_specs(spec):
    m = Machine(compile_program(spec), machine_config(spec))
    init = m.initial_state()
    seen, queue = {init}, deque([init])
    while queue and len(seen) < 1500:
        s = queue.popleft()
        if not View(s).ended:  # (an empty main has ended before M0 could let go of it)
            check(m, s)
        for _step, n in m.successors(s):
            if n not in seen:
                seen.add(n)
                queue.append(n)
