"""The compiler: flat code per goroutine, calls inlined, control folded into steps, safe
points, and the spin tick that keeps an action-free `for { }` a step."""

from gocheck.model import program as op
from gocheck.model.goroutine import settle

from .builders import (
    call,
    case_recv,
    forever,
    go,
    go_func,
    loop,
    machine,
    recv,
    ret,
    select,
    send,
    spin,
    work,
)


def ops(m, func: str) -> list[int]:
    return [i.op for i in m.prog.functions[m.prog.function_id(func)].code]


def test_main_is_function_zero_and_every_declared_function_is_compiled():
    m = machine({"helper": [work(1)], "main": [go("child")], "child": [work(1)]})
    assert m.prog.main == 0
    assert [f.name for f in m.prog.functions] == ["main", "child", "helper"]


def test_a_call_is_inlined_behind_a_call_mark():
    m = machine({"main": [work(1), call("f"), work(2)], "f": [spin(3)]})
    code = m.prog.functions[0].code
    assert [(i.op, i.a) for i in code] == [
        (op.WORK, 1), (op.CALL, 0), (op.SPIN, 3), (op.WORK, 2), (op.END, 0)]


def test_return_in_a_callee_jumps_to_its_end_and_in_main_ends_the_goroutine():
    m = machine({"main": [call("f"), work(1), ret(), work(9)], "f": [work(2), ret(), work(8)]})
    code = m.prog.functions[0].code
    assert [i.op for i in code] == [
        op.CALL, op.WORK, op.JUMP, op.WORK, op.WORK, op.END, op.WORK, op.END]
    assert code[2].a == 4  # past the callee's body


def test_go_func_literal_becomes_an_entry_function():
    m = machine({"main": [go_func(work(1))]})
    assert m.prog.functions[0].code[0].op == op.GO
    literal = m.prog.functions[m.prog.functions[0].code[0].a]
    assert literal.name.startswith("func@")
    assert [i.op for i in literal.code] == [op.WORK, op.END]


def test_counted_loops_get_their_own_counter_slots():
    m = machine({"main": [loop(2, loop(3, work(1))), loop(2, spin(1))]})
    assert m.prog.functions[0].loops == 3
    assert ops(m, "main") == [
        op.LOOP_TEST, op.LOOP_TEST, op.WORK, op.LOOP_NEXT, op.LOOP_NEXT,
        op.LOOP_TEST, op.SPIN, op.LOOP_NEXT, op.END]


def test_settle_runs_loop_tests_and_resets_a_finished_counter():
    m = machine({"main": [loop(2, work(1)), spin(1)]})
    # after the second pass (counter 1) LOOP_NEXT makes it 2, the test fails, the counter
    # is reset to 0 (canonical) and the pc lands on the spin
    assert settle(m.prog, 0, 2, (1,)) == (3, (0,), False)
    assert settle(m.prog, 0, 2, (0,)) == (1, (1,), False)


def test_settle_reports_crossing_a_call():
    m = machine({"main": [work(1), call("f")], "f": [spin(1)]})
    assert settle(m.prog, 0, 1, ()) == (2, (), True)


def test_only_spin_is_not_a_safe_point_by_itself():
    m = machine({"main": [work(1), spin(1), send("ch"), recv("ch"), go("g")], "g": []},
                chans={"ch": 1})
    code = m.prog.functions[0].code
    assert [(i.op, i.safe) for i in code if i.op in op.ACTIONS] == [
        (op.WORK, True), (op.SPIN, False), (op.SEND, True), (op.RECV, True), (op.GO, True)]


def test_an_action_free_forever_loop_is_one_spin_tick_per_pass():
    m = machine({"main": [forever()]})
    assert ops(m, "main") == [op.SPIN, op.JUMP, op.END]
    assert m.prog.functions[0].code[0].a == 1


def test_forever_around_a_call_that_acts_gets_no_extra_tick():
    # regression: calls used to count as empty, which added a spin tick to every pass
    m = machine({"main": [forever(call("f"))], "f": [work(1)]})
    assert ops(m, "main") == [op.CALL, op.WORK, op.JUMP, op.END]


def test_forever_around_calls_that_do_not_act_gets_a_spin_tick():
    m = machine({"main": [forever(call("empty"), call("quits"), call("looped"))],
                 "empty": [], "quits": [ret(), work(1)],
                 "looped": [loop(2, ret()), work(1)]})
    assert ops(m, "main")[0] == op.SPIN


def test_forever_whose_pass_returns_first_needs_no_tick():
    m = machine({"main": [forever(loop(1, ret()))]})
    assert op.SPIN not in ops(m, "main")


def test_forever_around_a_callee_forever_that_returns_gets_a_spin_tick():
    m = machine({"main": [forever(call("f"))], "f": [forever(ret())]})
    assert ops(m, "main")[0] == op.SPIN


def test_select_case_bodies_jump_past_the_select():
    m = machine({"main": [select(case_recv("a", work(1)), case_recv("b")), spin(1)]},
                chans={"a": 0, "b": 0})
    code = m.prog.functions[0].code
    sel = code[0]
    assert sel.op == op.SELECT and sel.b == -1
    assert [(k, ch) for k, ch, _t in sel.c] == [("recv", 0), ("recv", 1)]
    end = len(code) - 2  # the spin after the select
    assert all(code[i].a == end for i in range(len(code)) if code[i].op == op.JUMP)
    assert not code[end].safe  # finishing a select is no safe point for the next spin
