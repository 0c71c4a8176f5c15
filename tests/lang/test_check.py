"""Semantic checks beyond the one-error catalogue: clean specs stay clean, every problem of a
spec is found in one run, cycles are named at each site, and the machine table as data."""

from __future__ import annotations

import pytest

from gocheck.errors import SpecError
from gocheck.lang import ast, codes
from gocheck.lang.check import check, check_or_raise
from gocheck.lang.machine_keys import MACHINE_KEYS, IntKey, Ref, WordKey, evaluate, machine_config
from gocheck.lang.parser import parse


def problems(source: str) -> list[tuple[int, int, str, str]]:
    return [(d.span.line, d.span.col, d.code, d.message) for d in check(parse(source))]


CLEAN = """\
machine {
    procs = 3
    threads = 3
}

var jobs = make(chan int, 2)
var done = make(chan struct{})
var mu sync.Mutex
var wg sync.WaitGroup

func leaf() {
    work(1)
}

func helper() {
    leaf()
    go leaf()
}

func main() {
    go helper()
    helper()
    for i := 0; i < 2; i++ {
        jobs <- i
        for j := 0; j < 1; j++ {
            jobs <- i
            jobs <- j
        }
        go func() {
            jobs <- i
            go leaf()
        }()
    }
    for v := range jobs {
        done <- v
    }
    for i := 0; i < 1; i++ {
        done <- i
    }
    for {
        leaf()
        select {
        case jobs <- 1:
        case <-done:
            return
        default:
            runtime.Gosched()
        }
    }
}

check fork_join
invariant sane { len(runq[2]) + len(globalq) >= 0 && (main_done || !done(leaf)) }
invariant flags { runnext(0) + spinning(1) + needspinning <= 3 && spinning >= spinning(2) }
"""


def test_a_spec_using_every_rule_legally_is_clean():
    spec = parse(CLEAN)
    assert check(spec) == []
    assert check_or_raise(spec) is spec


def test_go_of_a_function_is_not_recursion():
    assert problems("func main() {\n    go worker()\n}\nfunc worker() {\n    work(1)\n}\n") == []


def test_every_problem_is_reported_in_source_order():
    found = problems("func main() {\n    wg.Wait()\n    work(0)\n    nothere()\n}\n"
                     "check nothing\n")
    assert [(line, code) for line, _, code, _ in found] == [
        (2, codes.UNDEFINED_OBJECT), (3, codes.OUT_OF_RANGE), (4, codes.UNDEFINED_FUNC),
        (6, codes.UNKNOWN_PROPERTY)]


def test_indirect_recursion_is_reported_at_each_call_site_naming_the_cycle():
    found = problems("func a() {\n    b()\n}\nfunc b() {\n    work(1)\n    c()\n}\n"
                     "func c() {\n    a()\n}\nfunc main() {\n    a()\n}\n")
    assert found == [
        (2, 5, codes.RECURSION, "recursive call: a -> b -> c -> a"),
        (6, 5, codes.RECURSION, "recursive call: b -> c -> a -> b"),
        (9, 5, codes.RECURSION, "recursive call: c -> a -> b -> c"),
    ]


def test_spawn_cycle_through_a_call_and_a_func_literal():
    found = problems("func f() {\n    g()\n}\nfunc g() {\n    go func() {\n        f()\n"
                     "    }()\n}\nfunc main() {\n    f()\n}\n")
    assert found == [(5, 5, codes.SPAWN_CYCLE,
                      "unbounded goroutines: g -> go g.func1 -> f -> g starts goroutines "
                      "without end")]


def test_spawning_call_in_forever_names_the_chain():
    found = problems("func c() {}\nfunc b() {\n    go c()\n}\nfunc a() {\n    b()\n}\n"
                     "func main() {\n    for {\n        a()\n    }\n}\n")
    assert found == [(10, 9, codes.UNBOUNDED_GO,
                      "a() inside for { } starts goroutines without bound (a -> b -> go c)")]


def test_goroutine_started_from_forever_body_of_its_own_goroutine_is_fine():
    source = ("func w() {}\nfunc main() {\n    go func() {\n        for {\n            w()\n"
              "        }\n    }()\n    for range 2 {\n        go w()\n    }\n}\n")
    assert problems(source) == []


def test_loop_variable_scope_is_the_body():
    source = ("var ch = make(chan int)\nfunc main() {\n    for i := 0; i < 2; i++ {\n"
              "        ch <- i\n    }\n    for v := range ch {}\n    ch <- v\n"
              "    select {\n    case ch <- i:\n    }\n}\n")
    assert [(line, code) for line, _, code, _ in problems(source)] == [
        (7, codes.LOOP_VAR_SCOPE), (9, codes.LOOP_VAR_SCOPE)]


def test_suggestions_for_typos():
    spec = parse("var jobs = make(chan int)\nfunc main() {\n    <-jbos\n}\ncheck no_dedlock\n")
    notes = [d.notes for d in check(spec)]
    assert notes[0] == ("did you mean `jobs`?",)
    assert notes[1][0] == "did you mean `no_deadlock`?"


def test_check_or_raise_carries_every_diagnostic():
    with pytest.raises(SpecError) as info:
        check_or_raise(parse("func f() {}\ncheck x\ncheck y\n"))
    assert [d.code for d in info.value.diagnostics] == [
        codes.MISSING_MAIN, codes.UNKNOWN_PROPERTY, codes.UNKNOWN_PROPERTY]


def test_runq_index_follows_procs():
    def spec(i: int) -> str:
        return (f"machine {{\n    procs = 4\n}}\nfunc main() {{}}\n"
                f"invariant x {{ len(runq[{i}]) == 0 }}\n")

    assert problems(spec(3)) == []
    assert [c for _, _, c, _ in problems(spec(4))] == [codes.UNKNOWN_OBSERVABLE]


# --- the machine table --------------------------------------------------------------------


def test_machine_table_matches_language_md():
    table = {k.name: k for k in MACHINE_KEYS}
    assert list(table) == ["procs", "threads", "runq", "runnext", "steal", "preemption",
                           "timeslice", "sysmon", "sysmon_delay", "handoff", "wakep",
                           "global_check"]
    assert table["threads"] == IntKey("threads", Ref("procs"), 256, Ref("procs", 2),
                                      table["threads"].doc)
    assert isinstance(table["steal"], WordKey) and table["steal"].words == ("half", "one", "off")


def test_defaults_are_in_their_domains():
    config, problems_ = evaluate(())
    assert problems_ == []
    assert config == {"procs": 2, "threads": 4, "runq": 4, "runnext": "on", "steal": "half",
                      "preemption": "async", "timeslice": 2, "sysmon": "on",
                      "sysmon_delay": 1, "handoff": "on", "wakep": "on", "global_check": 61,
                      "recheck": "needspinning", "recheck_order": "stop_first",
                      "runq_empty": "with_runnext", "runnext_without_sysmon": "off",
                      "gosched_wakep": "on", "retake_slice_check": "urgent",
                      "timer_steal": "any"}


@pytest.mark.parametrize(("entries", "ok"), [
    ("procs = 1", True), ("procs = 64", True), ("procs = 0", False), ("procs = 65", False),
    ("procs = 3\nthreads = 3", True), ("procs = 3\nthreads = 2", False),
    ("threads = 256", True), ("threads = 257", False), ("threads = 2", True),
    ("runq = 1", True), ("runq = 256", True), ("runq = 257", False),
    ("timeslice = 1000", True), ("timeslice = 0", False),
    ("sysmon_delay = 0", True), ("sysmon_delay = 1001", False),
    ("global_check = 0", True), ("global_check = 1000", True), ("global_check = -1", False),
    ("runnext = off", True), ("steal = one", True), ("preemption = cooperative", True),
    ("sysmon = off", True), ("handoff = off", True), ("wakep = off", True),
    ("wakep = no", False), ("procs = two", False),
])
def test_machine_domains(entries, ok):
    assert (problems(f"machine {{\n{entries}\n}}\nfunc main() {{}}\n") == []) == ok


def test_machine_config_fills_defaults_and_follows_procs():
    spec = parse("machine {\n    procs = 3\n    preemption = off\n}\nfunc main() {}\n")
    config = machine_config(spec)
    assert config["procs"] == 3 and config["threads"] == 5 and config["preemption"] == "off"
    assert machine_config(ast.Spec((ast.FuncDecl("main", ast.Block(())),)))["threads"] == 4
