"""What a consistency check returns: the first inconsistency, as data (reports print it)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Inconsistency:
    """The first rule a trace breaks.

    `event` is the index in the canonical stream the offending event has (every event
    before it replayed cleanly); `time` its raw time in ns when known; `resource` the
    main resource involved ("G7", "P1", "M14356") or None; `states` the state of every
    resource involved just before the event (label -> description).
    """

    event: int
    time: int | None
    rule: str
    message: str
    resource: str | None = None
    states: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """The `error` object of `gocheck trace --json`."""
        return {"event": self.event, "time": self.time, "rule": self.rule,
                "message": self.message}
