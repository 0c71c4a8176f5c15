"""Hash compaction: the same states, edges and verdicts as exact storage (no collision is
expected at 64 bits for these sizes), a `holds` that says it is probabilistic, the frontier
kept as states, and counterexamples that replay."""

from __future__ import annotations

import json
import marshal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from strategies import Sizes, specs

from gocheck.cli import main
from gocheck.explore import replay
from gocheck.explore.search import search
from gocheck.explore.store import StateStore
from gocheck.lang import ast
from gocheck.lang.parser import parse_file
from gocheck.verify import Limits, Reductions, build, verify_spec

EXAMPLES = sorted((Path(__file__).parent.parent.parent / "spec" / "examples").glob("*.gos"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_hash_compaction_agrees_with_exact_storage(path: Path) -> None:
    spec = parse_file(str(path))
    exact = verify_spec(spec)
    compact = verify_spec(spec, reductions=Reductions(hash_compact=True))
    assert compact.result.stats.states == exact.result.stats.states
    assert compact.result.stats.transitions == exact.result.stats.transitions
    graph_props = not compact.reduced_by  # graph properties read states: exact store
    for a, b in zip(exact.result.properties, compact.result.properties, strict=True):
        assert (a.name, a.verdict) == (b.name, b.verdict)
        if b.verdict == "violated":
            assert b.counterexample is not None
            assert b.counterexample.steps == a.counterexample.steps
            replay(compact.machine, b.counterexample.steps)
        elif not graph_props:
            assert b.reason is not None and b.reason.startswith("probabilistic")


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs(Sizes(max_funcs=2, max_depth=1, max_stmts=3)))
def test_hash_compaction_agrees_on_random_specs(spec: ast.Spec) -> None:
    limits = Limits(max_states=20_000)
    exact = verify_spec(spec, limits=limits)
    compact = verify_spec(spec, limits=limits, reductions=Reductions(hash_compact=True))
    a, b = exact.result.stats, compact.result.stats
    assert (b.states, b.transitions, b.stop_reason) == (a.states, a.transitions, a.stop_reason)
    assert [(p.name, p.verdict, p.counterexample and p.counterexample.steps)
            for p in compact.result.properties] == [
        (p.name, p.verdict, p.counterexample and p.counterexample.steps)
        for p in exact.result.properties]


def test_the_store_keeps_digests_and_only_the_frontier() -> None:
    machine = build(parse_file(str(EXAMPLES[0].parent / "select.gos")))
    exact, compact = StateStore(), StateStore(hash_bits=64)
    search(machine, exact)
    search(machine, compact, max_states=len(exact) // 2)
    assert compact.frontier, "a limit leaves unexpanded states"
    first = len(compact) - len(compact.frontier)
    assert compact.decode(len(compact) - 1) == exact.decode(len(compact) - 1)
    assert compact.decode(first) == exact.decode(first)
    with pytest.raises(LookupError):
        compact.decode(first - 1)
    assert all(len(k) == 8 for k in compact.ids)
    full = StateStore(hash_bits=64)
    search(machine, full)
    assert not full.frontier
    assert (list(full.parent), list(full.edge_dst)) == (list(exact.parent), list(exact.edge_dst))
    assert full.nbytes() < exact.nbytes()


def test_miss_probability_is_the_pairwise_collision_bound() -> None:
    store = StateStore(hash_bits=32)
    for i in range(1000):
        store.add(marshal.dumps(i, 2), 0, 0)
    assert store.miss_probability() == pytest.approx(1000 * 999 / 2 ** 33)
    assert StateStore().miss_probability() == 0.0
    with pytest.raises(ValueError):
        StateStore(hash_bits=60)


def test_hash_compaction_with_symmetry_maps_counterexamples_back() -> None:
    spec = parse_file(str(EXAMPLES[0].parent / "mutex_misuse.gos"))
    both = verify_spec(spec, reductions=Reductions(symmetry=True, hash_compact=True))
    symmetric = verify_spec(spec, reductions=Reductions(symmetry=True))
    assert both.reduced_by == ("symmetry", "hash-compaction")
    assert both.result.stats.states == symmetric.result.stats.states
    for a, b in zip(symmetric.result.properties, both.result.properties, strict=True):
        assert a.verdict == b.verdict
        if b.counterexample is not None:
            assert b.counterexample.steps == a.counterexample.steps
            replay(both.machine, b.counterexample.steps)


def test_cli_says_a_hash_compacted_holds_is_probabilistic() -> None:
    path = str(EXAMPLES[0].parent / "netpoller.gos")
    runner = CliRunner()
    text = runner.invoke(main, ["verify", "--hash-compact", "--hash-bits", "32", path])
    assert text.exit_code == 0
    assert "32-bit hash compaction" in text.output and "probabilistic" in text.output
    doc = json.loads(runner.invoke(main, ["verify", "--hash-compact", "--json", path]).output)
    states = doc["stats"]["states"]
    assert doc["stats"]["hash_compaction"] == {
        "bits": 64, "miss_probability": pytest.approx(states * (states - 1) / 2 ** 65)}
    plain = json.loads(runner.invoke(main, ["verify", "--json", path]).output)
    assert "hash_compaction" not in plain["stats"]
    bad = runner.invoke(main, ["verify", "--hash-compact", "--hash-bits", "36", path])
    assert bad.exit_code == 2 and "multiple of 8" in bad.output
