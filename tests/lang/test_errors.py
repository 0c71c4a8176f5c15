"""The message catalogue: one malformed spec per row, with the code, line and column it gets.

Each row is a small spec with one mistake; the test asserts that the mistake is reported
exactly once, with its code, at its line and column, with a message that says what is wrong.
Every code of `codes.CATALOGUE` has at least one row.
"""

from __future__ import annotations

import pytest

from gocheck.errors import SpecError
from gocheck.lang import codes
from gocheck.lang.check import check
from gocheck.lang.parser import parse

MAIN = "func main() {}\n"
DECLS = "var ch = make(chan int)\nvar mu sync.Mutex\nvar wg sync.WaitGroup\n"

# (id, source, code, line, col, part of the message)
CASES = [
    # --- syntax -------------------------------------------------------------------------------
    ("empty", "", codes.EMPTY, 1, 1, "empty spec"),
    ("blank", "  \n\n\t\n", codes.EMPTY, 1, 1, "empty spec"),
    ("work-no-arg", "func main() { work() }\n", codes.UNEXPECTED_TOKEN, 1, 20,
     "unexpected ')', expected an integer"),
    ("bad-method", "func main() {\n    wg.Foo()\n}\n", codes.UNEXPECTED_TOKEN, 2, 8,
     "expected 'Add', 'Done', 'Lock', 'Unlock' or 'Wait'"),
    ("brace-on-next-line", "func main()\n{\n}\n", codes.UNEXPECTED_TOKEN, 1, 12,
     "unexpected newline, expected '{'"),
    ("two-statements-one-line", "func main() {\n    work(1) work(2)\n}\n",
     codes.UNEXPECTED_TOKEN, 2, 13, "unexpected 'work', expected newline or '}'"),
    ("stray-top-level", MAIN + "work(1)\n", codes.UNEXPECTED_TOKEN, 2, 1,
     "expected a declaration"),
    ("check-without-name", MAIN + "check\n", codes.UNEXPECTED_TOKEN, 2, 6,
     "unexpected newline, expected a name"),
    ("bad-send-value", DECLS + "func main() {\n    ch <- <-ch\n}\n", codes.UNEXPECTED_TOKEN,
     5, 11, "unexpected '<-'"),
    ("invariant-dangling-op", MAIN + "invariant x { running < }\n", codes.UNEXPECTED_TOKEN,
     2, 25, "expected an expression"),
    ("unclosed-func", "func main() {\n    work(1)\n", codes.UNEXPECTED_EOF, 2, 12,
     "unexpected end of file, expected"),
    ("unclosed-make", "var ch = make(chan int", codes.UNEXPECTED_EOF, 1, 23,
     "unexpected end of file"),
    ("bad-character", "func main() { work(1) @ }\n", codes.BAD_CHARACTER, 1, 23,
     "unexpected character '@'"),
    ("unterminated-string", 'machine {\n    runtime = "go1.13\n}\n' + MAIN,
     codes.BAD_CHARACTER, 2, 15, "string not terminated"),
    ("unterminated-comment", MAIN + "/* never closed\n", codes.BAD_CHARACTER, 2, 1,
     "comment not terminated"),
    ("counted-loop-names", "func main() {\n    for i := 0; j < 2; i++ {}\n}\n",
     codes.COUNTED_LOOP, 2, 5, "for i := 0; i < n; i++"),
    ("counted-loop-start", "func main() {\n    for i := 1; i < 2; i++ {}\n}\n",
     codes.COUNTED_LOOP, 2, 5, "for i := 0"),
    ("too-deep", MAIN + "invariant x { " + "!" * 250 + "main_done }\n", codes.TOO_DEEP, 2,
     15 + 198, "nested more than 200 levels deep"),
    # --- semantics ----------------------------------------------------------------------------
    ("missing-main", "var wg sync.WaitGroup\n", codes.MISSING_MAIN, 1, 1, "missing func main"),
    ("undefined-call", "func main() {\n    worker()\n}\n", codes.UNDEFINED_FUNC, 2, 5,
     "undefined function worker"),
    ("undefined-go", "func worker() {}\nfunc main() {\n    go wroker()\n}\n",
     codes.UNDEFINED_FUNC, 3, 5, "undefined function wroker"),
    ("undefined-done", MAIN + "invariant x { done(worker) }\n", codes.UNDEFINED_FUNC, 2, 20,
     "undefined function worker"),
    ("undefined-chan", "func main() {\n    <-jobs\n}\n", codes.UNDEFINED_OBJECT, 2, 5,
     "undefined channel jobs"),
    ("undefined-mutex", "func main() {\n    mu.Lock()\n}\n", codes.UNDEFINED_OBJECT, 2, 5,
     "undefined sync.Mutex mu"),
    ("undefined-wg", "func main() {\n    wg.Wait()\n}\n", codes.UNDEFINED_OBJECT, 2, 5,
     "undefined sync.WaitGroup wg"),
    ("send-on-wg", DECLS + "func main() {\n    wg <- 1\n}\n", codes.WRONG_KIND, 5, 5,
     "wg is a sync.WaitGroup, not a channel"),
    ("lock-chan", DECLS + "func main() {\n    ch.Lock()\n}\n", codes.WRONG_KIND, 5, 5,
     "ch is a channel, not a sync.Mutex"),
    ("wait-mutex", DECLS + "func main() {\n    mu.Wait()\n}\n", codes.WRONG_KIND, 5, 5,
     "mu is a sync.Mutex, not a sync.WaitGroup"),
    ("call-chan", DECLS + "func main() {\n    ch()\n}\n", codes.WRONG_KIND, 5, 5,
     "ch is a channel, not a function"),
    ("close-func", "func f() {}\nfunc main() {\n    close(f)\n}\n", codes.WRONG_KIND, 3, 5,
     "f is a function, not a channel"),
    ("duplicate-func", MAIN + "func main() {}\n", codes.DUPLICATE, 2, 1,
     "main is declared twice (first at 1:1)"),
    ("var-func-clash", "func ch() {}\n" + DECLS + MAIN, codes.DUPLICATE, 2, 1,
     "ch is declared twice"),
    ("duplicate-key", "machine {\n    procs = 2\n    procs = 3\n}\n" + MAIN, codes.DUPLICATE,
     3, 5, "procs is set twice"),
    ("check-twice", MAIN + "check fork_join\ncheck fork_join\n", codes.DUPLICATE, 3, 1,
     "fork_join is checked twice"),
    ("invariant-named-property", MAIN + "invariant fork_join { main_done }\n",
     codes.DUPLICATE, 2, 1, "name of a library property"),
    ("loop-var-shadows", DECLS + "func main() {\n    for mu := range ch {}\n}\n",
     codes.DUPLICATE, 5, 5, "loop variable mu shadows the sync.Mutex"),
    ("two-defaults", "func main() {\n    select {\n    default:\n    default:\n    }\n}\n",
     codes.DUPLICATE, 4, 5, "more than one default"),
    ("direct-recursion", "func main() {\n    main()\n}\n", codes.RECURSION, 2, 5,
     "recursive call: main -> main"),
    ("two-machines", "machine {}\nmachine {}\n" + MAIN, codes.MACHINE_TWICE, 2, 1,
     "at most one machine block"),
    ("unknown-key", "machine {\n    prcs = 2\n}\n" + MAIN, codes.UNKNOWN_KEY, 2, 5,
     "unknown machine key prcs"),
    ("procs-zero", "machine {\n    procs = 0\n}\n" + MAIN, codes.BAD_VALUE, 2, 5,
     "procs = 0 is out of range 1..64"),
    ("procs-too-many", "machine {\n    procs = 65\n}\n" + MAIN, codes.BAD_VALUE, 2, 5,
     "out of range 1..64"),
    ("threads-below-procs", "machine {\n    procs = 4\n    threads = 3\n}\n" + MAIN,
     codes.BAD_VALUE, 3, 5, "threads = 3 is out of range procs..256, here 4..256"),
    ("bad-word", "machine {\n    preemption = fast\n}\n" + MAIN, codes.BAD_VALUE, 2, 5,
     "expected one of async | cooperative | off"),
    ("quoted-word", 'machine {\n    sysmon = "on"\n}\n' + MAIN, codes.BAD_VALUE, 2, 5,
     "expected one of on | off"),
    ("word-for-int", "machine {\n    runq = on\n}\n" + MAIN, codes.BAD_VALUE, 2, 5,
     "runq needs an integer in 1..256"),
    ("unknown-property", MAIN + "check fork_jion\n", codes.UNKNOWN_PROPERTY, 2, 1,
     "unknown property fork_jion"),
    ("unknown-observable", MAIN + "invariant x { spinnig <= 1 }\n", codes.UNKNOWN_OBSERVABLE,
     2, 15, "unknown observable spinnig"),
    ("bare-queue", MAIN + "invariant x { globalq <= 1 }\n", codes.UNKNOWN_OBSERVABLE, 2, 15,
     "its length is len(globalq)"),
    ("runq-beyond-procs", MAIN + "invariant x { len(runq[2]) <= 1 }\n",
     codes.UNKNOWN_OBSERVABLE, 2, 19, "runq[2] does not exist: with procs = 2"),
    ("runnext-beyond-procs", MAIN + "invariant x { runnext(2) == 0 }\n",
     codes.UNKNOWN_OBSERVABLE, 2, 23, "P 2 does not exist: with procs = 2"),
    ("spinning-of-name", MAIN + "invariant x { spinning(main) == 0 }\n",
     codes.UNKNOWN_OBSERVABLE, 2, 15, "spinning() takes one P index"),
    ("len-of-other", MAIN + "invariant x { len(threads) <= 1 }\n", codes.UNKNOWN_OBSERVABLE,
     2, 15, "len() takes globalq or runq[i]"),
    ("unknown-function", MAIN + "invariant x { cap(globalq) <= 1 }\n",
     codes.UNKNOWN_OBSERVABLE, 2, 15, "unknown function cap()"),
    ("int-invariant", MAIN + "invariant x { len(globalq) + 1 }\n", codes.TYPE_MISMATCH, 2, 15,
     "invariant x is an integer"),
    ("bool-plus", MAIN + "invariant x { main_done + 1 > 0 }\n", codes.TYPE_MISMATCH, 2, 15,
     "operator + needs an integer, not a boolean"),
    ("int-and", MAIN + "invariant x { spinning && main_done }\n", codes.TYPE_MISMATCH, 2, 15,
     "operator && needs a boolean, not an integer"),
    ("mixed-equal", MAIN + "invariant x { main_done == 1 }\n", codes.TYPE_MISMATCH, 2, 15,
     "operator == compares a boolean with an integer"),
    ("work-zero", "func main() {\n    work(0)\n}\n", codes.OUT_OF_RANGE, 2, 5,
     "work(0): the number of ticks must be at least 1"),
    ("work-negative", "func main() {\n    work(-1)\n}\n", codes.OUT_OF_RANGE, 2, 5,
     "work(-1)"),
    ("spin-zero", "func main() {\n    spin(0)\n}\n", codes.OUT_OF_RANGE, 2, 5, "spin(0)"),
    ("syscall-zero", "func main() {\n    syscall(0, block)\n}\n", codes.OUT_OF_RANGE, 2, 5,
     "syscall(0)"),
    ("sleep-negative", "func main() {\n    time.Sleep(-1)\n}\n", codes.OUT_OF_RANGE, 2, 5,
     "time.Sleep(-1): the duration must not be negative"),
    ("capacity-negative", "var ch = make(chan int, -1)\n" + MAIN, codes.OUT_OF_RANGE, 1, 1,
     "make(chan int, -1): the capacity must not be negative"),
    ("loop-count-negative", "func main() {\n    for range -1 {}\n}\n", codes.OUT_OF_RANGE,
     2, 5, "the count must not be negative"),
    ("go-in-forever", "func f() {}\nfunc main() {\n    for {\n        go f()\n    }\n}\n",
     codes.UNBOUNDED_GO, 4, 9, "go f() inside for { }"),
    ("go-func-in-forever", "func main() {\n    for {\n        go func() {}()\n    }\n}\n",
     codes.UNBOUNDED_GO, 3, 9, "go func() { ... }() inside for { }"),
    ("spawning-call-in-forever",
     "func g() {}\nfunc f() {\n    go g()\n}\nfunc main() {\n    for {\n        f()\n    }\n}\n",
     codes.UNBOUNDED_GO, 7, 9, "f() inside for { } starts goroutines without bound (f -> go g)"),
    ("spawn-cycle", "func f() {\n    go f()\n}\nfunc main() {\n    f()\n}\n",
     codes.SPAWN_CYCLE, 2, 5, "unbounded goroutines: f -> go f"),
    ("loop-var-after-loop",
     DECLS + "func main() {\n    for i := 0; i < 2; i++ {}\n    ch <- i\n}\n",
     codes.LOOP_VAR_SCOPE, 6, 5, "i is used outside its loop: it is the variable of the loop "
     "at 5:5"),
    ("undefined-value", DECLS + "func main() {\n    ch <- x\n}\n", codes.UNDEFINED_VALUE, 5, 5,
     "cannot send x"),
    ("reserved-func", "func for() {}\n" + MAIN, codes.RESERVED, 1, 1, "for is a reserved word"),
    ("reserved-var", "var work sync.Mutex\n" + MAIN, codes.RESERVED, 1, 1,
     "work is a reserved word"),
    ("reserved-loop-var", DECLS + "func main() {\n    for true := range ch {}\n}\n",
     codes.RESERVED, 5, 5, "true is a reserved word"),
]


def diagnostics_of(source: str) -> list:
    try:
        spec = parse(source, "bad.gos")
    except SpecError as err:
        return err.diagnostics
    return check(spec)


@pytest.mark.parametrize(("source", "code", "line", "col", "message"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_error_is_reported_once_at_its_place(source, code, line, col, message):
    found = diagnostics_of(source)
    assert [(d.code, d.span.line, d.span.col) for d in found] == [(code, line, col)], found
    assert message in found[0].message
    assert found[0].path == "bad.gos"


def test_every_code_has_an_example():
    assert {c[2] for c in CASES} == set(codes.CATALOGUE)


def test_codes_are_stable_and_grouped_by_phase():
    syntax = {c for c in codes.CATALOGUE if c.startswith("GOS1")}
    semantic = {c for c in codes.CATALOGUE if c.startswith("GOS2")}
    assert syntax | semantic == set(codes.CATALOGUE)
    assert codes.UNEXPECTED_TOKEN == "GOS101" and codes.MISSING_MAIN == "GOS201"
