"""Small-domain symbolic integers over Boolean literals: the encoding's value type.

Every value of the model is an int from a small, statically known set (a G id, a status, a
queue length...). A `Sym` stores, for each value it may take, the Boolean condition under
which it takes it; the conditions are mutually exclusive and, wherever the value is used,
exhaustive. A state variable is a Sym whose conditions are literals (one-hot for small
domains, a binary code for large ones; layout.py), so `x == 3` is a literal, and a guard is
a conjunction of literals.

Why not z3 Ints: with Int state variables the solver learns through linear arithmetic, and
bounded model checking of this model grew five-fold per step even where only dozens of
states are reachable; over literals, unit propagation carries a chosen step from one frame
to the next, which is what BMC and k-induction of a finite transition system need.

Arithmetic and comparisons with ints and other Syms work as on ints and give Syms and z3
Booleans (or plain ints and bools where the result is known).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import z3
from z3 import z3core

Cond = Any  # a Python bool or a z3 Boolean
Val = Any   # a Python int or a Sym

_CTX = z3.main_ctx()


_SHARED: dict[tuple[Any, ...], z3.BoolRef] | None = None  # see `shared`


@contextmanager
def shared() -> Iterator[None]:
    """Within this block, equal And/Or terms are built once. Building T asks for the same
    conjunction many times over (about 7 times each: every path of a merged helper
    re-derives its cases), and each z3py term construction costs far more than a lookup.
    The cache keeps its terms alive (so the argument ids it is keyed by stay unique) and
    is dropped when the block ends."""
    global _SHARED
    outer, _SHARED = _SHARED, {} if _SHARED is None else _SHARED
    try:
        yield
    finally:
        _SHARED = outer


def _mk(maker: Any, args: list[z3.BoolRef]) -> z3.BoolRef:
    """And/Or through the C API: z3py's own And/Or re-check and coerce every argument,
    which made building the transition relation several times slower."""
    if _SHARED is not None:
        key = (maker, *(a.get_id() for a in args))
        hit = _SHARED.get(key)
        if hit is None:
            hit = _SHARED[key] = _build(maker, args)
        return hit
    return _build(maker, args)


def _build(maker: Any, args: list[z3.BoolRef]) -> z3.BoolRef:
    array = (z3.Ast * len(args))(*(a.as_ast() for a in args))
    return z3.BoolRef(maker(_CTX.ref(), len(args), array), _CTX)


def and_(*cs: Cond) -> Cond:
    rest = [c for c in cs if c is not True]
    if any(c is False for c in rest):
        return False
    if not rest:
        return True
    return rest[0] if len(rest) == 1 else _mk(z3core.Z3_mk_and, rest)


def or_(*cs: Cond) -> Cond:
    rest = [c for c in cs if c is not False]
    if any(c is True for c in rest):
        return True
    if not rest:
        return False
    return rest[0] if len(rest) == 1 else _mk(z3core.Z3_mk_or, rest)


def not_(c: Cond) -> Cond:
    if isinstance(c, bool):
        return not c
    return z3.BoolRef(z3core.Z3_mk_not(_CTX.ref(), c.as_ast()), _CTX)


def boolean(c: Cond) -> z3.BoolRef:
    return z3.BoolVal(c) if isinstance(c, bool) else c


class Sym:
    """A symbolic int: {value: condition}. Build with `make`, which folds constants."""

    __slots__ = ("_memo", "cases")
    __hash__ = None  # type: ignore[assignment]  # == builds a condition

    def __init__(self, cases: dict[int, Cond]):
        self.cases = cases
        self._memo: dict[tuple[object, int], Cond] = {}

    def __bool__(self) -> bool:
        raise TypeError("a symbolic value has no truth value: branch with World.test")

    def __repr__(self) -> str:
        return "Sym(" + ", ".join(f"{v}: {c}" for v, c in self.cases.items()) + ")"

    # --- conditions ---------------------------------------------------------------------
    def where(self, keep: Callable[[int], bool]) -> Cond:
        """The condition under which the value satisfies `keep` (from the smaller side)."""
        yes = [c for v, c in self.cases.items() if keep(v)]
        if len(yes) == len(self.cases):
            return True
        if len(yes) * 2 <= len(self.cases):
            return or_(*yes)
        return not_(or_(*(c for v, c in self.cases.items() if not keep(v))))

    def _compare(self, other: Val, rel: Callable[[int, int], bool]) -> Cond:
        if isinstance(other, int):  # memoized: the same test recurs in many rules
            key = (rel, other)
            if key not in self._memo:
                self._memo[key] = self.where(lambda v: rel(v, other))
            return self._memo[key]
        return or_(*(and_(cu, other.where(lambda v, u=u: rel(u, v)))
                     for u, cu in self.cases.items()))

    def __eq__(self, other: object) -> Cond:  # type: ignore[override]
        if isinstance(other, int):
            return self.cases.get(other, False)
        return self._compare(other, int.__eq__)  # type: ignore[arg-type]

    def __ne__(self, other: object) -> Cond:  # type: ignore[override]
        return not_(self.__eq__(other))

    def __lt__(self, other: Val) -> Cond:
        return self._compare(other, int.__lt__)

    def __le__(self, other: Val) -> Cond:
        return self._compare(other, int.__le__)

    def __gt__(self, other: Val) -> Cond:
        return self._compare(other, int.__gt__)

    def __ge__(self, other: Val) -> Cond:
        return self._compare(other, int.__ge__)

    # --- arithmetic ---------------------------------------------------------------------
    def _apply(self, other: Val, f: Callable[[int, int], int]) -> Val:
        if isinstance(other, int):
            return make_from((f(v, other), c) for v, c in self.cases.items())
        return make_from((f(u, v), and_(cu, cv)) for u, cu in self.cases.items()
                         for v, cv in other.cases.items())

    def __add__(self, other: Val) -> Val:
        return self._apply(other, int.__add__)

    def __radd__(self, other: int) -> Val:
        return self._apply(other, int.__add__)

    def __sub__(self, other: Val) -> Val:
        return self._apply(other, int.__sub__)

    def __rsub__(self, other: int) -> Val:
        return self._apply(other, lambda a, b: b - a)

    def __mul__(self, other: Val) -> Val:
        return self._apply(other, int.__mul__)

    def __rmul__(self, other: int) -> Val:
        return self._apply(other, int.__mul__)

    def __neg__(self) -> Val:
        return self._apply(0, lambda a, _b: -a)

    def __floordiv__(self, other: int) -> Val:
        return self._apply(other, int.__floordiv__)

    def __mod__(self, other: int) -> Val:
        return self._apply(other, int.__mod__)


def make_from(pairs: Iterable[tuple[int, Cond]]) -> Val:
    """A value from (value, condition) pairs; conditions of equal values are joined. The
    pairs must be exclusive and exhaustive."""
    grouped: dict[int, list[Cond]] = {}
    for v, c in pairs:
        if c is not False:
            grouped.setdefault(v, []).append(c)
    if len(grouped) == 1:
        return next(iter(grouped))
    return Sym({v: or_(*cs) for v, cs in grouped.items()})


def choose(options: Iterable[tuple[Cond, Val]]) -> Val:
    """The value of the option whose condition holds (exclusive, exhaustive options)."""
    pairs: list[tuple[int, Cond]] = []
    for cond, value in options:
        if cond is False:
            continue
        if isinstance(value, int):
            pairs.append((value, cond))
        else:
            pairs += [(v, and_(cond, c)) for v, c in value.cases.items()]
    return make_from(pairs)


def ite(c: Cond, a: Val, b: Val) -> Val:
    if c is True:
        return a
    if c is False or same(a, b):
        return b
    return choose(((c, a), (not_(c), b)))


def same(a: Val, b: Val) -> bool:
    """Syntactically the same value (for unchanged variables and folding)."""
    if isinstance(a, int) or isinstance(b, int):
        return isinstance(a, int) and isinstance(b, int) and a == b
    if a is b:
        return True
    return a.cases.keys() == b.cases.keys() and all(
        _same_cond(c, b.cases[v]) for v, c in a.cases.items())


def shape(a: Val) -> Hashable:
    """A key that two values share iff they are `same` (z3 builds each distinct term once,
    so a term's id stands for its structure)."""
    if isinstance(a, int):
        return a
    return tuple(sorted((v, -1 if c is True else -2 if c is False else c.get_id())
                        for v, c in a.cases.items()))


def _same_cond(a: Cond, b: Cond) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a.eq(b)


def eq(a: Val, b: Val) -> Cond:
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return a == b if isinstance(a, Sym) else b == a


def as_int(c: Cond) -> Val:
    return int(c) if isinstance(c, bool) else Sym({1: c, 0: not_(c)})


def total(xs: Iterable[Val]) -> Val:
    out: Val = 0
    for x in xs:
        out = out + x
    return out


def select(values: list[Val], i: Val) -> Val:
    """values[i] for a symbolic index i (out-of-range cases read the last value)."""
    if isinstance(i, int):
        return values[i]
    last = len(values) - 1
    return choose((c, values[v] if 0 <= v <= last else values[last])
                  for v, c in i.cases.items())


def value_in(model: z3.ModelRef, x: Val) -> int:
    """The value x takes in a model."""
    if isinstance(x, int):
        return x
    for v, c in x.cases.items():
        if z3.is_true(model.eval(boolean(c), model_completion=True)):
            return v
    raise ValueError("no case of the value holds in the model")
