"""The canonical JSON Lines form: one `Event` per line, for any runtime or simulator.

Each line is an object with `time` and `kind` (required) and `m`, `p`, `g`, `resource`,
`target`, `from`, `to`, `stack`, `args`, `index` (optional); `event.schema.json` is the
contract. Lines are checked here by hand (types, known kind and states, the ids a kind
needs); the JSON Schema is also applied when `jsonschema` is installed, so both agree.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from typing import IO, Any

from gocheck.traces.errors import TraceFormatError
from gocheck.traces.event import G_STATES, GOROUTINE, KINDS, NO_ARGS, P_STATES, PROC, Event

_KINDS = frozenset(KINDS)
_STATES = {GOROUTINE: frozenset(G_STATES), PROC: frozenset(P_STATES)}
_NEEDS_TARGET = frozenset({"GoCreate", "GoCreateBlocked", "GoCreateSyscall", "GoStart",
                           "GoUnblock", "GoStatus", "GoSwitch", "GoSwitchDestroy",
                           "ProcStart", "ProcSteal", "ProcStatus"})
_INT_FIELDS = ("m", "p", "g", "target")
# The `args` the replay reads, by type (other keys are carried along unread).
INT_ARGS = frozenset({"g_seq", "p_seq", "thread", "victim", "gc_seq", "procs_value",
                      "heapalloc_value", "heapgoal_value", "swept_value", "reclaimed_value",
                      "p", "g", "task", "parent", "n"})
STR_ARGS = frozenset({"reason", "kind", "name", "label", "key", "value", "implied_by"})
STATUSES = frozenset({"Runnable", "Running", "Syscall", "Waiting", "Idle", "SyscallAbandoned"})
_KEYS = frozenset({"index", "time", "kind", "m", "p", "g", "resource", "target", "from", "to",
                   "stack", "args"})


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of one line (shipped as package data)."""
    text = resources.files("gocheck.traces").joinpath("event.schema.json").read_text("utf-8")
    return json.loads(text)


def _schema_validator() -> Any:
    try:
        import jsonschema
    except ImportError:
        return None
    cls = jsonschema.validators.validator_for(schema())
    return cls(schema())


def read_jsonl(text: str) -> list[Event]:
    """Parse canonical JSONL; raises `TraceFormatError` naming the line at fault."""
    validator = _schema_validator()
    events: list[Event] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise TraceFormatError(f"line {n}", f"not JSON: {err.msg} (column {err.colno})"
                                   ) from None
        if validator is not None:
            problem = next(iter(sorted(validator.iter_errors(obj), key=str)), None)
            if problem is not None:
                where = "/".join(str(p) for p in problem.absolute_path) or "the line"
                raise TraceFormatError(f"line {n}", f"{where}: {problem.message}")
        events.append(_event(obj, len(events), n))
    if not events:
        raise TraceFormatError("line 1", "no events")
    return events


def _event(obj: object, index: int, n: int) -> Event:
    def bad(message: str) -> TraceFormatError:
        return TraceFormatError(f"line {n}", message)

    if not isinstance(obj, dict):
        raise bad("each line must be a JSON object")
    unknown = sorted(set(obj) - _KEYS)
    if unknown:
        raise bad(f"unknown field {unknown[0]!r}")
    kind, time = obj.get("kind"), obj.get("time")
    if not isinstance(kind, str) or kind not in _KINDS:
        raise bad(f"unknown kind {kind!r}")
    if not isinstance(time, int) or isinstance(time, bool):
        raise bad("'time' must be an integer (nanoseconds)")
    for key in _INT_FIELDS:
        value = obj.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or value < 0):
            raise bad(f"{key!r} must be a non-negative integer or null, not {value!r}")
    resource = obj.get("resource")
    if resource is not None and (not isinstance(resource, str) or resource not in _STATES):
        raise bad(f"'resource' must be {GOROUTINE!r} or {PROC!r}")
    for key in ("from", "to"):
        state = obj.get(key)
        if state is not None and (resource is None or not isinstance(state, str)
                                  or state not in _STATES[resource]):
            raise bad(f"{key!r} state {state!r} is not a {resource or 'resource'} state")
    if kind in _NEEDS_TARGET and (obj.get("target") is None or resource is None):
        raise bad(f"{kind} needs 'resource' and 'target'")
    stack = obj.get("stack") or []
    if not isinstance(stack, list) or not all(isinstance(f, str) for f in stack):
        raise bad("'stack' must be a list of function names")
    args = obj.get("args")
    if args is None or args == {}:
        args = NO_ARGS
    elif not isinstance(args, dict):
        raise bad("'args' must be an object")
    else:
        problem = _bad_arg(args)
        if problem:
            raise bad(problem)
    return Event(index, time, kind, obj.get("m"), obj.get("p"), obj.get("g"), resource,
                 obj.get("target"), obj.get("from"), obj.get("to"), tuple(stack), args)


def _bad_arg(args: dict[str, object]) -> str | None:
    """What is wrong with the arguments the replay reads, if anything."""
    for key, value in args.items():
        if key in INT_ARGS and value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or value < 0):
            return f"args/{key} must be a non-negative integer or null, not {value!r}"
        if key in STR_ARGS and not isinstance(value, str):
            return f"args/{key} must be a string, not {value!r}"
        if key == "status" and (not isinstance(value, str) or value not in STATUSES):
            return f"args/status {value!r} is not a known status"
        if key == "new_stack" and (not isinstance(value, list)
                                   or not all(isinstance(f, str) for f in value)):
            return "args/new_stack must be a list of function names"
    return None


def to_json(e: Event) -> dict[str, object]:
    """One event as its JSONL object (deterministic key order)."""
    args = {k: list(v) if isinstance(v, tuple) else v for k, v in e.args.items()}
    return {"index": e.index, "time": e.time, "kind": e.kind, "m": e.m, "p": e.p, "g": e.g,
            "resource": e.resource, "target": e.target, "from": e.from_state,
            "to": e.to_state, "stack": list(e.stack), "args": args}


def dump_lines(events: Iterable[Event]) -> Iterator[str]:
    """The JSONL text of a stream, one line per event (newline included)."""
    for e in events:
        yield json.dumps(to_json(e), separators=(",", ":")) + "\n"


def write_jsonl(events: Iterable[Event], out: IO[str]) -> None:
    out.writelines(dump_lines(events))
