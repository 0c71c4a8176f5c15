"""The formatter: canonical layout, minimal parentheses, and comments kept where they were."""

from __future__ import annotations

import pytest

from gocheck.lang import ast
from gocheck.lang.fmt import expr_text, format_spec
from gocheck.lang.parser import parse


def fmt(text: str) -> str:
    out = format_spec(parse(text))
    assert format_spec(parse(out)) == out, "not idempotent"
    assert parse(out) == parse(text), "changed the spec"
    return out


def test_canonical_layout():
    messy = (
        "machine{procs=2;preemption=async}\n"
        "var wg sync . WaitGroup\nvar ch=make(chan  struct { },1)\n"
        "func worker(){work(2);syscall(1,block)\n\twg.Done()}\n"
        "func main(){wg.Add(+0-1+2)}\n"
    )
    with pytest.raises(Exception):  # noqa: B017 - `+0` is not a spec integer
        parse(messy)
    messy = messy.replace("+0-1+2", "2")
    assert fmt(messy) == (
        "machine {\n    procs = 2\n    preemption = async\n}\n\n"
        "var wg sync.WaitGroup\nvar ch = make(chan struct{}, 1)\n\n"
        "func worker() {\n    work(2)\n    syscall(1, block)\n    wg.Done()\n}\n\n"
        "func main() {\n    wg.Add(2)\n}\n"
    )


def test_every_statement_form():
    text = (
        "var ch = make(chan int)\nvar mu sync.Mutex\nvar wg sync.WaitGroup\n\n"
        "func f() {}\n\n"
        "func main() {\n"
        "    work(1)\n    spin(2)\n    syscall(1)\n    syscall(2, block)\n    netread()\n"
        "    time.Sleep(0)\n    go f()\n    go func() {}()\n    go func() {\n        f()\n"
        "    }()\n    ch <- -1\n    ch <- struct{}{}\n    <-ch\n    close(ch)\n"
        "    mu.Lock()\n    mu.Unlock()\n    wg.Add(-1)\n    wg.Done()\n    wg.Wait()\n"
        "    runtime.Gosched()\n    f()\n"
        "    for range 2 {}\n    for i := 0; i < 3; i++ {\n        ch <- i\n    }\n"
        "    for range ch {}\n    for v := range ch {\n        ch <- v\n    }\n"
        "    for {\n        spin(1)\n    }\n"
        "    select {}\n    select {\n    case ch <- 1:\n        work(1)\n    case <-ch:\n"
        "    default:\n    }\n    return\n}\n\n"
        "check fork_join\ncheck no_fatal\n\n"
        "invariant a { len(runq[0]) <= 1 }\ninvariant b { !main_done || done(f) }\n"
    )
    assert fmt(text) == text


def test_blank_lines_between_items_and_kept_inside_blocks():
    text = ("var a sync.Mutex\n\n\n\nvar b sync.Mutex\nvar c sync.Mutex\n"
            "func main() {\n\n    work(1)\n\n\n    work(2)\n\n}\ncheck no_fatal\ncheck fork_join\n")
    assert fmt(text) == ("var a sync.Mutex\n\nvar b sync.Mutex\nvar c sync.Mutex\n\n"
                         "func main() {\n    work(1)\n\n    work(2)\n}\n\n"
                         "check no_fatal\ncheck fork_join\n")


@pytest.mark.parametrize(("expr", "text"), [
    (ast.Binary("*", ast.Binary("+", ast.IntLit(1), ast.IntLit(2)), ast.IntLit(3)),
     "(1 + 2) * 3"),
    (ast.Binary("+", ast.IntLit(1), ast.Binary("*", ast.IntLit(2), ast.IntLit(3))),
     "1 + 2 * 3"),
    (ast.Binary("-", ast.IntLit(1), ast.Binary("-", ast.IntLit(2), ast.IntLit(3))),
     "1 - (2 - 3)"),
    (ast.Binary("-", ast.Binary("-", ast.IntLit(1), ast.IntLit(2)), ast.IntLit(3)),
     "1 - 2 - 3"),
    (ast.Binary("&&", ast.Binary("||", ast.Name("a"), ast.Name("b")), ast.Name("c")),
     "(a || b) && c"),
    (ast.Unary("!", ast.Binary("&&", ast.Name("a"), ast.Name("b"))), "!(a && b)"),
    (ast.Unary("-", ast.Unary("-", ast.IntLit(1))), "- -1"),
    (ast.Binary("==", ast.Name("a"), ast.Binary("==", ast.Name("b"), ast.Name("c"))),
     "a == (b == c)"),
])
def test_parentheses_only_where_precedence_needs_them(expr, text):
    assert expr_text(expr) == text
    assert parse(f"func main() {{}}\ninvariant x {{ {text} }}\n").invariants[0].expr == expr


COMMENTED = """\
// file header

// about the machine
machine { // trailing after brace
    procs = 2 // two Ps
    preemption = async   // long key
    // end of machine
}
var ch = make(chan int) // the channel
func main() {
    work(1) /* inline */ ; work(2)
    work(/* inside */ 3)
    ch <- // a multi-line statement
        1
    for { // forever
        select {
        case ch <- 1: // send
            work(1)
            // still in the case
        // before the next case
        case <-ch:
        // before the brace
        }
    }

    // last in main
}
func child() { ch <- 1 } // one line
/* multi
   line */
check fork_join // tail
// end of file
"""

COMMENTED_CANONICAL = """\
// file header

// about the machine
machine { // trailing after brace
    procs = 2          // two Ps
    preemption = async // long key
    // end of machine
}

var ch = make(chan int) // the channel

func main() {
    work(1) /* inline */
    work(2)
    work(3) /* inside */
    // a multi-line statement
    ch <- 1
    for { // forever
        select {
        case ch <- 1: // send
            work(1)
            // still in the case
        // before the next case
        case <-ch:
        // before the brace
        }
    }

    // last in main
}

func child() {
    ch <- 1
} // one line

/* multi
   line */
check fork_join // tail
// end of file
"""


def test_comments_stay_where_they_were():
    assert fmt(COMMENTED) == COMMENTED_CANONICAL


def test_no_comment_is_lost():
    spec = parse(COMMENTED)
    again = parse(format_spec(spec))
    assert [c.text for c in again.comments] == [c.text for c in spec.comments]


def test_empty_bodies_and_lone_comments():
    assert fmt("func main() {\n}\n") == "func main() {}\n"
    assert fmt("func main() {\n// todo\n}\n") == "func main() {\n    // todo\n}\n"
    assert fmt("machine {}\nfunc main() { select {\n} }\n") == (
        "machine {}\n\nfunc main() {\n    select {}\n}\n")


def test_crlf_line_ends_become_newlines():
    crlf = "func main() {\r\n    work(1) // c\r\n}\r\n"
    assert fmt(crlf) == crlf.replace("\r\n", "\n")
