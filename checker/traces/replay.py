"""Replay a trace through Go's per-resource rules (`order.py`), yielding the canonical stream.

Two drivers share the rules:

* `replay_binary` recovers the order of a Go trace, whose events come in per-thread
  batches, as Go's reader does (`frontier.py`): the output order is `go tool trace
  -d=parsed`'s.
* `replay_events` checks an already ordered stream (canonical JSONL from a simulator or a
  runtime, `ordered.py`): every event must be able to happen at its place, so a wait is an
  error there.

Both are `Replay` objects: iterate them for the events; after the iteration `error` holds
the first `Inconsistency` (None if the trace is consistent). A trace that cannot be decoded
raises `TraceFormatError` from the iteration, after the events of complete generations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from gocheck.traces.errors import Broken, TraceFormatError
from gocheck.traces.event import Event
from gocheck.traces.frontier import order_binary
from gocheck.traces.gobinary import BinaryTrace
from gocheck.traces.order import Ordering
from gocheck.traces.ordered import check_ordered
from gocheck.traces.result import Inconsistency


class Replay:
    """An iterable canonical stream whose `error` is set when a rule stops it."""

    def __init__(self, run: Callable[[Ordering], Iterator[list[Event]]]):
        self._run = run
        self.order = Ordering()
        self.error: Inconsistency | None = None

    def __iter__(self) -> Iterator[Event]:
        try:
            for chunk in self._run(self.order):
                yield from chunk
        except Broken as err:
            yield from self._pending()
            self.error = _inconsistency(self.order.count, err)
        except TraceFormatError:
            yield from self._pending()
            raise

    def _pending(self) -> list[Event]:
        """The events replayed before the run stopped but not yet handed out."""
        pending = self.order.queue[:]
        self.order.queue.clear()
        return pending


def _inconsistency(index: int, err: Broken) -> Inconsistency:
    resource = err.resource or next((k for k in err.states if k[0] in "GP"), None)
    resource = resource or next(iter(err.states), None)
    return Inconsistency(index, err.time, err.rule, err.message, resource, err.states)


def replay_binary(trace: BinaryTrace) -> Replay:
    """The ordered, checked canonical stream of a Go binary (or wire-text) trace."""
    return Replay(lambda order: order_binary(trace, order))


def replay_events(events: Iterable[Event]) -> Replay:
    """Check an ordered canonical stream; yields its events (re-indexed from 0)."""
    return Replay(lambda order: check_ordered(events, order))
