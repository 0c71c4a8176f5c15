"""Stable diagnostic codes: GOS1xx syntax, GOS2xx semantics.

A code names a class of error for good: messages may improve, codes do not change meaning,
so users can search for them. `CATALOGUE` is the one list; tests/lang/test_errors.py holds a
malformed example of each.
"""

from __future__ import annotations

EMPTY = "GOS100"
UNEXPECTED_TOKEN = "GOS101"
UNEXPECTED_EOF = "GOS102"
BAD_CHARACTER = "GOS103"
COUNTED_LOOP = "GOS104"
TOO_DEEP = "GOS105"

MISSING_MAIN = "GOS201"
UNDEFINED_FUNC = "GOS202"
UNDEFINED_OBJECT = "GOS203"
WRONG_KIND = "GOS204"
DUPLICATE = "GOS205"
RECURSION = "GOS206"
MACHINE_TWICE = "GOS207"
UNKNOWN_KEY = "GOS208"
BAD_VALUE = "GOS209"
UNKNOWN_PROPERTY = "GOS210"
UNKNOWN_OBSERVABLE = "GOS211"
TYPE_MISMATCH = "GOS212"
OUT_OF_RANGE = "GOS213"
UNBOUNDED_GO = "GOS214"
SPAWN_CYCLE = "GOS215"
LOOP_VAR_SCOPE = "GOS216"
UNDEFINED_VALUE = "GOS217"
RESERVED = "GOS218"

CATALOGUE: dict[str, str] = {
    EMPTY: "the file holds no spec at all",
    UNEXPECTED_TOKEN: "a token the grammar does not allow here",
    UNEXPECTED_EOF: "the file ends inside a construct",
    BAD_CHARACTER: "a character that starts no token (or an unterminated string or comment)",
    COUNTED_LOOP: "a counted loop not written `for i := 0; i < n; i++`",
    TOO_DEEP: "blocks or expressions nested deeper than the tools recurse",
    MISSING_MAIN: "no `func main`",
    UNDEFINED_FUNC: "a call, `go` or `done()` of a function the spec does not declare",
    UNDEFINED_OBJECT: "a channel, mutex or WaitGroup the spec does not declare",
    WRONG_KIND: "an operation on the wrong kind of object (`wg <- 1`, `ch.Lock()`)",
    DUPLICATE: "a name declared twice, or a name that shadows a declaration",
    RECURSION: "a function that calls itself, directly or through others",
    MACHINE_TWICE: "more than one machine block",
    UNKNOWN_KEY: "a machine key that does not exist",
    BAD_VALUE: "a machine value outside the key's domain",
    UNKNOWN_PROPERTY: "`check` of a property that is not in the library",
    UNKNOWN_OBSERVABLE: "an invariant reads something that is not an observable",
    TYPE_MISMATCH: "an invariant mixes integers and booleans",
    OUT_OF_RANGE: "a statement argument outside its range (`work(0)`, `make(chan int, -1)`)",
    UNBOUNDED_GO: "a `go` statement that `for { }` repeats without bound",
    SPAWN_CYCLE: "a goroutine that starts its own function again, without bound",
    LOOP_VAR_SCOPE: "a loop variable used outside the body of its loop",
    UNDEFINED_VALUE: "a sent value that is neither a literal nor a loop variable",
    RESERVED: "a keyword or builtin used as a name",
}
