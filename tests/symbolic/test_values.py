"""Small-domain symbolic integers: `shape` keys values exactly as `same` compares them,
which is what lets T give one option to all the writers of one value."""

from __future__ import annotations

import z3

from gocheck.symbolic.values import Sym, and_, choose, same, shape


def test_values_built_apart_with_the_same_cases_share_a_shape() -> None:
    a, b = z3.Bools("a b")
    first = Sym({1: and_(a, b), 2: z3.Not(and_(a, b))})
    second = Sym({2: z3.Not(and_(a, b)), 1: and_(a, b)})  # other order, terms rebuilt
    assert same(first, second) and shape(first) == shape(second)


def test_values_that_differ_have_different_shapes() -> None:
    a, b = z3.Bools("a b")
    base = Sym({1: a, 2: z3.Not(a)})
    others = [Sym({1: b, 2: z3.Not(b)}), Sym({1: a, 3: z3.Not(a)}), 1,
              choose(((a, 1), (z3.Not(a), 2)))]
    assert shape(base) == shape(others[3]) and same(base, others[3])
    for other in others[:3]:
        assert not same(base, other) and shape(base) != shape(other)
    assert shape(1) == shape(1) and shape(1) != shape(2)
