"""Semantic checks of a parsed spec: everything the grammar cannot say.

`check` returns every problem it finds, sorted by position; it never stops at the first,
because each check reads only declarations (which are collected before any use is looked
at) and an unresolved name is reported once, where it is used, and then ignored. The
passes: the machine block, declarations, `func main`, function bodies (bodies.py), the call
and spawn graph (callgraph.py), `check` lines and invariants (invariants.py).
"""

from __future__ import annotations

from gocheck.errors import Diagnostic, SpecError
from gocheck.lang import ast, codes, machine_keys
from gocheck.lang.bodies import BodyChecker, where
from gocheck.lang.callgraph import graph_diagnostics
from gocheck.lang.invariants import ExprChecker
from gocheck.lang.vocabulary import PROPERTIES, RESERVED, did_you_mean

_START = ast.Span(1, 1, 1, 2)


def check(spec: ast.Spec) -> list[Diagnostic]:
    """Every semantic problem of `spec`, in source order."""
    path = spec.path
    out: list[Diagnostic] = []
    procs = _machine(spec, out)
    names = _declarations(spec, out)
    if not isinstance(names.get("main"), ast.FuncDecl):
        out.append(Diagnostic(path, _START, "missing func main: it is the main goroutine",
                              codes.MISSING_MAIN))
    bodies = BodyChecker(path, names)
    for func in spec.funcs:
        bodies.func(func)
    out += bodies.diagnostics
    out += graph_diagnostics(path, bodies.graph)
    _checks(spec, out)
    funcs = {n for n, d in names.items() if isinstance(d, ast.FuncDecl)}
    exprs = ExprChecker(path, funcs, procs)
    for inv in spec.invariants:
        exprs.invariant(inv)
    out += exprs.diagnostics
    return sorted(out, key=lambda d: (d.span.line, d.span.col, d.code, d.message))


def check_or_raise(spec: ast.Spec) -> ast.Spec:
    """`spec` itself if it checks, else a `SpecError` with every problem."""
    diagnostics = check(spec)
    if diagnostics:
        raise SpecError(diagnostics)
    return spec


def _machine(spec: ast.Spec, out: list[Diagnostic]) -> int:
    """Check the machine block(s); return the number of Ps invariants may index."""
    blocks = [i for i in spec.items if isinstance(i, ast.Machine)]
    for extra in blocks[1:]:
        out.append(Diagnostic(spec.path, extra.span,
                              "a spec has at most one machine block (the first is at "
                              f"{where(blocks[0].span)})", codes.MACHINE_TWICE))
    for block in blocks:
        seen: dict[str, ast.MachineEntry] = {}
        for entry in block.entries:
            if entry.key not in machine_keys.KEYS:
                out.append(Diagnostic(spec.path, entry.span, f"unknown machine key {entry.key}",
                                      codes.UNKNOWN_KEY,
                                      did_you_mean(entry.key, machine_keys.KEYS)))
            elif entry.key in seen:
                out.append(Diagnostic(spec.path, entry.span,
                                      f"machine key {entry.key} is set twice (first at "
                                      f"{where(seen[entry.key].span)})", codes.DUPLICATE))
            seen.setdefault(entry.key, entry)
        _, problems = machine_keys.evaluate(block.entries)
        out += [Diagnostic(spec.path, e.span, msg, codes.BAD_VALUE) for e, msg in problems]
    procs = machine_keys.evaluate(blocks[0].entries if blocks else ())[0]["procs"]
    assert isinstance(procs, int)
    return procs


def _declarations(spec: ast.Spec, out: list[Diagnostic]) -> dict[str, ast.VarDecl | ast.FuncDecl]:
    """The first declaration of each name; reports reserved, duplicate and bad capacities."""
    names: dict[str, ast.VarDecl | ast.FuncDecl] = {}
    for item in spec.items:
        if not isinstance(item, ast.VarDecl | ast.FuncDecl):
            continue
        if item.name in RESERVED:
            out.append(Diagnostic(spec.path, item.span,
                                  f"{item.name} is a reserved word; choose another name",
                                  codes.RESERVED))
        elif item.name in names:
            out.append(Diagnostic(spec.path, item.span,
                                  f"{item.name} is declared twice (first at "
                                  f"{where(names[item.name].span)})", codes.DUPLICATE))
        else:
            names[item.name] = item
        if isinstance(item, ast.VarDecl) and item.capacity is not None and item.capacity < 0:
            out.append(Diagnostic(spec.path, item.span,
                                  f"make(chan {item.elem_type}, {item.capacity}): the capacity "
                                  "must not be negative", codes.OUT_OF_RANGE))
    return names


def _checks(spec: ast.Spec, out: list[Diagnostic]) -> None:
    """`check` lines name library properties, once each; invariant names are unique."""
    seen: dict[str, ast.Span] = {}
    for item in spec.items:
        if isinstance(item, ast.Check):
            if item.name not in PROPERTIES:
                out.append(Diagnostic(spec.path, item.span, f"unknown property {item.name}",
                                      codes.UNKNOWN_PROPERTY,
                                      (*did_you_mean(item.name, PROPERTIES),
                                       "the library: " + ", ".join(PROPERTIES))))
                continue
        elif isinstance(item, ast.Invariant):
            if item.name in PROPERTIES:
                out.append(Diagnostic(spec.path, item.span,
                                      f"invariant {item.name} has the name of a library "
                                      "property", codes.DUPLICATE))
                continue
        else:
            continue
        if item.name in seen:
            out.append(Diagnostic(spec.path, item.span,
                                  f"{item.name} is checked twice (first at "
                                  f"{where(seen[item.name])})", codes.DUPLICATE))
        seen.setdefault(item.name, item.span)
