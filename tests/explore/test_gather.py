"""The pieces of the parallel search that are plain data: the wire format of a batch and the
merge of the workers' shares into the store's columns, on hand-made shares."""

from __future__ import annotations

from array import array

from gocheck.explore.gather import SHIFT, assemble, columns, interleave
from gocheck.explore.wire import ASKS, TIMED_OUT, longs, pack, unpack


def test_a_batch_round_trips() -> None:
    keys = [b"", b"\x00abc", bytes(range(256))]
    blob = pack(keys, array("q", [1, -1, 1 << 40]), array("q", [7]), ASKS | TIMED_OUT)
    batch = unpack(blob)
    assert batch.keys == keys
    assert list(batch.tags) == [1, -1, 1 << 40] and list(batch.asks) == [7]
    assert batch.flags == ASKS | TIMED_OUT


def test_interleave_takes_each_item_from_its_owner_in_order() -> None:
    assert list(interleave(bytes([0, 1, 1, 0, 2]), [["a", "d"], ["b", "c"], ["e"]])) == [
        "a", "b", "c", "d", "e"]


def tag(parent: int, index: int) -> int:
    return parent << SHIFT | index


def test_columns_merge_rows_edges_and_the_bfs_tree() -> None:
    """States 0..3: 0 (worker 0) -> 1, 2; 1 (worker 1) -> 3; 2 (worker 1) -> 0, 3;
    3 (worker 0) has no successors. Steps: 0->1 is step 5, 0->2 step 6, 1->3 step 7,
    2->0 step 8, 2->3 step 9. 3 was found first from 1 (tag 1:0)."""
    owner = bytes([0, 1, 1, 0])
    tags = array("q", [-1, tag(0, 0), tag(0, 1), tag(1, 0)])
    share0 = (array("i", [2, 0]).tobytes(), array("q", [1, 2]).tobytes(),
              array("i", [5, 6]).tobytes())
    share1 = (array("i", [1, 2]).tobytes(), array("q", [3, 0, 3]).tobytes(),
              array("i", [7, 8, 9]).tobytes())
    start, dst, step, parent, via = (longs(c, "i") for c in columns(
        owner, tags.tobytes(), 4 << SHIFT, [share0, share1]))
    assert list(start) == [2, 3, 5, 5]  # past the initial 0
    assert list(dst) == [1, 2, 3, 0, 3]
    assert list(step) == [5, 6, 7, 8, 9]
    assert list(parent) == [-1, 0, 0, 1]
    assert list(via) == [-1, 5, 6, 7]


def test_columns_keep_only_the_edges_before_the_limit() -> None:
    """The same graph cut at the second edge of state 0 (tag 0:1): state 0's row keeps one
    edge and no later row is kept."""
    owner = bytes([0, 1])
    tags = array("q", [-1, tag(0, 0)])
    share0 = (array("i", [1]).tobytes(), array("q", [1]).tobytes(), array("i", [5]).tobytes())
    share1 = (b"", b"", b"")
    start, dst, _, parent, via = (longs(c, "i") for c in columns(
        owner, tags.tobytes(), tag(0, 1), [share0, share1]))
    assert list(start) == [1] and list(dst) == [1]
    assert list(parent) == [-1, 0] and list(via) == [-1, 5]


def test_assemble_takes_the_least_violation_and_merges_labels() -> None:
    owner = bytes([0, 1, 1, 0])
    bundle0 = (b"", b"", b"", [None, 3], [([frozenset({"x"})], array("i", [0, 0]).tobytes())])
    bundle1 = (b"", b"", b"", [2, 1],
               [([frozenset(), frozenset({"y"})], array("i", [1, 0]).tobytes())])
    first_bad, (labelling,) = assemble(owner, [bundle0, bundle1], 1)
    assert first_bad == (2, 1)
    assert [labelling.sets[i] for i in labelling.of] == [
        frozenset({"x"}), frozenset({"y"}), frozenset(), frozenset({"x"})]
