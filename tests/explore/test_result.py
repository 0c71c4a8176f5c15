"""Results are data: the JSON shapes the CLI and other tools read."""

from __future__ import annotations

import json

from gocheck.explore import (
    Counterexample,
    ExploreResult,
    PropertyResult,
    SafetyProperty,
    Stats,
    explore,
)

from .toys import Mutex, step

STEP_KEYS = {"actor", "action", "g", "p", "m"}


def test_property_json_shape():
    cx = Counterexample((step("P0", "try"), step("P1", "try")), (0, 1, 3), loop_start=1)
    doc = PropertyResult("p", "violated", counterexample=cx).to_json()
    assert doc == {"name": "p", "verdict": "violated", "engine": "explicit", "counterexample": {
        "steps": [{"actor": "P0", "action": "try", "g": None, "p": None, "m": None},
                  {"actor": "P1", "action": "try", "g": None, "p": None, "m": None}],
        "loop_start": 1}}
    assert PropertyResult("q", "unknown", reason="limit").to_json() == {
        "name": "q", "verdict": "unknown", "engine": "explicit", "counterexample": None}


def test_stats_json_shape():
    assert Stats(10, 20, 1.23456, 3, "x").to_json() == {
        "states": 10, "transitions": 20, "seconds": 1.235}


def test_explore_result_json_round_trips():
    result = explore(Mutex(broken=True), [SafetyProperty("mutex", Mutex.both_critical)])
    doc = json.loads(json.dumps(result.to_json()))
    assert set(doc) == {"properties", "stats"} and set(doc["stats"]) == {
        "states", "transitions", "seconds"}
    (prop,) = doc["properties"]
    assert prop["verdict"] == "violated" and prop["counterexample"]["loop_start"] is None
    assert all(set(s) == STEP_KEYS for s in prop["counterexample"]["steps"])


def test_the_graph_is_no_part_of_equality():
    stats = Stats(1, 0, 0.0, 0)
    a = ExploreResult([PropertyResult("p", "holds")], stats)
    b = explore(Mutex(), [SafetyProperty("p", lambda s: False)])
    assert a == ExploreResult(b.properties, stats) and b.graph is not None
