"""How a store turns a state into the bytes that key it, and back.

`MarshalCodec`: the bytes of `marshal.dumps(state, 2)` (see store.py for why version 2).
Self-contained, so another process can encode alike (parallel.py relies on it), but large:
about 390 bytes for a two-P machine state, and decoding rebuilds every nested tuple.

`InterningCodec`: a state's parts are interned, and its key is their indices, packed. A
tuple state of three or more parts is split into its first three parts and the tuple of the
rest (the machine's Gs, Ps, Ms, and everything else: the parts that change on their own),
and its key is those four indices as 16 bytes; any other state is interned whole, a 4-byte
key (the two lengths keep the forms apart). Successive states share most parts, so the
table stays small next to the states, a key is ~50 bytes instead of ~420, and decoding
builds one tuple whose parts are shared objects. Two states get one key iff they are equal
(`==`), where marshal keeps `True` and `1` apart: models keep their types consistent
(store.py), so the counts agree. The indices are handed out in first-seen order, so a
deterministic search gets the same keys every time; they only mean something to the codec
that made them, so this codec is for one process.
"""

from __future__ import annotations

import marshal
import sys
from struct import Struct
from typing import Any

_FOUR = Struct("<4I")
_ONE = Struct("<I")


class MarshalCodec:
    """Keys are marshal's version-2 bytes of the state."""

    __slots__ = ()

    @staticmethod
    def encode(state: Any) -> bytes:
        return marshal.dumps(state, 2)

    decode = staticmethod(marshal.loads)

    @staticmethod
    def nbytes() -> int:
        return 0


class InterningCodec:
    """Keys are the packed indices of a state's interned parts (module doc)."""

    __slots__ = ("_get", "index", "items")

    def __init__(self) -> None:
        self.items: list[Any] = []
        self.index: dict[Any, int] = {}
        self._get = self.index.get

    def _id(self, part: Any) -> int:
        i = self._get(part)
        if i is None:
            i = self.index[part] = len(self.items)
            self.items.append(part)
        return i

    def encode(self, state: Any) -> bytes:
        get = self._get
        if type(state) is tuple and len(state) >= 3:
            rest = state[3:]
            a, b, c, d = get(state[0]), get(state[1]), get(state[2]), get(rest)
            if a is None or b is None or c is None or d is None:
                add = self._id
                a, b, c, d = add(state[0]), add(state[1]), add(state[2]), add(rest)
            return _FOUR.pack(a, b, c, d)
        return _ONE.pack(self._id(state))

    def decode(self, key: bytes) -> Any:
        items = self.items
        if len(key) == 16:
            a, b, c, d = _FOUR.unpack(key)
            return (items[a], items[b], items[c], *items[d])
        return items[_ONE.unpack(key)[0]]

    def nbytes(self) -> int:
        """The table's own bytes: the index, the list, and every distinct part (deeply)."""
        return (sys.getsizeof(self.index) + sys.getsizeof(self.items)
                + sum(map(_deep_size, self.items)))


def _deep_size(x: Any) -> int:
    if type(x) is tuple:
        return sys.getsizeof(x) + sum(map(_deep_size, x))
    return sys.getsizeof(x)
