"""What the workers of the parallel search (parallel.py) send each other, as bytes.

A layer's batch from one worker to an owner is one `marshal` message: the successor keys
(the states' own bytes, never re-encoded), their discovery tags and the stream positions
the sender asks the owner about (the cycle proviso of partial-order reduction), plus flags
every receiver reads before going on. Columns of ints travel as raw `array` bytes.
"""

from __future__ import annotations

import marshal
from array import array
from typing import NamedTuple

ASKS = 1  # the sender asked some worker about a state this round: answers must follow
TIMED_OUT = 2  # the sender ran out of time: the layer is dropped by everyone


class Batch(NamedTuple):
    keys: list[bytes]
    tags: array  # "q": the smallest discovery tag the sender has for each key
    asks: array  # "q": stream positions whose global id the sender wants back
    flags: int


def pack(keys: list[bytes], tags: array, asks: array, flags: int) -> bytes:
    return marshal.dumps((keys, tags.tobytes(), asks.tobytes(), flags))


def unpack(blob: bytes) -> Batch:
    keys, tags, asks, flags = marshal.loads(blob)
    return Batch(keys, longs(tags), longs(asks), flags)


def longs(raw: bytes, code: str = "q") -> array:
    """The array of type `code` whose bytes are `raw`."""
    a = array(code)
    a.frombytes(raw)
    return a
