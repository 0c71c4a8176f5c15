"""`verify` with the symbolic engine, alone or beside the explicit one, and the rules by which
the two must agree.

The symbolic engine (symbolic/) decides safety properties and invariants; liveness and graph
properties need the whole state graph, so they are always decided by the explicit engine
(their results say `engine: "explicit"`). With `both`, every safety property is decided by
both engines, and they must agree:

- two definite verdicts (holds / violated) are equal;
- a symbolic `unknown` bounded by K (no counterexample of up to K steps) is wrong if the
  explicit engine found one of at most K steps;
- two counterexamples have the same length: BFS and BMC both find shortest runs (partial-
  order reduction may lengthen the explicit one, so with it only "symbolic <= explicit" is
  required).

Anything else is an internal error (EngineDisagreement; the CLI exits 4), and so is a
symbolic counterexample that does not replay through the explicit model (decode's
Disagreement). The reported verdict is the explicit one, with the symbolic proof; when only
one engine reached a verdict (the other hit a limit), that one.
"""

from __future__ import annotations

from collections.abc import Callable

from gocheck.disagreement import Conflict, EngineDisagreement
from gocheck.explore.result import ExploreResult, PropertyResult, Stats
from gocheck.lang import ast
from gocheck.model.machine import Machine
from gocheck.props.library import LIBRARY
from gocheck.symbolic.decode import Disagreement
from gocheck.symbolic.engine import DEPTH, SymbolicResult, check_symbolic, properties_of
from gocheck.verify import Engine, Verification

Explicit = Callable[[tuple[str, ...]], Verification]  # the explicit engine on some properties


def run(spec: ast.Spec, machine: Machine, only: tuple[str, ...], engine: Engine,
        max_seconds: float | None, explicit: Explicit) -> Verification:
    """Decide the spec's properties with `engine.kind` ("symbolic" or "both")."""
    props = properties_of(spec, machine, only)
    safety = [p for p in props if not isinstance(p, str) or LIBRARY[p].kind == "safety"]
    names = tuple(_name(p) for p in props)
    symbolic_names = {_name(p) for p in safety}
    others = tuple(n for n in names if n not in symbolic_names)
    asked = names if engine.kind == "both" else others
    exp = explicit(asked) if asked else None
    depth = DEPTH if engine.depth is None else engine.depth
    try:
        sym = check_symbolic(machine, safety, depth=depth, max_seconds=max_seconds)
    except Disagreement as err:
        verdicts = {} if exp is None else {r.name: r for r in exp.result.properties}
        raise EngineDisagreement(spec.path, [
            Conflict(_name(p), f"the symbolic engine: {err}", verdicts.get(_name(p)), None)
            for p in safety]) from err
    by_name = {r.name: r for r in sym.properties}
    if exp is not None:
        by_name.update({r.name: r for r in exp.result.properties if r.name in others})
    if engine.kind == "both":
        assert exp is not None
        exact = "por" not in exp.reduced_by  # symmetry, dead values keep shortest runs; POR not
        pairs = [(r, by_name[r.name]) for r in exp.result.properties if r.name not in others]
        conflicts = [c for e, s in pairs if (c := conflict(e, s, exact)) is not None]
        if conflicts:
            raise EngineDisagreement(spec.path, conflicts)
        by_name.update({e.name: merged(e, s) for e, s in pairs})
    stats = exp.result.stats if exp is not None else Stats(0, 0, 0.0, 0)
    graph = exp.result.graph if exp is not None else None
    result = ExploreResult([by_name[n] for n in names], stats, graph)
    if exp is None:
        return Verification(spec, machine, result, symbolic=sym.stats)
    return Verification(spec, machine, result, exp.reduced_by, symbolic=sym.stats,
                        renamed=exp.renamed, not_applied=exp.not_applied)


def _name(p: object) -> str:
    return p if isinstance(p, str) else p.name  # type: ignore[attr-defined]


def _steps(r: PropertyResult) -> int | None:
    return None if r.counterexample is None else len(r.counterexample.steps)


def conflict(e: PropertyResult, s: PropertyResult, exact: bool = True) -> Conflict | None:
    """Why explicit result e and symbolic result s of one safety property cannot both be
    right (None: they can). `exact`: the explicit counterexample is a shortest one."""
    bounded = s.bounded if isinstance(s, SymbolicResult) else None
    why = None
    if "unknown" not in (e.verdict, s.verdict) and e.verdict != s.verdict:
        why = f"explicit says {e.verdict}, symbolic says {s.verdict}"
    elif e.verdict == s.verdict == "violated":
        n, m = _steps(e), _steps(s)
        if (n != m) if exact else (m is None or n is None or m > n):
            why = (f"shortest counterexamples differ in length: explicit {n} steps, "
                   f"symbolic {m} steps")
    elif (e.verdict == "violated" and s.verdict == "unknown" and bounded is not None
          and (n := _steps(e)) is not None and n <= bounded):
        why = (f"the explicit engine found a counterexample of {n} steps, the symbolic one "
               f"none of up to {bounded} steps")
    return None if why is None else Conflict(e.name, why, e, s)


def merged(e: PropertyResult, s: PropertyResult) -> SymbolicResult:
    """The verdict both engines agree on: the explicit one with the symbolic proof, or the
    one engine's that is definite."""
    proof = s.proof if isinstance(s, SymbolicResult) else None
    bounded = s.bounded if isinstance(s, SymbolicResult) else None
    if e.verdict != "unknown":
        return SymbolicResult(e.name, e.verdict, "both" if s.verdict != "unknown" else
                              "explicit", e.counterexample, e.reason,
                              proof if e.verdict == "holds" else None)
    if s.verdict != "unknown":
        return SymbolicResult(e.name, s.verdict, "symbolic", s.counterexample, None, proof)
    return SymbolicResult(e.name, "unknown", "both", None,
                          f"explicit: {e.reason}; symbolic: {s.reason}", bounded=bounded)
