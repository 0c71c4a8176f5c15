"""The trace checker: read runtime traces into one event stream and replay them.

Readers (format detected from content): Go's binary execution traces (Go 1.22-1.26
formats, decoded natively), Go's raw wire text and its txtar test cases, GODEBUG
schedtrace/scheddetail logs, and canonical JSONL (`event.schema.json`). The replay applies
Go's own per-resource rules (`order.py`) and reports the first inconsistency; `properties`
measures scheduler properties with real-time bounds.
"""

from gocheck.traces.check import TraceReport, check_file
from gocheck.traces.event import Event
from gocheck.traces.replay import Replay, replay_binary, replay_events
from gocheck.traces.result import Inconsistency

__all__ = ["Event", "Inconsistency", "Replay", "TraceReport", "check_file", "replay_binary",
           "replay_events"]
