"""The replay: real traces are accepted in Go's order; broken copies are rejected."""

from __future__ import annotations

import gzip
import random
import re
from pathlib import Path

import pytest
from trace_mutations import Located, delete_event, locate_events, must_break
from trace_paths import SAMPLE_NAMES, SAMPLES

from gocheck.traces.errors import TraceFormatError
from gocheck.traces.event import Event
from gocheck.traces.gobinary import BinaryTrace
from gocheck.traces.gotool import go_parser_accepts
from gocheck.traces.jsonl import dump_lines, read_jsonl
from gocheck.traces.replay import replay_binary, replay_events
from gocheck.traces.result import Inconsistency

KINDS = ("GoStart", "GoCreate", "ProcStart", "GoSyscallBegin", "GoUnblock")


def _replay(buf: bytes) -> tuple[list[Event], Inconsistency | None]:
    replay = replay_binary(BinaryTrace(buf))
    events = list(replay)
    return events, replay.error


def _sample(name: str) -> bytes:
    return (SAMPLES / f"{name}.trace").read_bytes()


def _key(e: Event) -> str:
    """An event as the head of a `go tool trace -d=parsed` record, without times and
    payloads other than state transitions."""
    ctx = " ".join(f"{k}={-1 if v is None else v}" for k, v in (("M", e.m), ("P", e.p),
                                                                 ("G", e.g)))
    if e.resource is None:
        return f"{ctx} {e.kind}"
    res = "GoID" if e.resource == "goroutine" else "ProcID"
    return f"{ctx} {res}={e.target} {e.from_state}->{e.to_state}"


_PARSED = re.compile(r"(M=\S+ P=\S+ G=\S+) (\w+) Time=\d+(.*)")
_TRANSITION = re.compile(r" ((?:GoID|ProcID)=\d+ \w+->\w+)")


def _go_keys(dump: str) -> list[str]:
    keys = []
    for line in dump.splitlines():
        m = _PARSED.match(line)
        if m is None:
            continue
        head, kind, rest = m.groups()
        if kind == "StateTransition":
            keys.append(f"{head} {_TRANSITION.match(rest).group(1)}")  # type: ignore[union-attr]
        else:
            keys.append(f"{head} {kind}")
    return keys


def _ours_as_go(events: list[Event]) -> list[str]:
    kinds = {"Sync": "Sync", "CPUSample": "StackSample"}
    out = []
    for e in events:
        key = _key(e)
        if e.resource is None and e.kind not in kinds:
            key = key.rsplit(" ", 1)[0] + " *"  # metric, range, label, ...: compare context
        out.append(key.replace(" CPUSample", " StackSample"))
    return out


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_samples_are_consistent_and_ordered_as_go_orders_them(name: str) -> None:
    events, error = _replay(_sample(name))
    assert error is None
    assert [e.index for e in events] == list(range(len(events)))
    theirs = _go_keys(gzip.decompress((SAMPLES / f"{name}.parsed.txt.gz").read_bytes())
                      .decode())
    ours = _ours_as_go(events)
    assert len(ours) == len(theirs)
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert a == b or (a.endswith(" *") and a[:-2] == b.rsplit(" ", 1)[0]), (i, a, b)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_canonical_stream_round_trips_through_jsonl(name: str) -> None:
    """A binary trace's canonical stream, written as JSONL and read back, passes the
    ordered-stream replay: the schema carries everything the rules need."""
    events, _ = _replay(_sample(name))
    back = read_jsonl("".join(dump_lines(events)))
    replay = replay_events(back)
    assert sum(1 for _ in replay) == len(events)
    assert replay.error is None


def _break(name: str) -> list[tuple[str, Located]]:
    buf = _sample(name)
    events = locate_events(buf)
    return [(kind, e) for kind in KINDS for e in must_break(events, kind)]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_deleting_a_needed_event_is_rejected(name: str) -> None:
    """See `must_break` for how the deleted events are chosen so that the result cannot
    be a valid trace."""
    buf = _sample(name)
    cases = _break(name)
    assert {kind for kind, _ in cases} >= {"GoStart", "GoCreate"} and len(cases) >= 6
    for kind, located in cases:
        _, error = _replay(delete_event(buf, located))
        assert error is not None, f"deleting {kind} at byte {located.start} went unnoticed"
        assert error.event > 0 and error.rule


def test_deleted_gostart_is_reported_at_the_next_event_of_its_goroutine() -> None:
    buf = _sample("a_forkjoin")
    kind, located = _break("a_forkjoin")[0]
    assert kind == "GoStart"
    _, error = _replay(delete_event(buf, located))
    assert error is not None and error.rule == "goroutine-required"
    assert "expected a goroutine but didn't have one" in error.message
    assert error.time is not None and error.resource is not None
    assert any(label.startswith("M") for label in error.states)


def test_deleted_gocreate_leaves_the_replay_stuck_with_the_frontier_explained() -> None:
    buf = _sample("a_forkjoin")
    located = next(e for kind, e in _break("a_forkjoin") if kind == "GoCreate")
    _, error = _replay(delete_event(buf, located))
    assert error is not None and error.rule == "stuck"
    assert f"G{located.args[0]} does not exist" in error.message


def _verdict(buf: bytes) -> bool:
    try:
        return _replay(buf)[1] is None
    except TraceFormatError:
        return False


@pytest.mark.slow
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_deletions_get_go_parsers_verdict(name: str, go: str, tmp_path: Path) -> None:
    """Differential: random single-event deletions (seeded) and the chosen ones; our
    verdict equals `go tool trace -d=parsed`'s on every mutated trace."""
    buf = _sample(name)
    events = locate_events(buf)
    rng = random.Random(name)
    picks = [events[i] for i in sorted(rng.sample(range(len(events)), 6))]
    picks += [e for _, e in _break(name)][::3]
    for located in picks:
        mutated = delete_event(buf, located)
        path = tmp_path / f"{located.start}.trace"
        path.write_bytes(mutated)
        go_ok, stderr = go_parser_accepts(go, path)
        assert _verdict(mutated) == go_ok, (located, stderr[:300])
