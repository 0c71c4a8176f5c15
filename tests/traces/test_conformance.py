"""`gocheck.traces.conformance`: each goroutine's blocking operations against its spec."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import specs
from trace_paths import REPO, SAMPLES

from gocheck.errors import InputError
from gocheck.lang import ast
from gocheck.lang.check import check_or_raise
from gocheck.lang.parser import parse
from gocheck.model.config import machine_config
from gocheck.model.machine import Machine
from gocheck.model.program import Program, compile_program
from gocheck.traces.automaton import block_letter
from gocheck.traces.check import check_file
from gocheck.traces.conformance import Conformance, check_conformance
from gocheck.traces.event import Event
from gocheck.traces.jsonl import write_jsonl
from gocheck.traces.replay import replay_events
from gocheck.traces.simulate import simulate
from gocheck.verify import load

EXAMPLES = sorted((REPO / "spec" / "examples").glob("*.gos"))


def machine_of(spec: ast.Spec | str) -> Machine:
    spec = check_or_raise(parse(spec) if isinstance(spec, str) else spec)
    return Machine(compile_program(spec), machine_config(spec))


def check_trace_file(path: Path, fmt: str | None, prog: Program) -> Conformance:
    """Conformance as `gocheck trace --spec` computes it: in the same replay."""
    result = check_file(path, fmt, prog=prog).conformance
    assert result is not None
    return result


def conformance(events: list[Event], prog: Program) -> Conformance:
    """Through the replay, as `gocheck trace` does: the stream it checks is canonical."""
    replay = replay_events(events)
    checked = check_conformance(replay, prog)
    assert replay.error is None
    return checked


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_simulated_run_conforms_to_its_spec(path: Path) -> None:
    machine = load(str(path))[1]
    for seed in range(10):
        result = conformance(simulate(machine, seed, 1000).events, machine.prog)
        assert result.holds and result.checked >= 1, (seed, result)


@pytest.mark.slow
@given(spec=specs(), seed=st.integers(0, 2**32))
def test_random_specs_conform_to_themselves(spec: ast.Spec, seed: int) -> None:
    machine = machine_of(spec)
    for s in (seed, seed + 1, seed + 2):
        result = conformance(simulate(machine, s, 300).events, machine.prog)
        assert result.holds, result


WORKERS = """
machine {
    procs = 2
}

var wg sync.WaitGroup

func worker() {
    work(1)
    OPERATION
    wg.Done()
}

func main() {
    wg.Add(2)
    go worker()
    go worker()
    wg.Wait()
}
"""
A = WORKERS.replace("OPERATION", "syscall(1)")
B = WORKERS.replace("OPERATION", "time.Sleep(1)")


def test_a_run_of_a_is_rejected_by_b_at_the_first_worker_syscall() -> None:
    a, b = machine_of(A), machine_of(B)
    for seed in range(10):
        events = simulate(a, seed, 1000).events
        assert conformance(events, a.prog).holds
        first = next(e for e in events if e.kind == "GoSyscallBegin" and e.target != 0)
        result = conformance(events, b.prog)
        assert result.first is not None
        assert (result.first.event, result.first.goroutine, result.first.function,
                result.first.seen, result.first.expected) == (
            first.index, first.target, "worker", "syscall", ("sleep",))
        assert result.first.time == first.time


LOOP = """
var wg sync.WaitGroup

func worker() {
    for i := 0; i < N; i++ {
        syscall(1)
    }
    wg.Done()
}

func main() {
    wg.Add(1)
    go worker()
    wg.Wait()
}
"""


def test_counted_loops_are_exact_from_a_goroutine_s_start() -> None:
    two, three = (machine_of(LOOP.replace("N", n)) for n in ("2", "3"))
    for seed in range(5):
        events = simulate(two, seed, 1000).events
        end = next(e for e in events if e.kind == "GoDestroy" and e.target == 1)
        first = conformance(events, three.prog).first
        assert first is not None and (first.event, first.goroutine, first.seen,
                                      first.expected) == (end.index, 1, "end", ("syscall",))
        events = simulate(three, seed, 1000).events
        third = [e for e in events if e.kind == "GoSyscallBegin" and e.target == 1][2]
        first = conformance(events, two.prog).first
        assert first is not None and (first.event, first.seen, first.expected) == (
            third.index, "syscall", ("end",))


def test_operations_that_need_not_park_are_optional() -> None:
    text = ("var ch = make(chan int, 1)\nvar mu sync.Mutex\n\nfunc main() {\n ch <- 1\n"
            " <-ch\n mu.Lock()\n mu.Unlock()\n syscall(1)\n}\n")
    machine = machine_of(text)
    events = simulate(machine, 0, 100).events
    assert not [e for e in events if e.kind == "GoBlock"]
    assert conformance(events, machine.prog).holds


def test_spawns_must_match() -> None:
    spec = "func a() {\n work(1)\n}\n\nfunc b() {\n work(1)\n}\n\nfunc main() {\n go F()\n}\n"
    spawns_a, spawns_b = machine_of(spec.replace("F", "a")), machine_of(spec.replace("F", "b"))
    events = simulate(spawns_a, 0, 100).events
    result = conformance(events, spawns_b.prog)
    assert result.first is not None
    create = next(e for e in events if e.kind == "GoCreate")
    assert (result.first.event, result.first.goroutine, result.first.seen) == (
        create.index, 0, "go a")
    assert result.first.expected == ("end", "go b")  # main is matched from anywhere


@pytest.mark.parametrize(("reason", "stack", "letter"), [
    ("sync", ("sync.(*Mutex).Lock", "main.worker"), "sync.Mutex"),
    ("sync", ("sync.runtime_SemacquireRWMutexR", "sync.(*RWMutex).RLock", "main.f"),
     "sync.Mutex"),
    ("sync", ("sync.(*WaitGroup).Wait", "main.main"), "sync.WaitGroup"),
    ("sync", ("runtime.traceAdvance",), "sync"),
    ("chan receive", (), "chan receive"),
    ("network", (), "network"),
    ("GC mark assist wait for work", (), None),
    ("", (), None),
])
def test_block_letters(reason: str, stack: tuple[str, ...], letter: str | None) -> None:
    assert block_letter(reason, stack) == letter


def test_a_go_trace_maps_main_main_and_skips_runtime_goroutines() -> None:
    fork_join = ("var wg sync.WaitGroup\n\nfunc main() {\n for i := 0; i < 8; i++ {\n"
                 "  wg.Add(1)\n  go func() {\n   work(2)\n   wg.Done()\n  }()\n }\n"
                 " wg.Wait()\n}\n")
    trace = SAMPLES / "a_forkjoin.trace"
    result = check_trace_file(trace, None, machine_of(fork_join).prog)
    assert result.holds and result.checked == 1  # main; closures are not mapped
    sleeper = machine_of("func main() {\n time.Sleep(1)\n}\n")
    result = check_trace_file(trace, None, sleeper.prog)
    assert result.first is not None
    assert (result.first.event, result.first.goroutine, result.first.function,
            result.first.seen, result.first.expected) == (
        26, 1, "main", "sync.WaitGroup", ("end", "sleep"))


def test_nothing_to_check_and_schedtrace_are_bad_input(tmp_path: Path) -> None:
    empty = machine_of("func main() {}\n")
    path = tmp_path / "empty.jsonl"
    with path.open("w") as out:
        write_jsonl(simulate(empty, 0, 10).events, out)  # P statuses only: main has returned
    with pytest.raises(InputError, match="no goroutine of the trace runs a function"):
        check_trace_file(path, None, empty.prog)
    with pytest.raises(InputError, match="needs an execution trace"):
        check_trace_file(SAMPLES / "a_forkjoin.sched.log", None, empty.prog)
