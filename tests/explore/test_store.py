"""The state store: one id per distinct state, lossless decoding, compact columns."""

from __future__ import annotations

import marshal

from hypothesis import given
from hypothesis import strategies as st

from gocheck.explore.search import search
from gocheck.explore.store import Interner, Labelling, StateStore

from .toys import Counter, Grid

atoms = st.one_of(st.integers(-(2**40), 2**40), st.booleans(), st.none(), st.text(max_size=8))
states = st.recursive(atoms, lambda inner: st.lists(inner, max_size=5).map(tuple), max_leaves=30)


@given(states)
def test_decode_gives_back_the_state(state):
    store = StateStore()
    sid = store.add(marshal.dumps(state, 2), -1, -1)
    assert store.decode(sid) == state


def rebuild(x):
    """An equal value made of fresh objects: new tuples, strings that are not interned."""
    if isinstance(x, tuple):
        return tuple(rebuild(y) for y in x)
    return "".join(list(x)) if isinstance(x, str) else x


@given(states)
def test_equal_states_encode_equally(state):
    assert marshal.dumps(rebuild(state), 2) == marshal.dumps(state, 2)
    interned = "go_scheduler"
    assert marshal.dumps((rebuild(interned),), 2) == marshal.dumps((interned,), 2)


def test_interner_keeps_first_seen_order():
    names: Interner[str] = Interner()
    assert [names.add(x) for x in "bab"] == [0, 1, 0]
    assert names.items == ["b", "a"] and names[1] == "a" and len(names) == 2


def test_rows_and_tree_after_a_search():
    store = StateStore()
    search(Counter(4, wrap=True), store)
    assert list(store.parent) == [-1, 0, 1, 2]
    assert list(store.edge_start) == [0, 1, 2, 3, 4]
    assert list(store.edge_dst) == [1, 2, 3, 0]
    assert [store.steps[i].action for i in store.edge_step] == ["inc", "inc", "inc", "wrap"]
    assert store.expanded == 4 and store.depth(3) == 3


def test_labelling_masks_and_order():
    lab = Labelling()
    for labels in (frozenset(), frozenset({"b", "a"}), frozenset({"a"})):
        lab.add(labels)
    assert lab.labels() == ["a", "b"]
    assert list(lab.members("a")) == [0, 1, 1] and list(lab.members("b")) == [0, 1, 0]


class Wide:
    """A 12**4 grid padded to states of 50 small ints, the typical size of the 1 KB target."""

    grid = Grid(12, 4)

    def initial_state(self):
        return (0,) * 50

    def successors(self, s):
        return [(step, (*t, *s[4:])) for step, t in self.grid.successors(s[:4])]


def test_under_1kb_per_state_with_edges():
    store = StateStore()
    search(Wide(), store)
    assert len(store) == 12**4
    assert store.nbytes() / len(store) < 1024
