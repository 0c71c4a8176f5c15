"""Channel waits across goroutines, in every order the trace's happens-before allows (z3).

`rendezvous/pairs.gos` has two senders and two receivers on one unbuffered channel; the
hand-written traces beside it run them on four threads. In both, sender G1 parks (event
#13) and receiver G4 parks (#14) on two threads, so in the file's order they wait at the
same time, which no run can do. In `reordered.jsonl` their wakers run on two other threads,
unordered with the parks: G1's wake-up (#17) can come before G4's park. In
`contradiction.jsonl` each waker runs on the thread of the other side's parked goroutine,
after its park: G4 parks before G1 is woken, and G1 parks before G4 is woken (#19), in
every order.
"""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest
import z3
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from strategies import specs

from gocheck.cli import main
from gocheck.lang import ast
from gocheck.lang.check import check_or_raise
from gocheck.model.config import machine_config
from gocheck.model.machine import Machine
from gocheck.model.program import Program, compile_program
from gocheck.traces import rendezvous
from gocheck.traces.check import check_file
from gocheck.traces.conformance import Conformance, check_conformance
from gocheck.traces.event import Event
from gocheck.traces.happens import HappensBefore, resources
from gocheck.traces.jsonl import read_jsonl
from gocheck.traces.rendezvous import Unexplained
from gocheck.traces.replay import replay_events
from gocheck.traces.simulate import simulate
from gocheck.verify import load

DATA = Path(__file__).parent / "rendezvous"
PAIRS = DATA / "pairs.gos"


def prog_of(spec: Path) -> Program:
    return load(str(spec))[1].prog


def conformance_of(trace: Path, spec: Path = PAIRS) -> Conformance:
    report = check_file(trace, prog=prog_of(spec))
    assert report.valid and report.conformance is not None, report.error
    return report.conformance


def test_an_overlap_another_order_removes_is_accepted() -> None:
    result = conformance_of(DATA / "reordered.jsonl")
    assert result.holds and result.reordered and result.waits == 2


def test_an_overlap_every_order_keeps_is_rejected_at_the_event_completing_it() -> None:
    result = conformance_of(DATA / "contradiction.jsonl")
    assert isinstance(result.first, Unexplained)
    first = result.first
    assert (first.event, first.time, first.goroutine, first.function, first.rule,
            first.resource) == (19, 15, 4, "receiver", "chan-rendezvous", "chan ch")
    assert "G1 (sender) waits to send on ch (#13 to #16)" in first.message
    assert "G4 (receiver) waits to receive from it (#14 to #19)" in first.message


def test_the_cli_reports_the_unexplained_event() -> None:
    result = CliRunner().invoke(main, ["trace", "--json", str(DATA / "contradiction.jsonl"),
                                       "--spec", str(PAIRS)])
    assert result.exit_code == 1
    (check,) = json.loads(result.stdout)["checks"]
    assert check["verdict"] == "violated"
    assert {k: check["worst"][k] for k in ("event", "time", "goroutine", "rule")} == {
        "event": 19, "time": 15, "goroutine": 4, "rule": "chan-rendezvous"}
    result = CliRunner().invoke(main, ["trace", str(DATA / "reordered.jsonl"),
                                       "--spec", str(PAIRS)])
    assert result.exit_code == 0
    assert "holds (5 goroutines checked, 2 channel waits; channel waits explained by" \
           " another order than the trace's)" in result.stdout


def test_waits_on_an_unknown_channel_are_left_out(tmp_path: Path) -> None:
    """A sender that may be parked on either of two channels is no evidence."""
    spec = tmp_path / "two.gos"
    spec.write_text(PAIRS.read_text().replace("var ch = make(chan int)\n",
                                              "var ch = make(chan int)\nvar other = make(chan"
                                              " int)\n")
                    .replace("    ch <- 1\n", "    ch <- 1\n    other <- 1\n"))
    result = conformance_of(DATA / "contradiction.jsonl", spec)
    assert result.holds and not result.reordered and result.waits == 1


@pytest.mark.parametrize("limit", ["MAX_WAITS", "MAX_PAIRS"])
def test_a_search_too_large_says_unknown(monkeypatch: pytest.MonkeyPatch, limit: str) -> None:
    monkeypatch.setattr(rendezvous, limit, 0)
    result = conformance_of(DATA / "reordered.jsonl")
    assert not result.holds and result.first is None
    assert result.unknown is not None and "no order searched" in result.unknown
    assert result.to_json() == {"name": "conformance", "verdict": "unknown",
                                "worst": {"reason": result.unknown}}
    cli = CliRunner().invoke(main, ["trace", str(DATA / "reordered.jsonl"), "--spec",
                                    str(PAIRS)])
    assert cli.exit_code == 1 and "UNKNOWN" in cli.stdout


def test_a_solver_that_gives_up_says_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a timeout does: the verdict is unknown, not a guess and not a hang."""
    monkeypatch.setattr(z3.Solver, "check", lambda self, *assumptions: z3.unknown)
    monkeypatch.setattr(z3.Solver, "reason_unknown", lambda self: "timeout")
    result = conformance_of(DATA / "contradiction.jsonl")
    assert result.first is None and result.unknown == "z3: timeout"


def test_happens_before_follows_threads_and_goroutines_only() -> None:
    events = read_jsonl((DATA / "contradiction.jsonl").read_text())
    hb = HappensBefore()
    ids = {e.index: hb.see(e, mark=e.index in (13, 14, 16, 19)) for e in events}
    block_g1, block_g4, wake_g1, wake_g4 = ids[13], ids[14], ids[16], ids[19]
    assert not hb.before(block_g1, block_g4) and not hb.before(block_g4, block_g1)
    assert hb.before(block_g4, wake_g1)  # thread 1 parks G4, then runs G1's waker
    assert hb.before(block_g1, wake_g1)  # G1's own order
    assert not hb.before(wake_g1, wake_g4) and not hb.before(wake_g4, wake_g1)
    hb.see(Event(99, 20, "Sync"))  # a generation boundary orders nothing
    other = hb.see(Event(100, 21, "GoStart", m=7, p=5, resource="goroutine", target=9),
                   mark=True)
    assert not any(hb.before(i, other) for i in (block_g1, block_g4, wake_g1, wake_g4))
    later = hb.see(Event(101, 22, "GoUnblock", m=7, p=5, g=9, resource="goroutine",
                         target=4), mark=True)  # touches G4: after G4's wake-up
    assert hb.before(wake_g4, later) and hb.before(block_g4, later)
    assert hb.before(other, later) and not hb.before(wake_g1, later)


def test_a_gocheck_simulate_run_is_accepted(tmp_path: Path) -> None:
    run = tmp_path / "run.jsonl"
    made = CliRunner().invoke(main, ["simulate", str(PAIRS), "--seed", "0", "-o", str(run)])
    assert made.exit_code == 0, made.output
    result = CliRunner().invoke(main, ["trace", "--json", str(run), "--spec", str(PAIRS)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["checks"] == [
        {"name": "conformance", "verdict": "holds", "worst": None}]
    reasons = [e.args.get("reason") for e in read_jsonl(run.read_text())]
    assert "chan send" in reasons and "chan receive" in reasons  # both sides waited


def shuffled(events: list[Event], rng: random.Random) -> list[Event]:
    """A random order of `events` that keeps every resource's own order (Kahn's algorithm
    with a random choice among the ready events)."""
    last: dict[tuple[str, int], int] = {}
    succ: list[list[int]] = [[] for _ in events]
    need = [0] * len(events)
    for i, e in enumerate(events):
        for pred in {last[r] for r in resources(e) if r in last}:
            succ[pred].append(i)
            need[i] += 1
        for r in resources(e):
            last[r] = i
    ready = [i for i, n in enumerate(need) if n == 0]
    out = []
    while ready:
        i = ready.pop(rng.randrange(len(ready)))
        out.append(dataclasses.replace(events[i]))
        for j in succ[i]:
            need[j] -= 1
            if need[j] == 0:
                ready.append(j)
    assert len(out) == len(events)
    return out


@pytest.mark.parametrize("spec", [PAIRS, DATA.parents[2] / "spec" / "examples" / "pipeline.gos"],
                         ids=lambda p: p.stem)
def test_every_order_happens_before_allows_replays_and_conforms(spec: Path) -> None:
    """Soundness of both the happens-before and the rule: a model run, reordered at
    random within its happens-before, is still consistent and still conforms; when the
    reordering makes channel waits overlap, the search finds an order that separates
    them."""
    machine = load(str(spec))[1]
    reordered = 0
    for seed in range(40):
        events = simulate(machine, seed, 400).events
        rng = random.Random(seed)
        for _ in range(3):
            replay = replay_events(shuffled(events, rng))
            result = check_conformance(replay, machine.prog)
            assert replay.error is None, (seed, replay.error)
            assert result.holds, (seed, result)
            reordered += result.reordered
    if spec == PAIRS:
        assert reordered, "no shuffle made channel waits overlap: the search went untested"


@pytest.mark.slow
@given(spec=specs(), seed=st.integers(0, 2**32))
def test_random_specs_conform_in_every_order_happens_before_allows(spec: ast.Spec,
                                                                   seed: int) -> None:
    checked = check_or_raise(spec)
    machine = Machine(compile_program(checked), machine_config(checked))
    events = simulate(machine, seed, 300).events
    replay = replay_events(shuffled(events, random.Random(seed)))
    result = check_conformance(replay, machine.prog)
    assert replay.error is None and result.holds, (replay.error, result)


def _block(i: int, m: int, g: int) -> Event:
    return Event(i, i, "GoBlock", m=m, g=g, resource="goroutine", target=g)


def _wake(i: int, m: int, g: int) -> Event:
    return Event(i, i, "GoUnblock", m=m, g=90 + m, resource="goroutine", target=g)


def test_the_first_contradiction_is_reported_not_an_earlier_explainable_overlap() -> None:
    """Waits fed straight from events: G1/G2 overlap only in the stream's order (their
    wakers run on threads of their own), G3/G4 in every order (each is woken from the
    thread on which the other parked, after that park)."""
    stream = [(_block(0, 0, 1), (1, "s", "c", True)), (_block(1, 1, 2), (2, "r", "c", False)),
              (_wake(2, 2, 1), None), (_wake(3, 3, 2), None),
              (_block(4, 4, 3), (3, "s", "c", True)), (_block(5, 5, 4), (4, "r", "c", False)),
              (_wake(6, 5, 3), None), (_wake(7, 4, 4), None)]
    waits = rendezvous.Waits()
    for e, park in stream:
        waits.feed(e, park)
    assert waits.broken_in_order and waits.count == 4
    first = waits.verdict().first
    assert first is not None and (first.event, first.goroutine, first.resource) == (
        7, 4, "chan c")
    assert "G3 (s) waits to send on c (#4 to #6)" in first.message
    explainable = rendezvous.Waits()
    for e, park in stream[:4]:
        explainable.feed(e, park)
    assert explainable.verdict() == rendezvous.Verdict(reordered=True)


def test_the_nearest_order_needs_no_solver(monkeypatch: pytest.MonkeyPatch) -> None:
    """In reordered.jsonl moving G1's wake-up just before G4's park explains the trace;
    that cheap first try decides without z3."""
    monkeypatch.setattr(z3.Solver, "check", lambda self, *assumptions: pytest.fail("solved"))
    result = conformance_of(DATA / "reordered.jsonl")
    assert result.holds and result.reordered


def test_the_solver_finds_an_order_the_nearest_choice_misses(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Receiver G2 parks (#0), sender G1 parks (#1), G1 is woken from G2's thread (#2), G2
    from a thread of its own (#5). Moving G1's wake-up before G2's park is the nearer fix
    but happens-before forbids it; G2's wake-up before G1's park is the order that fits."""
    calls = []
    check = z3.Solver.check
    monkeypatch.setattr(z3.Solver, "check",
                        lambda self, *assumptions: calls.append(1) or check(self, *assumptions))
    waits = rendezvous.Waits()
    for e, park in [(_block(0, 0, 2), (2, "r", "c", False)), (_block(1, 1, 1), (1, "s", "c", True)),
                    (_wake(2, 0, 1), None), (_wake(5, 2, 2), None)]:
        waits.feed(e, park)
    assert waits.broken_in_order
    assert waits.verdict() == rendezvous.Verdict(reordered=True)
    assert calls
