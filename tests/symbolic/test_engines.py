"""`verify` with engine=symbolic|both: which engine decides what, how agreeing verdicts are
merged, and that every kind of disagreement is an internal error."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from gocheck import engines
from gocheck.disagreement import EngineDisagreement
from gocheck.engines import conflict, merged
from gocheck.explore.result import Counterexample, PropertyResult
from gocheck.model.system import Step
from gocheck.symbolic.decode import Disagreement
from gocheck.symbolic.engine import SymbolicResult
from gocheck.verify import Engine, verify

EXAMPLES = Path(__file__).parents[2] / "spec" / "examples"
EARLY_EXIT = str(EXAMPLES / "early_exit.gos")          # fork_join violated in 1 step
NOBODY = str(EXAMPLES / "unbuffered_nobody.gos")       # no_deadlock violated in 4 steps


def cx(n: int) -> Counterexample:
    return Counterexample(tuple(Step("M0", "work tick") for _ in range(n)), tuple(range(n + 1)))


def explicit(verdict: str, steps: int | None = None) -> PropertyResult:
    return PropertyResult("p", verdict, counterexample=None if steps is None else cx(steps))  # type: ignore[arg-type]


def symbolic(verdict: str, steps: int | None = None, proof: str | None = None,
             bounded: int | None = None) -> SymbolicResult:
    return SymbolicResult("p", verdict, "symbolic", None if steps is None else cx(steps),  # type: ignore[arg-type]
                          proof=proof, bounded=bounded)


@pytest.mark.parametrize(("e", "s"), [
    (explicit("holds"), symbolic("violated", 2)),
    (explicit("violated", 2), symbolic("holds", proof="k-induction, k=3")),
    (explicit("violated", 2), symbolic("violated", 3)),
    (explicit("violated", 3), symbolic("violated", 2)),
    (explicit("violated", 3), symbolic("unknown", bounded=3)),
])
def test_contradictions_are_conflicts(e: PropertyResult, s: SymbolicResult) -> None:
    c = conflict(e, s)
    assert c is not None and c.explicit is e and c.symbolic is s


@pytest.mark.parametrize(("e", "s"), [
    (explicit("holds"), symbolic("holds", proof="k-induction, k=3")),
    (explicit("violated", 2), symbolic("violated", 2)),
    (explicit("violated", 4), symbolic("unknown", bounded=3)),
    (explicit("violated", 1), symbolic("unknown")),            # not encodable: no bound
    (explicit("unknown"), symbolic("violated", 2)),
    (explicit("holds"), symbolic("unknown", bounded=60)),
])
def test_compatible_results_are_no_conflict(e: PropertyResult, s: SymbolicResult) -> None:
    assert conflict(e, s) is None


def test_a_reduced_explicit_graph_may_give_a_longer_counterexample_only() -> None:
    assert conflict(explicit("violated", 3), symbolic("violated", 2), exact=False) is None
    assert conflict(explicit("violated", 2), symbolic("violated", 3), exact=False) is not None


def test_merged_verdict_is_the_explicit_one_with_the_proof() -> None:
    proof = "k-induction, k=3"
    m = merged(explicit("holds"), symbolic("holds", proof=proof))
    assert (m.verdict, m.engine, m.proof) == ("holds", "both", proof)
    m = merged(explicit("violated", 2), symbolic("unknown", bounded=1))
    assert (m.verdict, m.engine, m.bounded) == ("violated", "explicit", None)
    m = merged(explicit("unknown"), symbolic("violated", 2))
    assert (m.verdict, m.engine, m.counterexample) == ("violated", "symbolic", cx(2))
    m = merged(explicit("unknown"), symbolic("unknown", bounded=7))
    assert (m.verdict, m.bounded) == ("unknown", 7)


def test_symbolic_engine_leaves_liveness_to_the_explicit_engine() -> None:
    v = verify(EARLY_EXIT, engine=Engine("symbolic"))
    by = {p.name: p for p in v.result.properties}
    assert [p.name for p in v.result.properties] == ["fork_join", "no_deadlock", "terminates"]
    assert (by["fork_join"].verdict, by["fork_join"].engine) == ("violated", "symbolic")
    assert by["no_deadlock"].proof  # type: ignore[attr-defined]
    assert (by["terminates"].verdict, by["terminates"].engine) == ("holds", "explicit")
    assert v.symbolic is not None and v.symbolic.depth >= 1


def test_safety_only_symbolic_run_explores_no_state() -> None:
    v = verify(EARLY_EXIT, properties=("fork_join",), engine=Engine("symbolic"))
    assert v.result.stats.states == 0
    assert len(v.result.properties[0].counterexample.steps) == 1  # type: ignore[union-attr]


def test_both_engines_report_the_explicit_verdict_and_the_proof() -> None:
    v = verify(NOBODY, engine=Engine("both"))
    by = {p.name: p for p in v.result.properties}
    assert (by["no_deadlock"].verdict, by["no_deadlock"].engine) == ("violated", "both")
    assert len(by["no_deadlock"].counterexample.steps) == 4  # type: ignore[union-attr]
    assert by["no_fatal"].verdict == "holds"
    assert by["no_fatal"].proof  # type: ignore[attr-defined]
    assert by["terminates"].engine == "explicit"  # liveness


def test_depth_bounds_bmc_and_a_deeper_explicit_counterexample_is_no_conflict() -> None:
    only = ("no_deadlock",)
    sym = verify(NOBODY, properties=only, engine=Engine("symbolic", depth=2))
    r = sym.result.properties[0]
    assert (r.verdict, r.bounded) == ("unknown", 2)  # type: ignore[attr-defined]
    both = verify(NOBODY, properties=only, engine=Engine("both", depth=2))
    assert both.result.properties[0].verdict == "violated"


def test_a_wrong_symbolic_verdict_is_an_engine_disagreement(monkeypatch) -> None:
    real = engines.check_symbolic

    def flipped(*args, **kwargs):
        result = real(*args, **kwargs)
        result.properties[:] = [replace(p, verdict="violated" if p.verdict == "holds"
                                        else "holds", counterexample=None)
                                for p in result.properties]
        return result

    monkeypatch.setattr(engines, "check_symbolic", flipped)
    with pytest.raises(EngineDisagreement) as err:
        verify(NOBODY, engine=Engine("both"))
    names = {c.name for c in err.value.conflicts}
    assert names == {"no_deadlock", "no_fatal"}
    assert all(c.explicit is not None and c.symbolic is not None for c in err.value.conflicts)


def test_a_counterexample_that_does_not_replay_is_an_engine_disagreement(monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise Disagreement("fork_join: the symbolic counterexample does not replay")

    monkeypatch.setattr(engines, "check_symbolic", broken)
    for kind in ("symbolic", "both"):
        with pytest.raises(EngineDisagreement, match="disagree"):
            verify(EARLY_EXIT, engine=Engine(kind))
