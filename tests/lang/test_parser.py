"""The parser: every construct of language.md, Go's semicolon rule, comments, spans,
error recovery, and reading files."""

from __future__ import annotations

import re

import pytest

from gocheck.errors import InputError, SpecError
from gocheck.lang import ast, codes
from gocheck.lang.parser import _lark, parse, parse_file

LANGUAGE_MD_EXAMPLE = """\
// spec/examples/forkjoin.gos — main waits for its workers
machine {
    procs = 2            // GOMAXPROCS: number of Ps
    preemption = async   // async | cooperative | off
}

var wg sync.WaitGroup

func worker() {
    work(2)              // two ticks of CPU work made of function calls
    syscall(1)           // a blocking system call lasting one tick
    wg.Done()
}

func main() {
    wg.Add(2)
    go worker()
    go worker()
    wg.Wait()
}

check fork_join
check work_conserving
check syscall_handoff
check no_deadlock
"""

B = ast.Block


def body(text: str, decls: str = "") -> tuple[ast.Stmt, ...]:
    """The statements of `main` in a spec made of `decls` and `func main() { text }`."""
    spec = parse(f"{decls}\nfunc main() {{\n{text}\n}}\n")
    return spec.funcs[-1].body.stmts


def test_language_md_example():
    spec = parse(LANGUAGE_MD_EXAMPLE, "forkjoin.gos")
    assert spec == ast.Spec((
        ast.Machine((ast.MachineEntry("procs", 2), ast.MachineEntry("preemption", "async"))),
        ast.VarDecl("wg", "waitgroup"),
        ast.FuncDecl("worker", B((ast.Work(2), ast.Syscall(1), ast.WgDone("wg")))),
        ast.FuncDecl("main", B((ast.WgAdd("wg", 2), ast.Go(func="worker"),
                                ast.Go(func="worker"), ast.WgWait("wg")))),
        ast.Check("fork_join"), ast.Check("work_conserving"), ast.Check("syscall_handoff"),
        ast.Check("no_deadlock"),
    ))
    assert spec.path == "forkjoin.gos"
    assert len(spec.comments) == 5


@pytest.mark.parametrize(("text", "stmt"), [
    ("work(2)", ast.Work(2)),
    ("spin(1)", ast.Spin(1)),
    ("syscall(3)", ast.Syscall(3)),
    ("syscall(1, block)", ast.Syscall(1, block=True)),
    ("netread()", ast.NetRead()),
    ("time.Sleep(5)", ast.Sleep(5)),
    ("go f()", ast.Go(func="f")),
    ("go func() { work(1) }()", ast.Go(body=B((ast.Work(1),)))),
    ("ch <- 1", ast.Send("ch", "1")),
    ("ch <- -1", ast.Send("ch", "-1")),
    ("ch <- true", ast.Send("ch", "true")),
    ("ch <- false", ast.Send("ch", "false")),
    ("ch <- struct{}{}", ast.Send("ch", "struct{}{}")),
    ('ch <- "hi"', ast.Send("ch", '"hi"')),
    ("<-ch", ast.Recv("ch")),
    ("close(ch)", ast.Close("ch")),
    ("mu.Lock()", ast.Lock("mu")),
    ("mu.Unlock()", ast.Unlock("mu")),
    ("wg.Add(-1)", ast.WgAdd("wg", -1)),
    ("wg.Done()", ast.WgDone("wg")),
    ("wg.Wait()", ast.WgWait("wg")),
    ("runtime.Gosched()", ast.Gosched()),
    ("f()", ast.Call("f")),
    ("return", ast.Return()),
    ("for range 3 { work(1) }", ast.ForCount(3, B((ast.Work(1),)))),
    ("for i := 0; i < 2; i++ { ch <- i }", ast.ForCount(2, B((ast.Send("ch", "i"),)), "i")),
    ("for range ch {}", ast.ForRangeChan("ch", B(()))),
    ("for v := range ch { ch <- v }", ast.ForRangeChan("ch", B((ast.Send("ch", "v"),)), "v")),
    ("for { spin(1) }", ast.ForEver(B((ast.Spin(1),)))),
    ("select {}", ast.Select(())),
    ("select {\ncase ch <- 1:\n    work(1)\ncase <-ch:\ndefault:\n    return\n}",
     ast.Select((ast.SelectCase("send", "ch", "1", B((ast.Work(1),))),
                 ast.SelectCase("recv", "ch", None, B(())),
                 ast.SelectCase("default", None, None, B((ast.Return(),)))))),
])
def test_statement(text, stmt):
    assert body(text) == (stmt,)


@pytest.mark.parametrize(("text", "elem", "cap"), [
    ("make(chan int)", "int", None),
    ("make(chan int, 3)", "int", 3),
    ("make(chan struct{})", "struct{}", None),
    ("make(chan struct {  }, 0)", "struct{}", 0),
    ("make(chan []int)", "[]int", None),
    ("make(chan [4]byte)", "[4]byte", None),
    ("make(chan *T)", "*T", None),
    ("make(chan map[string]int)", "map[string]int", None),
    ("make(chan chan int)", "chan int", None),
    ("make(chan time.Duration)", "time.Duration", None),
    ("make(chan interface{})", "interface{}", None),
])
def test_channel_declaration_keeps_element_type_as_text(text, elem, cap):
    spec = parse(f"var ch = {text}\nfunc main() {{}}\n")
    assert spec.decls == (ast.VarDecl("ch", "chan", cap, elem),)


def test_declarations_and_top_level_items():
    spec = parse("var wg sync.WaitGroup\nvar mu sync.Mutex\nfunc main() {}\ncheck terminates\n"
                 "invariant small { len(globalq) <= 2 }\n")
    assert spec.decls == (ast.VarDecl("wg", "waitgroup"), ast.VarDecl("mu", "mutex"))
    assert spec.checks == (ast.Check("terminates"),)
    assert spec.invariants == (ast.Invariant("small", ast.Binary(
        "<=", ast.CallExpr("len", (ast.Name("globalq"),)), ast.IntLit(2))),)


def test_machine_values_int_word_string():
    spec = parse('machine {\n    procs = 4\n    steal = one\n    runtime = "go1.13"\n'
                 '    timeslice = -2\n}\nfunc main() {}\n')
    assert spec.machine == ast.Machine((
        ast.MachineEntry("procs", 4), ast.MachineEntry("steal", "one"),
        ast.MachineEntry("runtime", "go1.13", quoted=True), ast.MachineEntry("timeslice", -2)))


@pytest.mark.parametrize("text", [
    "func child() { done <- 1 }\nfunc main() { a(); b() }",
    "func child() {\n    done <- 1\n}\nfunc main() {\n    a()\n    b()\n}",
    "func child() { done <- 1; }\nfunc main() { a();; b(); }",
    "func child() { done <- 1 }; func main() { a()\n b() }",
    "func child() { done <- 1 } /* a\n comment */ func main() { a() /* b\n */ b() }",
])
def test_semicolons_by_newline_or_explicit(text):
    spec = parse("var done = make(chan int)\nfunc a() {}\nfunc b() {}\n" + text)
    assert spec.funcs[-2:] == (
        ast.FuncDecl("child", B((ast.Send("done", "1"),))),
        ast.FuncDecl("main", B((ast.Call("a"), ast.Call("b")))),
    )


def test_newline_after_operator_or_comma_continues_the_statement():
    spec = parse("var ch = make(chan int,\n    3)\nfunc main() {\n    ch <-\n        1\n}\n"
                 "invariant x { running > 0 &&\n    main_done }\n")
    assert spec.decls[0].capacity == 3
    assert spec.funcs[0].body.stmts == (ast.Send("ch", "1"),)
    assert isinstance(spec.invariants[0].expr, ast.Binary)


def test_end_of_file_ends_the_last_statement():
    assert parse("func main() {}\ncheck fork_join").checks == (ast.Check("fork_join"),)
    assert parse("func main() {} // last").funcs[0].name == "main"


def test_words_are_keywords_only_where_the_grammar_expects_them():
    spec = parse('machine {\n    runtime = "go1.14"\n}\nvar done = make(chan int)\n'
                 "var check = make(chan int)\nfunc machine() {\n    done <- 1\n"
                 "    check <- 2\n}\nfunc main() {\n    machine()\n}\ncheck no_fatal\n")
    assert spec.funcs[0] == ast.FuncDecl("machine", B((ast.Send("done", "1"),
                                                       ast.Send("check", "2"))))
    assert spec.funcs[1].body.stmts == (ast.Call("machine"),)


@pytest.mark.parametrize(("text", "expr"), [
    ("a || b && c", ast.Binary("||", ast.Name("a"), ast.Binary("&&", ast.Name("b"),
                                                              ast.Name("c")))),
    ("a && b || c", ast.Binary("||", ast.Binary("&&", ast.Name("a"), ast.Name("b")),
                               ast.Name("c"))),
    ("1 + 2 * 3", ast.Binary("+", ast.IntLit(1), ast.Binary("*", ast.IntLit(2), ast.IntLit(3)))),
    ("(1 + 2) * 3", ast.Binary("*", ast.Binary("+", ast.IntLit(1), ast.IntLit(2)),
                               ast.IntLit(3))),
    ("1 - 2 - 3", ast.Binary("-", ast.Binary("-", ast.IntLit(1), ast.IntLit(2)),
                             ast.IntLit(3))),
    ("a + 1 < b * 2 == c", ast.Binary("==", ast.Binary(
        "<", ast.Binary("+", ast.Name("a"), ast.IntLit(1)),
        ast.Binary("*", ast.Name("b"), ast.IntLit(2))), ast.Name("c"))),
    ("!a == b", ast.Binary("==", ast.Unary("!", ast.Name("a")), ast.Name("b"))),
    ("-a * -1", ast.Binary("*", ast.Unary("-", ast.Name("a")), ast.Unary("-", ast.IntLit(1)))),
    ("len(runq[1]) != done(f)", ast.Binary(
        "!=", ast.CallExpr("len", (ast.Index("runq", ast.IntLit(1)),)),
        ast.CallExpr("done", (ast.Name("f"),)))),
    ("a >= 1 || a <= 2 || a > 3", ast.Binary("||", ast.Binary(
        "||", ast.Binary(">=", ast.Name("a"), ast.IntLit(1)),
        ast.Binary("<=", ast.Name("a"), ast.IntLit(2))), ast.Binary(">", ast.Name("a"),
                                                                    ast.IntLit(3)))),
])
def test_expression_precedence_is_go_s(text, expr):
    assert parse(f"func main() {{}}\ninvariant x {{ {text} }}\n").invariants[0].expr == expr


def test_spans_point_at_first_and_past_last_character():
    spec = parse("func main() {\n\twork(2)\n    for range 2 {\n        spin(1)\n    }\n}\n")
    work, loop = spec.funcs[0].body.stmts
    assert work.span == ast.Span(2, 2, 2, 9)
    assert loop.span == ast.Span(3, 5, 5, 6)
    assert loop.body.span == ast.Span(3, 17, 5, 6)
    assert spec.funcs[0].span == ast.Span(1, 1, 6, 2)


def test_comments_are_collected_with_their_spans():
    spec = parse("// head\nfunc main() { /* in */\n    work(1) // tail\n}\n")
    assert [(c.text, c.span.line, c.span.col) for c in spec.comments] == [
        ("// head", 1, 1), ("/* in */", 2, 15), ("// tail", 3, 13)]


def test_equality_ignores_spans_and_comments():
    a = parse("func main() { work(1) }")
    b = parse("// note\n\nfunc main() {\n    work(1)\n}\n")
    assert a == b and a.funcs[0].span != b.funcs[0].span


def test_every_syntax_error_is_reported_without_cascades():
    source = ("func main() {\n"
              "    work(1) oops\n"        # 2: a statement line, blanked alone
              "    wg.Foo()\n"            # 3: reported too
              "    work(2)\n"
              "}\n"
              "check\n"                   # 6: a broken item, blanked to the next item
              "func other() {\n"
              "    for range 2\n"         # 8: a broken compound statement
              "        work(1)\n"
              "    }\n"
              "}\n"
              "invariant x { 1 + }\n"     # 12
              "func last() { @ }\n")      # 13
    with pytest.raises(SpecError) as info:
        parse(source, "many.gos")
    assert [(d.span.line, d.code) for d in info.value.diagnostics] == [
        (2, codes.UNEXPECTED_TOKEN), (3, codes.UNEXPECTED_TOKEN), (6, codes.UNEXPECTED_TOKEN),
        (8, codes.UNEXPECTED_TOKEN), (12, codes.UNEXPECTED_TOKEN), (13, codes.BAD_CHARACTER)]


def test_shape_errors_are_reported_with_syntax_errors():
    with pytest.raises(SpecError) as info:
        parse("func a() {\n    for i := 0; j < 1; i++ {}\n}\nfunc main() {\n    work(\n}\n")
    assert {d.code for d in info.value.diagnostics} == {codes.COUNTED_LOOP,
                                                        codes.UNEXPECTED_TOKEN}


def test_grammar_is_built_once():
    assert _lark() is _lark()


def test_parse_file_reads_utf8_and_drops_a_bom(tmp_path):
    path = tmp_path / "s.gos"
    path.write_bytes("\ufeff// héllo\nfunc main() {}\n".encode())
    spec = parse_file(str(path))
    assert spec.path == str(path) and spec.comments[0].text == "// héllo"


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: None, "no such file"),
    (lambda p: p.mkdir(), "is a directory"),
    (lambda p: p.write_bytes(b"func main() {}\n// \xff\xfe\n"), "not UTF-8 text (byte 0xff"),
])
def test_unreadable_files_are_input_errors(tmp_path, make, message):
    path = tmp_path / "bad.gos"
    make(path)
    with pytest.raises(InputError, match=re.escape(message)):
        parse_file(str(path))


def test_empty_file_is_a_spec_error(tmp_path):
    path = tmp_path / "empty.gos"
    path.write_text("")
    with pytest.raises(SpecError) as info:
        parse_file(str(path))
    assert info.value.diagnostics[0].code == codes.EMPTY
