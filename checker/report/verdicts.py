"""Verdicts for people (text) and for programs (JSON), and the exit code they imply."""

from __future__ import annotations

import json
from collections.abc import Sequence

from gocheck.disagreement import EngineDisagreement
from gocheck.explore.result import PropertyResult
from gocheck.report.text import step_table, timeline
from gocheck.verify import Verification

EXIT_HOLDS, EXIT_VIOLATED, EXIT_UNKNOWN, EXIT_DISAGREEMENT = 0, 1, 3, 4


def exit_code(done: Sequence[Verification]) -> int:
    verdicts = {p.verdict for v in done for p in v.result.properties}
    if "violated" in verdicts:
        return EXIT_VIOLATED
    if "unknown" in verdicts:
        return EXIT_UNKNOWN
    return EXIT_HOLDS


def to_json(v: Verification) -> dict[str, object]:
    stats = v.result.stats
    out: dict[str, object] = {"states": stats.states, "transitions": stats.transitions,
                              "seconds": round(stats.seconds, 3)}
    if v.symbolic is not None:
        out["symbolic"] = {"depth": v.symbolic.depth, "seconds": round(v.symbolic.seconds, 3)}
    if v.reduced_by or v.not_applied:
        out["reductions"] = {"applied": list(v.reduced_by), "renamed": list(v.renamed),
                             "not_applied": list(v.not_applied)}
    compaction = _hash_compaction(v)
    if compaction is not None:
        out["hash_compaction"] = {"bits": compaction[0], "miss_probability": compaction[1]}
    return {
        "spec": v.spec.path,
        "properties": [p.to_json() for p in v.result.properties],
        "stats": out,
    }


def render_text(v: Verification) -> str:
    lines = _headline(v)
    width = max(len(p.name) for p in v.result.properties) if v.result.properties else 0
    for p in v.result.properties:
        note = ""
        if p.verdict == "unknown" and p.reason:
            note = f"  ({p.reason})"
        elif p.counterexample is not None:
            cx = p.counterexample
            note = f"  ({len(cx.steps)} steps" + (
                f", cycle from step {cx.loop_start + 1})" if cx.loop_start is not None else ")")
        lines.append(f"  {p.name:<{width}}  {p.verdict}{note}{_how(v, p)}")
    for p in v.result.properties:
        if p.counterexample is None:
            continue
        cx = p.counterexample
        shortest = ("a run that breaks it (shortest under partial-order reduction)"
                    if "por" in v.reduced_by else "a shortest run that breaks it")
        lines += ["", f"{p.name} violated: {shortest}"]
        lines += step_table(cx.steps, cx.loop_start)
        lines += ["", "  per-P timeline (state after each step; . idle, sys:G in syscall,"
                  " spin/sched: an M looking for work)"]
        lines += timeline(v.states_of(cx.steps))
    return "\n".join(lines)


def _headline(v: Verification) -> list[str]:
    """What each engine that ran did: states explored, or the depth z3 reached."""
    stats, sym = v.result.stats, v.symbolic
    lines = []
    if sym is None or stats.states:
        which = "" if sym is None else "explicit engine, "
        lines.append(f"{v.spec.path}: {which}{stats.states:,} states, {stats.transitions:,} "
                     f"transitions, {stats.seconds:.2f} s")
        if stats.stop_reason:
            lines.append(f"  search stopped early: {stats.stop_reason}")
        lines += _reductions(v)
        compaction = _hash_compaction(v)
        if compaction is not None:
            lines.append(f"  {compaction[0]}-bit hash compaction: every verdict but a violation "
                         f"is probabilistic, a state missed with probability <= "
                         f"{compaction[1]:.1e}")
    if sym is not None:
        lines.append(f"{v.spec.path}: symbolic engine, BMC to depth {sym.depth}, "
                     f"{sym.seconds:.2f} s")
        if sym.stop_reason:
            lines.append(f"  symbolic search stopped early: {sym.stop_reason}")
    return lines


def _reductions(v: Verification) -> list[str]:
    """Which reductions shaped the figures above (symmetry says which names it merged), and
    which requested ones this run left out."""
    lines = []
    if v.reduced_by:
        named = {"symmetry": f"symmetry (renaming {', '.join(v.renamed)})",
                 "por": "partial-order reduction"}
        lines.append("  reduced by: " + ", ".join(named.get(r, r) for r in v.reduced_by))
    lines += [f"  not applied: {why}" for why in v.not_applied]
    return lines


def _hash_compaction(v: Verification) -> tuple[int, float] | None:
    """The hash width and the odds of a missed state, when the store was hash-compacted."""
    graph = v.result.graph
    if "hash-compaction" not in v.reduced_by or graph is None:
        return None
    store = graph.store
    return store.hash_bits or 0, store.miss_probability()


def _how(v: Verification, p: PropertyResult) -> str:
    """The proof of a symbolic `holds`, the bound of an `unknown`, and which engine decided
    when the symbolic engine ran (it leaves liveness to the explicit one)."""
    out = ""
    proof, bounded = getattr(p, "proof", None), getattr(p, "bounded", None)
    if proof:
        out += f"  [proved by {proof}]"
    if bounded is not None:
        out += f"  [bounded to {bounded} steps]"
    if v.symbolic is not None and v.result.stats.states and p.engine != "both":
        out += f"  [{p.engine} engine]"  # only when both engines ran
    return out


def render_disagreement(err: EngineDisagreement) -> str:
    """Both engines' answers for every property they disagree on (an internal error)."""
    lines = [f"gocheck: internal error: {err}", "  please report this with the spec"]
    for c in err.conflicts:
        lines.append(f"  {c.name}: {c.why}")
        for engine, r in (("explicit", c.explicit), ("symbolic", c.symbolic)):
            answer = "(no answer)" if r is None else json.dumps(r.to_json())
            lines.append(f"    {engine}: {answer}")
    return "\n".join(lines)
