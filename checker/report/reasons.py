"""Why a run breaks its property, and what change to the program would remove the cause.

Both are read off the run's states: the state where a safety property fails, or the cycle
(or final state) a liveness run stays in forever. Advice is given only where the states make
the cause plain (main's last statement, what a blocked G waits for, a loop without safe
point, the fatal error); changes to the machine are whatif.py's, which checks them.
"""

from __future__ import annotations

from collections.abc import Sequence

from gocheck.lang import ast
from gocheck.lang.fmt import expr_text
from gocheck.model import program as op
from gocheck.model.state import (
    DEAD,
    FATAL_CLOSE_CLOSED,
    FATAL_CLOSE_SENDERS,
    FATAL_MESSAGES,
    FATAL_NEGATIVE_WG,
    FATAL_SEND_CLOSED,
    FATAL_UNLOCK,
    G_LEFT,
    G_PREEMPT,
    G_STATUS_,
    M_G,
    M_P,
    M_RUNNING,
    M_STATE_,
    NO,
    P_EXPIRED,
    P_IDLE,
    P_M,
    P_RING,
    P_RUNNEXT,
    P_RUNNING,
    P_STATUS_,
    P_SYSCALL,
    RUNNABLE,
    RUNNING,
    S_ENDED,
    S_FATAL,
    S_GS,
    S_MS,
    S_PS,
    WAITING,
)
from gocheck.props.formula import compile_expr, observable_reference
from gocheck.report.describe import Scene
from gocheck.report.runs import Run


def why_broken(scene: Scene, run: Run, spec: ast.Spec) -> str:
    """One paragraph: what in the run's last state (or its cycle) breaks `run.name`."""
    last = run.states[-1]
    after = f"after step {len(run.steps)}"
    name = run.name
    if run.loop_start is not None:
        return _forever(scene, run)
    if name == "fork_join":
        return ("main returned while " + _list(scene.alive(last)) + ". When main returns "
                "the program exits, and every other goroutine stops where it is.")
    if name == "no_deadlock":
        return _deadlock(scene, last)
    if name == "no_fatal":
        return _fatal(scene, run)
    if name == "strict_work_conserving":
        return f"{after}, {_window(scene, last)}."
    if name == "syscall_handoff":
        return f"{after}, {_handoff_rule(scene, last)}."
    invariant = next((i for i in spec.invariants if i.name == name), None)
    if invariant is not None:
        return f"{after}, the invariant `{expr_text(invariant.expr)}` is false: " + \
            _observed(scene, invariant.expr, last) + "."
    return f"{after}, the property is false."


def _list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _deadlock(scene: Scene, state: tuple) -> str:
    stuck = [f"{scene.g(state, g)} is {scene.where(state, g)}"
             for g, G in enumerate(state[S_GS]) if G[G_STATUS_] != DEAD]
    return ("every M is parked and no goroutine can move: " + _list(stuck) +
            ". Go would stop here with \"fatal error: all goroutines are asleep - deadlock!\"")


def _fatal(scene: Scene, run: Run) -> str:
    step, before = run.steps[-1], run.states[-2]
    message = FATAL_MESSAGES[run.states[-1][S_FATAL]]
    if step.g is None:
        return f"the program dies: fatal error: {message}."
    code = scene.code(scene.instr(before[S_GS][step.g]))
    return f"{scene.g(before, step.g)} runs {code}: fatal error: {message}."


def _window(scene: Scene, state: tuple) -> str:
    idle = [p for p, P in enumerate(state[S_PS]) if P[P_STATUS_] == P_IDLE]
    ready = [g for g, G in enumerate(state[S_GS]) if G[G_STATUS_] == RUNNABLE]
    if not idle or not ready:
        return "no P is idle while a G is runnable"
    return (f"P{idle[0]} is idle while {scene.g(state, ready[0])} is "
            f"{scene.where(state, ready[0])}")


def _handoff_rule(scene: Scene, state: tuple) -> str:
    """Which rule of syscall_handoff (language.md) the state breaks."""
    ps, ms, gs = state[S_PS], state[S_MS], state[S_GS]
    cfg = scene.cfg
    for p in range(len(ps)):
        holders = [m for m, M in enumerate(ms) if M[M_P] == p]
        if len(holders) > 1:
            return f"two Ms (M{holders[0]} and M{holders[1]}) hold P{p}"
    for m, M in enumerate(ms):
        p = M[M_P]
        if M[M_STATE_] == M_RUNNING and (p == NO or ps[p][P_STATUS_] != P_RUNNING
                                         or ps[p][P_M] != m):
            return f"M{m} runs G{M[M_G]} without holding a running P"
    for p, P in enumerate(ps):
        local = _local_text(P, p)
        if not local:
            continue
        if P[P_STATUS_] == P_IDLE:
            return f"P{p} is idle with local work ({local})"
        if P[P_STATUS_] == P_SYSCALL and P[P_M] != NO:
            G = gs[ms[P[P_M]][M_G]]
            ins = scene.instr(G)
            ran = ins.a - G[G_LEFT]
            if ins.b and cfg.handoff:
                return (f"P{p} is still in syscall state after a `block` syscall's entry, "
                        f"with local work ({local})")
            return (f"P{p} is still in syscall state with local work ({local}) after its "
                    f"syscall has run {ran} ticks, more than sysmon_delay = {cfg.sysmon_delay}")
    return "a P is held back by a syscall"


def _local_text(P: tuple, p: int) -> str:
    parts = [f"G{P[P_RUNNEXT]} in P{p}'s runnext"] if P[P_RUNNEXT] != NO else []
    if P[P_RING]:
        parts.append(" ".join(f"G{g}" for g in P[P_RING]) + f" in P{p}'s local queue")
    return " and ".join(parts)


def _observed(scene: Scene, expr: ast.Expr, state: tuple) -> str:
    """The values of the observables an invariant reads, in the failing state."""
    seen: dict[str, int] = {}

    def walk(e: ast.Expr) -> None:
        if observable_reference(e) is not None:
            seen.setdefault(expr_text(e), compile_expr(e, scene.machine)(state))
            return
        for child in (getattr(e, "operand", None), getattr(e, "left", None),
                      getattr(e, "right", None)):
            if child is not None:
                walk(child)

    walk(expr)
    return ", ".join(f"{k} = {v}" for k, v in seen.items())


def _forever(scene: Scene, run: Run) -> str:
    """A liveness run: what holds in its cycle (or final state) forever."""
    assert run.loop_start is not None
    cycle = run.states[run.loop_start:] if run.loop_start < len(run.steps) else run.states[-1:]
    ends = run.loop_start == len(run.steps)
    last = run.states[-1]
    if run.name == "terminates":
        if ends:
            return "main never returns, because the run ends here: " + (
                _fatal(scene, run) if last[S_FATAL] else _deadlock(scene, last))
        return (f"main never returns: from step {run.loop_start + 1} the run repeats its cycle "
                f"forever, with {scene.g(last, 0)} {scene.where(cycle[0], 0)} at its start.")
    if run.name == "work_conserving":
        window = _window(scene, cycle[0])
        return ("the run ends with " + window + ": only the program's end would close it."
                if ends else f"the window never closes: in the cycle from step "
                f"{run.loop_start + 1}, a P stays idle while work is runnable "
                f"({window} at its start).")
    if run.name == "timer_conserving":
        return _timer_waits(scene, cycle[0], run.loop_start, ends)
    starved = _starved(cycle, run.steps[run.loop_start:])
    if run.name == "starvation_free" and starved is not None:
        return (f"{scene.g(cycle[0], starved)} is runnable throughout the cycle from step "
                f"{run.loop_start + 1} and never runs: it is "
                f"{scene.where(cycle[0], starved)}.")
    return f"from step {run.loop_start + 1} the run repeats forever without satisfying it."


def _timer_waits(scene: Scene, state: tuple, loop_start: int, ends: bool) -> str:
    """timer_conserving: which timer waits, and which P stays idle."""
    idle = next(p for p, P in enumerate(state[S_PS]) if P[P_STATUS_] == P_IDLE)
    sleeper = next(g for g, G in enumerate(state[S_GS]) if G[G_STATUS_] == WAITING
                   and scene.instr(G).op == op.SLEEP and (not scene.cfg.per_p_timers or any(
                       g in P[P_EXPIRED] for P in state[S_PS])))
    what = f"P{idle} idle while {scene.g(state, sleeper)} is {scene.where(state, sleeper)}"
    return (f"the run ends with {what}: nobody fires the timer." if ends else
            f"in the cycle from step {loop_start + 1}, an expired timer never fires while a P "
            f"stays idle: {what} at its start.")


def _starved(cycle: Sequence[tuple], steps: Sequence) -> int | None:
    """A G runnable in every state of the cycle that no step of the cycle runs."""
    ran = {s.g for s in steps}
    for g in range(len(cycle[0][S_GS])):
        if g not in ran and all(s[S_GS][g][G_STATUS_] == RUNNABLE for s in cycle):
            return g
    return None


# --- advice on the program --------------------------------------------------------------
_FATAL_ADVICE = {
    FATAL_UNLOCK: "unlock a mutex only on a path that locked it",
    FATAL_NEGATIVE_WG: "call wg.Add before the goroutine's wg.Done can run, once per Done",
    FATAL_SEND_CLOSED: "close a channel only after its last send (the sender closes it)",
    FATAL_CLOSE_CLOSED: "close each channel exactly once",
    FATAL_CLOSE_SENDERS: "close a channel only after its last send (the sender closes it)",
}


def advice(scene: Scene, run: Run) -> list[str]:
    """Changes to the program that remove the cause, where the run makes it plain."""
    last = run.states[-1]
    if run.name == "fork_join" and last[S_ENDED]:
        return _join_advice(scene, run)
    if run.name == "no_fatal" and last[S_FATAL]:
        return [_FATAL_ADVICE[last[S_FATAL]]]
    if run.name == "no_deadlock" or (run.name == "terminates" and run.loop_start == len(
            run.steps) and not last[S_FATAL]):
        return [a for g, G in enumerate(last[S_GS])
                if G[G_STATUS_] == WAITING and (a := _unblock(scene, last, g))]
    if run.name == "strict_work_conserving":
        return ["if short windows are acceptable, check `work_conserving`, which rejects only "
                "windows that never close: the real runtime has short ones too (between a "
                "spinning M's give-up and its recheck, or while a wake-up is on its way)"]
    if run.loop_start is not None:
        return _loop_advice(scene, run)
    return []


def _join_advice(scene: Scene, run: Run) -> list[str]:
    before = run.states[-2]
    main = before[S_GS][0]
    ins = scene.instr(main) if main[G_STATUS_] != DEAD else None
    out = []
    if ins is not None and ins.op == op.SLEEP:
        out.append(f"{scene.code(ins)} is not a join: a sleep orders nothing, and the other "
                   "goroutines may not even have started when main wakes up")
    elif ins is not None and ins.op == op.SELECT and run.steps[-1].action == "select: default":
        out.append(f"the select at line {ins.line} has a default case, so it does not wait "
                   "for a case to become ready")
    out.append("make main wait for every goroutine it starts: `wg.Add(1)` before each `go`, "
               "`wg.Done()` as the goroutine's last statement and `wg.Wait()` before main "
               "returns (or receive once from a channel that each goroutine sends on)")
    return out


def _unblock(scene: Scene, state: tuple, g: int) -> str | None:
    G = state[S_GS][g]
    ins = scene.instr(G)
    prog, who = scene.machine.prog, scene.g(state, g)
    if ins.op == op.SEND:
        ch = prog.chan_names[ins.a]
        return (f"{who} waits forever in {scene.code(ins)}: give {ch} a receiver, or a "
                "buffer big enough for every send")
    if ins.op in (op.RECV, op.RANGE):
        ch = prog.chan_names[ins.a]
        return f"{who} waits forever in {scene.code(ins)}: send on {ch} or close it"
    if ins.op == op.WGWAIT:
        return (f"{who} waits forever in {scene.code(ins)}: every wg.Add needs as many "
                "wg.Done calls")
    if ins.op == op.LOCK:
        return f"{who} waits forever in {scene.code(ins)}: unlock the mutex on every path"
    return None


def _loop_advice(scene: Scene, run: Run) -> list[str]:
    """A cycle in which a flagged G keeps running has a loop without safe point."""
    assert run.loop_start is not None
    for before, step in zip(run.states[run.loop_start:], run.steps[run.loop_start:],
                            strict=False):
        g = step.g
        if g is None or not step.actor.startswith("M"):
            continue
        G = before[S_GS][g]
        if G[G_STATUS_] == RUNNING and G[G_PREEMPT] and scene.instr(G).op == op.SPIN:
            return [f"give the loop at {scene.code(scene.instr(G))} a safe point: call a "
                    "function in its body, or `runtime.Gosched()`"]
    return []
