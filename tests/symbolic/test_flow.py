"""Control-flow facts behind the loop lemmas (symbolic/flow.py): which counted loops count an
action's runs by their counter (`simple`), on flat code written here by hand."""

from __future__ import annotations

from gocheck.model import program as op
from gocheck.model.program import Function, Instr
from gocheck.symbolic.flow import Loop, loops, settled, simple, successors

# pipeline's producer: for i := 0; i < 2; i++ { jobs <- i }; close(jobs)
PRODUCER = (Instr(op.LOOP_TEST, 0, 2, 3), Instr(op.SEND, 0), Instr(op.LOOP_NEXT, 0, 0),
            Instr(op.CLOSE, 0), Instr(op.END))


def test_a_counted_loop_run_once_counts_its_body() -> None:
    f = Function("producer", PRODUCER, 1)
    assert loops(f) == [Loop(test=0, next=2, slot=0, count=2)]
    assert simple(f, loops(f)[0])
    assert successors(PRODUCER, 0) == [1, 3] and successors(PRODUCER, 2) == [0]
    assert successors(PRODUCER, 4) == []


def test_a_loop_entered_again_does_not_count() -> None:
    # for { for i := 0; i < 2; i++ { jobs <- i } }: the outer back-edge re-enters it
    code = (Instr(op.LOOP_TEST, 0, 2, 3), Instr(op.SEND, 0), Instr(op.LOOP_NEXT, 0, 0),
            Instr(op.JUMP, 0), Instr(op.END))
    f = Function("again", code, 1)
    assert not simple(f, loops(f)[0])


def test_a_loop_with_a_branch_in_its_body_does_not_count() -> None:
    # for i := 0; i < 2; i++ { select { case jobs <- i: default: } }
    select = Instr(op.SELECT, 0, 3, (("send", 0, 2),))
    code = (Instr(op.LOOP_TEST, 0, 2, 6), select, Instr(op.WORK, 1), Instr(op.JUMP, 5),
            Instr(op.JUMP, 5), Instr(op.LOOP_NEXT, 0, 0), Instr(op.END))
    f = Function("branch", code, 1)
    assert not simple(f, loops(f)[0])


def test_a_jump_over_a_loop_does_not_count() -> None:
    code = (Instr(op.JUMP, 4), Instr(op.LOOP_TEST, 0, 2, 4), Instr(op.SEND, 0),
            Instr(op.LOOP_NEXT, 0, 1), Instr(op.END))
    f = Function("skip", code, 1)
    assert not simple(f, loops(f)[0])


def test_an_action_after_an_early_return_is_not_settled() -> None:
    # select { case <-a: return; case <-b: }; close(c): a dead G may never have closed c
    select = Instr(op.SELECT, 0, -1, (("recv", 0, 1), ("recv", 1, 2)))
    code = (select, Instr(op.END), Instr(op.JUMP, 3), Instr(op.CLOSE, 2), Instr(op.END))
    f = Function("early", code, 0)
    assert not settled(f, 3)
    assert settled(Function("producer", PRODUCER, 1), 3)  # the close after the loop
