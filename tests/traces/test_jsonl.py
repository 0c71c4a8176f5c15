"""The canonical JSONL form and its JSON Schema: both say the same thing."""

from __future__ import annotations

import io
import json

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gocheck.traces import jsonl
from gocheck.traces.errors import TraceFormatError
from gocheck.traces.event import G_STATES, KINDS, P_STATES, Event
from gocheck.traces.jsonl import read_jsonl, schema, to_json, write_jsonl


def test_schema_is_a_valid_json_schema_shipped_as_package_data() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())
    assert set(schema()["properties"]["kind"]["enum"]) == set(KINDS)


@pytest.mark.parametrize(("line", "words"), [
    ("not json", "not JSON"),
    ("[1, 2]", "object"),
    ('{"kind": "GoStart"}', "time"),
    ('{"time": 1, "kind": "Teleport"}', "Teleport"),
    ('{"time": 1.5, "kind": "GoStop"}', "time"),
    ('{"time": 1, "kind": "GoStop", "m": -1}', "-1"),
    ('{"time": 1, "kind": "GoStart", "m": 1}', "target"),
    ('{"time": 1, "kind": "GoStop", "resource": "goroutine", "from": "Idle"}', "Idle"),
    ('{"time": 1, "kind": "GoStop", "stack": "main.main"}', "stack"),
    ('{"time": 1, "kind": "GoStop", "args": []}', "args"),
    ('{"time": 1, "kind": "GoStop", "colour": "red"}', "colour"),
])
@pytest.mark.parametrize("use_schema", [True, False])
def test_malformed_lines_are_refused_with_their_line(
        line: str, words: str, use_schema: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not use_schema:
        monkeypatch.setattr(jsonl, "_schema_validator", lambda: None)
    good = '{"time": 0, "kind": "Sync"}\n'
    with pytest.raises(TraceFormatError) as info:
        read_jsonl(good + line + "\n")
    assert str(info.value).startswith("line 2:")
    assert words in str(info.value)


def test_empty_stream_is_refused() -> None:
    with pytest.raises(TraceFormatError, match="no events"):
        read_jsonl("\n\n")


_ids = st.one_of(st.none(), st.integers(min_value=-2, max_value=2**40))
_lines = st.fixed_dictionaries(
    {"time": st.one_of(st.integers(), st.floats(allow_nan=False), st.text(max_size=2)),
     "kind": st.sampled_from((*KINDS, "Bogus"))},
    optional={"m": _ids, "p": _ids, "g": _ids, "target": _ids,
              "resource": st.sampled_from(("goroutine", "proc", "thread", None)),
              "from": st.sampled_from((*G_STATES, *P_STATES, "Gone", None)),
              "to": st.sampled_from((*G_STATES, *P_STATES, None)),
              "stack": st.one_of(st.lists(st.text(max_size=3), max_size=2), st.just("f")),
              "args": st.one_of(st.just([]), st.dictionaries(
                  st.sampled_from(("g_seq", "reason", "status", "new_stack", "victim", "extra")),
                  st.one_of(st.none(), st.integers(-1, 3), st.sampled_from(("Idle", "x")),
                            st.lists(st.text(max_size=2), max_size=2)), max_size=3))})


@given(_lines)
def test_hand_checks_never_accept_what_the_schema_refuses(line: dict) -> None:
    """The hand-written checks run when jsonschema is absent; they may be stricter (a kind
    that names a resource needs a target) but never laxer than the schema."""
    validator = jsonschema.Draft202012Validator(schema())
    schema_ok = validator.is_valid(line)
    try:
        jsonl._event(line, 0, 1)
        hand_ok = True
    except TraceFormatError:
        hand_ok = False
    assert not (hand_ok and not schema_ok), line


def test_write_then_read_is_the_identity() -> None:
    events = [Event(0, 5, "GoCreate", 1, 0, 1, "goroutine", 7, "NotExist", "Runnable",
                    ("main.main",), {"new_stack": ("main.worker",)}),
              Event(1, 9, "Sync", args={"n": 2})]
    out = io.StringIO()
    write_jsonl(events, out)
    back = read_jsonl(out.getvalue())
    assert [to_json(e) for e in back] == [to_json(e) for e in events]
    assert json.loads(out.getvalue().splitlines()[0])["args"] == {"new_stack": ["main.worker"]}
