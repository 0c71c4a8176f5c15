"""The two ways a trace fails: it cannot be read (exit 2) or it breaks a rule (exit 1).

`TraceFormatError` is raised: the bytes or lines cannot be decoded, and the message starts
with where (`byte 1234` or `line 12`). `Broken` is raised inside the replay when the decoded
trace breaks a rule of the format or of the scheduler; the replay turns it into an
`Inconsistency` (see `result.py`) stamped with the index of the offending event.
"""

from __future__ import annotations

from collections.abc import Mapping

from gocheck.errors import InputError


class TraceFormatError(InputError):
    """Input that is not a trace of the claimed format; `offset` is a byte offset or None."""

    def __init__(self, where: str, message: str, offset: int | None = None):
        super().__init__(f"{where}: {message}")
        self.where = where
        self.detail = message
        self.offset = offset


def at_byte(offset: int, message: str) -> TraceFormatError:
    """A decoding error at a byte offset of the input."""
    return TraceFormatError(f"byte {offset}", message, offset)


class Broken(Exception):
    """A rule broken by the event being replayed: `rule` is a stable id, `states` the
    resources involved (label -> description), `time` the event's time when known,
    `resource` the main one when it is not the first goroutine or P of `states`."""

    def __init__(self, rule: str, message: str, *, time: int | None = None,
                 states: Mapping[str, str] | None = None, resource: str | None = None):
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.time = time
        self.states = dict(states or {})
        self.resource = resource
