"""State codecs: an interned key stands for exactly one state, and a search keyed by interned
parts builds the very store a marshal-keyed one builds, in fewer bytes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from gocheck.explore.codec import InterningCodec, MarshalCodec
from gocheck.explore.search import search
from gocheck.explore.store import StateStore
from gocheck.lang.parser import parse_file
from gocheck.verify import build

from .test_store import Wide, rebuild
from .toys import Grid

atoms = st.one_of(st.integers(-(2**40), 2**40), st.none(), st.text(max_size=8))
states = st.recursive(atoms, lambda inner: st.lists(inner, max_size=5).map(tuple), max_leaves=30)
EXAMPLES = Path(__file__).parent.parent.parent / "spec" / "examples"


@given(states)
def test_interned_keys_decode_to_the_state(state):
    codec = InterningCodec()
    key = codec.encode(state)
    assert codec.decode(key) == state
    assert codec.encode(rebuild(state)) == key  # equal values, fresh objects: one key


@given(st.lists(states, min_size=2, max_size=6))
def test_distinct_states_get_distinct_keys(batch):
    codec = InterningCodec()
    keys = [codec.encode(s) for s in batch]
    for a, ka in zip(batch, keys, strict=True):
        for b, kb in zip(batch, keys, strict=True):
            assert (ka == kb) == (a == b)


def test_short_tuples_and_scalars_do_not_collide_with_split_tuples():
    codec = InterningCodec()
    values = [(1, 2, 3), (1, 2, 3, 4), (1, 2), 7, (), ((1, 2, 3),)]
    keys = [codec.encode(v) for v in values]
    assert len(set(keys)) == len(values)
    assert [codec.decode(k) for k in keys] == values


def columns(store: StateStore) -> tuple:
    return ([store.decode(i) for i in range(len(store))], list(store.parent),
            list(store.via), list(store.edge_start), list(store.edge_dst),
            list(store.edge_step), store.steps.items)


def test_a_search_builds_the_same_store_with_either_codec():
    machine = build(parse_file(str(EXAMPLES / "forkjoin.gos")))
    for system in (Grid(4, 3), Wide(), machine):
        plain, interned = StateStore(), StateStore(codec=InterningCodec())
        search(system, plain)
        search(system, interned)
        assert columns(interned) == columns(plain)


def test_interned_keys_take_far_fewer_bytes():
    plain, interned = StateStore(codec=MarshalCodec()), StateStore(codec=InterningCodec())
    search(Wide(), plain)
    search(Wide(), interned)
    assert interned.nbytes() < plain.nbytes() / 2
