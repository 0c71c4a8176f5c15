"""`gocheck.traces.simulate`: model runs as canonical traces that Go's rules accept."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import specs
from trace_paths import REPO

from gocheck.lang import ast
from gocheck.lang.check import check_or_raise
from gocheck.lang.parser import parse
from gocheck.model.config import machine_config
from gocheck.model.machine import Machine
from gocheck.model.program import compile_program
from gocheck.traces.check import check_file
from gocheck.traces.event import Event
from gocheck.traces.jsonl import schema, write_jsonl
from gocheck.traces.simulate import Run, simulate
from gocheck.verify import load

EXAMPLES = sorted((REPO / "spec" / "examples").glob("*.gos"))
SEEDS = range(5)


def machine_of(spec: ast.Spec | str) -> Machine:
    spec = check_or_raise(parse(spec) if isinstance(spec, str) else spec)
    return Machine(compile_program(spec), machine_config(spec))


def jsonl(run: Run) -> str:
    out = io.StringIO()
    write_jsonl(run.events, out)
    return out.getvalue()


def verdict(run: Run, folder: Path) -> str:
    """The trace checker's verdict on the run, written as a JSONL file."""
    path = folder / f"run{run.seed}.jsonl"
    path.write_text(jsonl(run))
    report = check_file(path)
    assert report.error is None, report.error  # shows the rule and event if it fails
    return "valid" if report.valid else "invalid"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("simulated")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_simulates_to_valid_traces(path: Path, folder: Path) -> None:
    machine = load(str(path))[1]
    for seed in SEEDS:
        assert verdict(simulate(machine, seed, 1000), folder) == "valid"


@pytest.mark.slow
@given(spec=specs(), seed=st.integers(0, 2**32))
def test_random_specs_simulate_to_valid_traces(spec: ast.Spec, seed: int, folder: Path
                                               ) -> None:
    machine = machine_of(spec)
    for s in (seed, seed + 1, seed + 2):
        assert verdict(simulate(machine, s, 300), folder) == "valid"


def test_every_line_validates_against_the_json_schema() -> None:
    validator = jsonschema.Draft202012Validator(schema())
    for path in EXAMPLES:
        for line in jsonl(simulate(load(str(path))[1], 0, 1000)).splitlines():
            validator.validate(json.loads(line))


def test_a_seed_gives_the_same_run_and_seeds_differ() -> None:
    machine = load(str(REPO / "spec" / "examples" / "forkjoin.gos"))[1]
    assert jsonl(simulate(machine, 7, 1000)) == jsonl(simulate(machine, 7, 1000))
    assert len({jsonl(simulate(machine, s, 1000)) for s in range(10)}) > 1


def test_step_limit_and_outcomes() -> None:
    spinner = machine_of("func main() {\n for {\n  work(1)\n }\n}\n")
    run = simulate(spinner, 0, 5)
    assert (run.steps, run.outcome) == (5, "step limit reached")
    assert [e.time for e in run.events] == sorted(e.time for e in run.events)
    stuck = machine_of("var ch = make(chan int)\n\nfunc main() {\n ch <- 1\n}\n")
    run = simulate(stuck, 0, 100)
    assert run.outcome == "no step possible (deadlock)"
    assert [e.args["reason"] for e in run.events if e.kind == "GoBlock"] == ["chan send"]
    assert simulate(machine_of("func main() {\n work(1)\n}\n"), 0, 9).outcome == \
        "main returned"


def kinds(events: list[Event], *, g: int | None = None) -> list[str]:
    return [e.kind for e in events if g is None or (e.resource == "goroutine"
                                                    and e.target == g)]


def test_initial_state_is_status_events() -> None:
    run = simulate(machine_of("machine {\n procs = 3\n}\n\nfunc main() {\n work(1)\n}\n"),
                   0, 10)
    head = run.events[:4]
    assert [(e.kind, e.target, e.to_state) for e in head] == [
        ("ProcStatus", 0, "Running"), ("ProcStatus", 1, "Idle"), ("ProcStatus", 2, "Idle"),
        ("GoStatus", 0, "Running")]
    assert head[3].stack == ("main",) and all(e.time == 0 and e.m == 0 for e in head)


BLOCKS = """
machine {
    procs = 2
}

var mu sync.Mutex
var wg sync.WaitGroup
var ch = make(chan int)

func holder() {
    mu.Lock()
    work(3)
    mu.Unlock()
    wg.Done()
}

func waiter() {
    mu.Lock()
    mu.Unlock()
    ch <- 1
    wg.Done()
}

func main() {
    wg.Add(2)
    go holder()
    go waiter()
    syscall(1)
    time.Sleep(1)
    netread()
    <-ch
    wg.Wait()
}
"""


def test_blocking_operations_carry_go_reasons_and_frames() -> None:
    seen: set[tuple[str, str]] = set()
    for seed in range(30):
        for e in simulate(machine_of(BLOCKS), seed, 1000).events:
            if e.kind == "GoBlock":
                seen.add((str(e.args["reason"]), e.stack[0]))
                assert len(e.stack) == 2 and e.stack[1] in ("main", "holder", "waiter")
    assert {("sync", "sync.(*Mutex).Lock"), ("sync", "sync.(*WaitGroup).Wait"),
            ("sleep", "time.Sleep"), ("network", "internal/poll.(*FD).Read")} <= seen
    assert seen <= {("sync", "sync.(*Mutex).Lock"), ("sync", "sync.(*WaitGroup).Wait"),
                    ("sleep", "time.Sleep"), ("network", "internal/poll.(*FD).Read"),
                    ("chan send", "runtime.chansend1"),
                    ("chan receive", "runtime.chanrecv1")}


def test_syscalls_retake_and_blocking_handoff() -> None:
    text = ("machine {\n procs = 1\n}\n\nfunc main() {\n syscall(3)\n syscall(1, block)\n"
            " work(1)\n}\n")
    machine = machine_of(text)
    events = simulate(machine, 0, 100).events
    begin = [i for i, e in enumerate(events) if e.kind == "GoSyscallBegin"]
    assert len(begin) == 2
    steal = next(e for e in events if e.kind == "ProcSteal")  # sysmon retakes the 3-tick one
    assert steal.m == machine.cfg.threads and steal.args["victim"] == 0
    handoff = events[begin[1] + 1]  # entersyscallblock hands its P off in the same step
    assert handoff.kind == "ProcStop" and handoff.time == events[begin[1]].time
    assert kinds(events, g=0).count("GoSyscallEndBlocked") == 2


FINISHED_UNSEEN = {
    # `go` of a function without actions: the model's G is dead when created
    "empty": ("GoCreate", 1, """
        func empty() {}

        func main() {
            go empty()
            time.Sleep(1)
        }"""),
    # the wake-up completes the receiver's last action
    "woken": ("GoUnblock", 2, """
        var ch = make(chan int)

        func receiver() {
            <-ch
        }

        func main() {
            go receiver()
            work(2)
            ch <- 1
            time.Sleep(1)
        }"""),
    # the worker's last action is a syscall, which exits when there is no idle P
    "syscall": ("GoSyscallEndBlocked", 1, """
        func worker() {
            syscall(2)
        }

        func main() {
            go worker()
            work(3)
            time.Sleep(1)
            work(1)
        }"""),
}


@pytest.mark.parametrize("case", sorted(FINISHED_UNSEEN))
def test_goroutines_the_model_ends_unseen_are_run_to_their_end(case: str) -> None:
    last, procs, body = FINISHED_UNSEEN[case]
    machine = machine_of(f"machine {{\n procs = {procs}\n}}\n" + textwrap.dedent(body))
    ended = 0
    for seed in range(20):
        trail = kinds(simulate(machine, seed, 200).events, g=1)
        ended += trail[-3:] == [last, "GoStart", "GoDestroy"]
    assert ended
