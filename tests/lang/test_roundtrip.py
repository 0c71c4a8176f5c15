"""Property tests: generated specs are valid, and formatting is faithful and idempotent.

The CI profile runs each with 500 examples (tests/conftest.py).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import Sizes, messy_texts, spec_texts, specs

from gocheck.errors import SpecError
from gocheck.lang import ast
from gocheck.lang.check import check
from gocheck.lang.diagnostics import render_all
from gocheck.lang.fmt import format_spec
from gocheck.lang.parser import parse

pytestmark = pytest.mark.slow


@given(specs())
def test_generated_specs_check_and_print_faithfully(spec: ast.Spec):
    assert check(spec) == []
    assert parse(format_spec(spec)) == spec


@given(spec_texts())
def test_canonical_text_is_a_fixed_point(text: str):
    assert format_spec(parse(text)) == text


@given(messy_texts())
def test_fmt_is_idempotent_and_keeps_the_spec_and_its_comments(text: str):
    spec = parse(text)
    once = format_spec(spec)
    again = parse(once)
    assert format_spec(again) == once
    assert again == spec
    assert sorted(c.text for c in again.comments) == sorted(c.text for c in spec.comments)


@given(specs(Sizes(max_funcs=1, max_depth=1, max_stmts=2, procs=(1, 1), max_go=1)))
def test_sizes_bound_the_generated_spec(spec: ast.Spec):
    def stmts(block: ast.Block, depth: int) -> int:
        assert len(block.stmts) <= 2
        n = 0
        for s in block.stmts:
            inner = [getattr(s, "body", None)] + [c.body for c in getattr(s, "cases", ())]
            for b in inner:
                if isinstance(b, ast.Block):
                    assert depth < 1
                    n += stmts(b, depth + 1)
            n += isinstance(s, ast.Go)
        return n

    assert len(spec.funcs) <= 2
    assert sum(stmts(f.body, 0) for f in spec.funcs) <= 1
    machine = spec.machine
    assert machine is not None and ast.MachineEntry("procs", 1) in machine.entries


_PIECES = (*'{}()[];:=<-+!&|"/*\n\t ,.0', "go", "for", "func", "select", "case", "default",
           "work", "x", "/*", "//")


@given(messy_texts(), st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 2),
                                         st.sampled_from(_PIECES)), min_size=1, max_size=4))
def test_mangled_text_gets_diagnostics_never_a_crash(text: str, edits):
    for pos, kind, piece in edits:
        p = pos % (len(text) + 1)
        text = (text[:p] + text[p + 1:], text[:p] + piece + text[p:],
                text[:p] + piece + text[p + 1:])[kind]
    try:
        spec = parse(text, "m.gos")
    except SpecError as err:
        lines = text.count("\n") + 1
        assert all(1 <= d.span.line <= lines for d in err.diagnostics)
        assert render_all(err.diagnostics, {"m.gos": text})
        return
    check(spec)
    once = format_spec(spec)
    assert parse(once) == spec and format_spec(parse(once)) == once
