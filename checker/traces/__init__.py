"""The trace checker: read runtime traces into one event stream and replay them.

Readers (format detected from content): Go's binary execution traces (Go 1.22-1.26
formats, decoded natively), Go's raw wire text and its txtar test cases, GODEBUG
schedtrace/scheddetail logs, and canonical JSONL (`event.schema.json`). The replay applies
Go's own per-resource rules (`order.py`: `rules_procs`, `rules_goroutines`, `rules_ranges`
over the state of `order_core` and `resource`) and reports the first inconsistency;
`properties` measures scheduler properties with real-time bounds; `conformance` checks a
trace against a spec, each goroutine on its own and the channel waits across goroutines
in every order the trace's happens-before allows (`happens`, `rendezvous`, with z3).
"""

from gocheck.traces.check import TraceReport, check_file
from gocheck.traces.event import Event
from gocheck.traces.replay import Replay, replay_binary, replay_events
from gocheck.traces.result import Inconsistency

__all__ = ["Event", "Inconsistency", "Replay", "TraceReport", "check_file", "replay_binary",
           "replay_events"]
