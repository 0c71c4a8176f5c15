"""The explicit engine: enumerate every interleaving, check safety and fair liveness."""

from gocheck.explore.engine import (
    LivenessProperty,
    ReplayError,
    SafetyProperty,
    explore,
    replay,
)
from gocheck.explore.graph import StateGraph
from gocheck.explore.result import Counterexample, ExploreResult, PropertyResult, Stats

__all__ = [
    "Counterexample",
    "ExploreResult",
    "LivenessProperty",
    "PropertyResult",
    "ReplayError",
    "SafetyProperty",
    "StateGraph",
    "Stats",
    "explore",
    "replay",
]
