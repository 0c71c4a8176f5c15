"""The invariant language compiled to predicates: operators, Go's precedence, truth values,
and the errors for what a machine cannot observe."""

import pytest
from model.builders import machine, work

from gocheck.errors import SpecError
from gocheck.lang import ast
from gocheck.props.formula import compile_expr, observable_reference


@pytest.fixture(scope="module")
def m():
    return machine({"main": [work(1)], "w": [work(1)]}, procs=2)


def lit(v: int) -> ast.IntLit:
    return ast.IntLit(v)


def bin_(op: str, a: ast.Expr, b: ast.Expr) -> ast.Binary:
    return ast.Binary(op, a, b)


def value(m, expr: ast.Expr) -> int:
    return compile_expr(expr, m)(m.initial_state())


@pytest.mark.parametrize(("op", "a", "b", "result"), [
    ("+", 2, 3, 5), ("-", 2, 3, -1), ("*", -2, 3, -6),
    ("==", 2, 2, 1), ("==", 2, 3, 0), ("!=", 2, 3, 1), ("!=", 3, 3, 0),
    ("<", 2, 3, 1), ("<", 3, 3, 0), ("<=", 3, 3, 1), ("<=", 4, 3, 0),
    (">", 3, 2, 1), (">", 3, 3, 0), (">=", 3, 3, 1), (">=", 2, 3, 0),
    ("&&", 2, 3, 1), ("&&", 2, 0, 0), ("&&", 0, 0, 0),
    ("||", 0, 5, 1), ("||", 0, 0, 0), ("||", -1, 0, 1),
])
def test_binary_operators(m, op, a, b, result):
    assert value(m, bin_(op, lit(a), lit(b))) == result


@pytest.mark.parametrize(("op", "a", "result"), [("!", 0, 1), ("!", 5, 0), ("-", 4, -4)])
def test_unary_operators(m, op, a, result):
    assert value(m, ast.Unary(op, lit(a))) == result


def test_observables_combine_with_operators(m):
    # initial state: P1 idle, M0 running main, nothing runnable
    expr = bin_("&&", bin_("==", ast.Name("procs_idle"), lit(1)),
                ast.Unary("!", ast.Name("main_done")))
    assert value(m, expr) == 1
    expr = bin_("+", ast.Name("running"), bin_("*", lit(2), ast.Name("threads")))
    assert value(m, expr) == 3


@pytest.mark.parametrize(("text", "result"), [
    ("1 + 2 * 3 == 7", 1),            # * binds tighter than +, + tighter than ==
    ("2 * 3 - 4 * 1 == 2", 1),
    ("1 - 2 - 3 == -4", 1),           # left-associative
    ("1 < 2 == 1", 1),                # Go: comparisons share one level, left to right
    ("0 && 1 || 1", 1),               # && binds tighter than ||
    ("1 || 0 && 0", 1),
    ("!0 && 0", 0),                   # ! binds tightest
    ("!(0 && 0)", 1),
    ("-2 * -3 == 6", 1),
    ("(1 + 2) * 3 == 9", 1),
    ("procs_idle + running * 2 == 3", 1),
    ("len(globalq) == 0 && len(runq[1]) == 0 && runnext(0) == 0", 1),
])
def test_precedence_as_go_parses_it(m, text, result):
    parser = pytest.importorskip("gocheck.lang.parser")
    spec = parser.parse(f"func main() {{ work(1) }}\ninvariant x {{ {text} }}\n", "x.gos")
    assert value(m, spec.invariants[0].expr) == result


def test_observable_reference_spellings():
    assert observable_reference(ast.Name("procs_idle")) == ("procs_idle", None)
    assert observable_reference(ast.CallExpr("len", (ast.Name("globalq"),))) == ("globalq", None)
    assert observable_reference(ast.Name("globalq")) is None  # only as len(globalq)
    assert observable_reference(ast.Name("runq")) is None
    assert observable_reference(
        ast.CallExpr("len", (ast.Index("runq", lit(1)),))) == ("runq", 1)
    assert observable_reference(ast.CallExpr("spinning", (lit(0),))) == ("spinning_p", 0)
    assert observable_reference(ast.CallExpr("done", (ast.Name("w"),))) == ("done", "w")
    assert observable_reference(lit(3)) is None


@pytest.mark.parametrize("expr", [
    ast.CallExpr("len", (ast.Index("runq", lit(2)),)),
    ast.CallExpr("runnext", (lit(5),)),
    ast.CallExpr("spinning", (lit(2),)),
    ast.CallExpr("len", (ast.Index("runq", lit(-1)),)),
])
def test_p_index_out_of_range_is_a_spec_error(m, expr):
    with pytest.raises(SpecError) as err:
        compile_expr(expr, m, "x.gos")
    d = err.value.diagnostics[0]
    assert (d.code, d.path) == ("GOS231", "x.gos")
    assert "procs = 2" in d.message


def test_error_points_at_the_offending_subexpression(m):
    span = ast.Span(3, 9, 3, 20)
    bad = ast.CallExpr("runnext", (lit(7),), span)
    with pytest.raises(SpecError) as err:
        compile_expr(bin_("&&", lit(1), bad), m)
    assert err.value.diagnostics[0].span == span


def test_done_of_an_unknown_function_is_a_spec_error(m):
    with pytest.raises(SpecError) as err:
        compile_expr(ast.CallExpr("done", (ast.Name("nobody"),)), m)
    assert err.value.diagnostics[0].code == "GOS232"


@pytest.mark.parametrize("expr", [
    ast.Name("bogus"),
    ast.Name("globalq"),
    ast.CallExpr("len", (ast.Index("runq", ast.Name("procs_idle")),)),
    ast.Binary("/", lit(4), lit(2)),
    ast.Unary("~", lit(1)),
])
def test_what_is_not_an_observable_or_operator_is_a_spec_error(m, expr):
    with pytest.raises(SpecError) as err:
        compile_expr(expr, m)
    assert err.value.diagnostics[0].code == "GOS230"
