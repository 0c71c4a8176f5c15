"""One sentence per step of a run, in the runtime's words, and why the decisive steps happen.

A sentence is read off the two states around the step (which G moved where, which P changed
hands, which M started) and the instruction the G was at: its statement, its `safe` flag, the
ticks it has left. The step's action only says which kind of step it was. The machine decides
what may happen; this module only says what did, so when the model changes the story
follows.

Decisive steps also get a `why`: where a preemption request took effect (or why it could
not), sysmon's retake, a steal, the global queue's fairness look, the window between a
spinning M's give-up and its recheck, a wake-up that did not happen (`wakep = off`), a P
that nobody retakes (`sysmon = off`), and a syscall exit that finds no P.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gocheck.model import program as op
from gocheck.model.program import Instr
from gocheck.model.state import (
    AT_CALL,
    DEAD,
    FATAL_MESSAGES,
    G_LEFT,
    G_PREEMPT,
    G_STATUS_,
    M_G,
    M_NETPOLL,
    M_P,
    M_PARKED,
    M_RUNNING,
    M_SEARCH,
    M_SPINNING,
    M_STATE_,
    M_UNBORN,
    NO,
    P_EXPIRED,
    P_IDLE,
    P_M,
    P_RING,
    P_RUNNEXT,
    P_RUNNING,
    P_SLICE,
    P_STATUS_,
    P_SYSCALL,
    P_TIMERS,
    RUNNABLE,
    RUNNING,
    S_ENDED,
    S_FATAL,
    S_GLOBALQ,
    S_GS,
    S_MS,
    S_NEEDSPIN,
    S_PIDLE,
    S_PS,
    S_WGS,
    WAITING,
)
from gocheck.model.system import Step
from gocheck.model.timers import may_take_timers
from gocheck.report.describe import Scene


@dataclass(frozen=True, slots=True)
class Told:
    """What a step did, and for a decisive step why it could happen."""

    text: str
    why: str | None = None


def narrate(scene: Scene, steps: Sequence[Step], states: Sequence[tuple]) -> list[Told]:
    """A `Told` per step; a `why` already given earlier in the run is not repeated."""
    out: list[Told] = []
    given: set[str] = set()
    for step, before, after in zip(steps, states, states[1:], strict=False):
        told = tell(scene, before, step, after)
        if told.why in given:
            told = Told(told.text)
        given.add(told.why or "")
        out.append(told)
    return out


def tell(scene: Scene, before: tuple, step: Step, after: tuple) -> Told:
    """One step, told from the states around it."""
    if step.actor == "sysmon":
        return _sysmon(scene, before, step, after)
    if step.actor in ("netpoller", "timers"):
        return _poller(scene, before, step, after)
    action = step.action
    for prefix, teller in _M_STEPS:
        if action.startswith(prefix):
            return teller(scene, before, step, after)
    return _statement(scene, before, step, after)


def _joined(head: str, effects: list[str]) -> str:
    return "; ".join([head, *effects]) + "."


# --- a G's own statement --------------------------------------------------------------------
def _statement(scene: Scene, before: tuple, step: Step, after: tuple) -> Told:
    g = step.g if step.g is not None else NO
    G = before[S_GS][g]
    ins = scene.instr(G)
    name, code = scene.g(before, g), scene.code(ins)
    o = ins.op
    if o == op.WORK:
        head = f"{name} works: {code}{_tick(G, ins)}"
    elif o == op.SPIN:
        head = f"{name} spins: {code}, a loop without calls{_tick(G, ins)}"
    elif o == op.SYSCALL:
        head = f"{name} " + _enter_syscall(scene, step, after, code, ins)
    elif o == op.NETREAD:
        head = f"{name} reads from the network: {code}; nothing is ready, so it parks on the " \
               "netpoller (gopark)"
    elif o == op.SLEEP:
        head = f"{name} sleeps: {code} parks it on a timer (gopark)"
    elif o == op.GO:
        head = f"{name} " + _go(scene, before, after, step.p if step.p is not None else NO,
                                code)
    elif o == op.GOSCHED:
        head = f"{name} yields: {code}; goschedImpl puts it on the global queue"
    elif o == op.SELECT:
        head = f"{name} runs {code}: " + _select(step.action)
    else:
        head = f"{name} runs {code}"
        if after[S_GS][g][G_STATUS_] == WAITING:
            head += f" and blocks (gopark): {_block_reason(scene, before, ins)}"
    cause = "handoffp" if o == op.SYSCALL else "wakep"
    return Told(_joined(head, _effects(scene, before, step, after, cause)),
                _preempt_pending(scene, G, ins) or _no_wakep(scene, before, after)
                or _runnext_ignored(scene, before, step, after)
                or (_no_gosched_wakep(scene, after, g) if o == op.GOSCHED else None))


def _tick(G: tuple, ins: Instr) -> str:
    if ins.a == 1:
        return ""
    done = ins.a - G[G_LEFT] + 1 if G[G_LEFT] > 0 else 1
    return f", tick {done} of {ins.a}"


def _enter_syscall(scene: Scene, step: Step, after: tuple, code: str, ins: Instr) -> str:
    """What entersyscall (or entersyscallblock) did with the P, after the G's name."""
    p, m = step.p, step.m
    if after[S_PS][p][P_M] != m:
        idle = ", and P{p} goes idle" if after[S_PS][p][P_STATUS_] == P_IDLE else ""
        return (f"enters a system call known to block: {code}; entersyscallblock hands P{p} "
                f"off at once (handoffp){idle.format(p=p)}")
    how = f"enters a system call: {code}; entersyscall leaves P{p} in syscall state, still " \
          f"linked to M{m}"
    if ins.b:
        how += " (a `block` syscall that cannot hand its P off now)" if scene.cfg.handoff \
            else " (handoff = off: the `block` syscall keeps its P)"
    return how


def _go(scene: Scene, before: tuple, after: tuple, p: int, code: str) -> str:
    """What newproc and runqput did, after the G's name."""
    child = len(before[S_GS])
    head = f"runs {code}: newproc creates {scene.g(after, child)}"
    if after[S_GS][child][G_STATUS_] == DEAD:
        return head + ", which has nothing to do and is finished at once"
    head += f", and runqput puts it {scene.queue(after, child) or 'on a queue'}"
    kicked = before[S_PS][p][P_RUNNEXT]
    if kicked != NO and after[S_PS][p][P_RUNNEXT] == child:
        head += f", moving {scene.g(after, kicked)} to {_place(scene, after, kicked)}"
    return head


def _place(scene: Scene, state: tuple, g: int) -> str:
    where = scene.queue(state, g) or "a queue"
    return where.removeprefix("in ").removeprefix("on ")


def _select(action: str) -> str:
    if action == "select: default":
        return "no case is ready, so it takes the default case"
    if action == "select: park":
        return "no case is ready, so it parks on every case's channel (gopark)"
    case, _, what = action.removeprefix("select ").partition(": ")
    return f"{case} (`{what}`) is ready and chosen"


def _block_reason(scene: Scene, before: tuple, ins: Instr) -> str:
    prog, o = scene.machine.prog, ins.op
    if o == op.SEND:
        cap = prog.chan_caps[ins.a]
        return (f"the buffer of {prog.chan_names[ins.a]} is full" if cap
                else f"no receiver is waiting on {prog.chan_names[ins.a]}")
    if o in (op.RECV, op.RANGE):
        return f"there is nothing to receive on {prog.chan_names[ins.a]}"
    if o == op.LOCK:
        return f"{prog.mutex_names[ins.a]} is held"
    if o == op.WGWAIT:
        counter = before[S_WGS][ins.a][0]
        return f"the counter of {prog.wg_names[ins.a]} is {counter}, not 0"
    return "it must wait"


def _preempt_pending(scene: Scene, G: tuple, ins: Instr) -> str | None:
    """A G that moves with its preemption flag set was at no preemption point."""
    if not G[G_PREEMPT]:
        return None
    what = f"{scene.code(ins)} is a loop without calls" if ins.op == op.SPIN \
        else f"{scene.code(ins)} is no safe point"
    return (f"sysmon has asked for this G's preemption, but {what}: with preemption = "
            f"{scene.cfg.preemption} the request cannot take effect here; only asynchronous "
            f"preemption (Go 1.14 and later) can stop it")


def _no_wakep(scene: Scene, before: tuple, after: tuple) -> str | None:
    """With wakep = off, work made runnable beside an idle P stays where it is."""
    if scene.cfg.wakep or not after[S_PIDLE]:
        return None
    new = [g for g, G in enumerate(after[S_GS]) if G[G_STATUS_] == RUNNABLE and (
        g >= len(before[S_GS]) or before[S_GS][g][G_STATUS_] != RUNNABLE)]
    if not new:
        return None
    idle = " and ".join(f"P{p}" for p in sorted(after[S_PIDLE]))
    return (f"wakep = off: nothing wakes an M for idle {idle}, so {scene.g(after, new[0])} "
            f"waits {scene.queue(after, new[0]) or 'on a queue'}")


def _no_gosched_wakep(scene: Scene, after: tuple, g: int) -> str | None:
    """`gosched_wakep = off` (Go <= 1.21, #55160): a yielded or preempted G waits on the
    global queue beside an idle P that nobody was woken for."""
    if scene.cfg.gosched_wakep or not after[S_PIDLE] or g not in after[S_GLOBALQ] \
            or any(M[M_SPINNING] for M in after[S_MS]):
        return None
    return (f"gosched_wakep = off (Go 1.21 and earlier): goschedImpl puts {scene.g(after, g)} on "
            f"the global queue without calling wakep, so idle P{after[S_PIDLE][-1]} gets no M "
            "and the G waits until an M that schedules looks at the global queue (Go 1.22 "
            "calls wakep here)")


# --- schedule: search, give up, recheck -----------------------------------------------------
def _search(scene: Scene, before: tuple, step: Step, after: tuple) -> Told:
    action, p, g = step.action, step.p, step.g
    spinning = before[S_MS][step.m][M_SPINNING]
    why = None
    if g is None and "timers" in action:
        return _timers_run(scene, before, step, after)
    if g is None:
        if action == "search: nothing found":
            busy = len(before[S_PS]) - len(before[S_PIDLE])
            nspin = sum(1 for M in before[S_MS] if M[M_SPINNING])
            head = (f"findRunnable finds nothing on P{p} or the global queue, and may not "
                    f"spin: 2 × {nspin} spinning M(s) ≥ {busy} busy P(s)")
        else:
            head = (f"findRunnable finds no work in P{p}'s queues or the global queue; "
                    f"M{step.m} {'keeps' if spinning else 'starts'} spinning but finds nothing "
                    "to steal")
            why = _timers_skipped(scene, before, p)
        return Told(_joined(head, _effects(scene, before, step, after, "wakep")), why)
    name = scene.g(after, g)
    if action == "search: runnext":
        left = "" if after[S_PS][p][P_SLICE] < scene.cfg.timeslice else ", and none is left"
        head = f"findRunnable takes {name} from P{p}'s runnext; it inherits the rest of P{p}'s " \
               f"time slice{left}"
    elif action == "search: local queue":
        head = f"findRunnable takes {name} from the head of P{p}'s local queue"
    elif action.startswith("search: global queue (fairness"):
        head = f"findRunnable takes {name} from the global queue first"
        why = (f"every {_nth(scene.cfg.global_check)} schedule on a P looks at the global queue "
               f"before its own queues (schedtick % {scene.cfg.global_check} == 0), so that "
               "the global queue cannot starve")
    elif action.startswith("search: steal"):
        victim = int(action.rsplit("P", 1)[1])
        head = "findRunnable " + _stolen(before, after, victim, p, name)
        why = (f"P{p} had no work of its own and the global queue was empty, so M{step.m} "
               f"{'kept spinning' if spinning else 'started spinning'} and stole from P{victim}")
    else:
        head = f"findRunnable takes {name} from the global queue" + _batch(before, after, p)
    if spinning:
        head += f"; M{step.m} stops spinning"
    effects = _effects(scene, before, step, after, "wakep")
    if spinning and _untold(scene, after, g):
        effects.append("wakep finds no idle P, and with recheck = spinning there is no "
                       "needspinning flag to set")
        why = ("the spinner found work but no idle P and, without needspinning (Go 1.17 to "
               "1.19), nobody is told: an M that gives up its P next parks without looking")
    return Told(_joined(head, effects), why)


def _untold(scene: Scene, after: tuple, g: int) -> bool:
    """A spinner stopped with work left, no idle P and no spinner: with `recheck = spinning`
    (bug-zoo Z3) its wakep has no needspinning flag to leave for the next M to stop."""
    return (scene.cfg.recheck == "spinning" and not after[S_PIDLE]
            and not any(M[M_SPINNING] for M in after[S_MS])
            and any(G[G_STATUS_] == RUNNABLE for k, G in enumerate(after[S_GS]) if k != g))


def _nth(n: int) -> str:
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _stolen(before: tuple, after: tuple, victim: int, p: int, name: str) -> str:
    """What a steal took (runqsteal): the victim's runnext, one G, or half its ring."""
    if before[S_PS][victim][P_RUNNEXT] != after[S_PS][victim][P_RUNNEXT]:
        return f"steals {name} from P{victim}'s runnext (stealWork) and runs it"
    taken = len(before[S_PS][victim][P_RING]) - len(after[S_PS][victim][P_RING])
    if taken == 1:
        return f"steals {name} from P{victim}'s local queue (stealWork) and runs it"
    kept = after[S_PS][p][P_RING][len(before[S_PS][p][P_RING]):]
    return (f"steals {taken} Gs from P{victim}'s local queue (stealWork): it runs {name} and "
            f"puts {' '.join(f'G{k}' for k in kept)} in P{p}'s local queue")


def _batch(before: tuple, after: tuple, p: int) -> str:
    more = after[S_PS][p][P_RING][len(before[S_PS][p][P_RING]):]
    return f", and {' '.join(f'G{k}' for k in more)} into P{p}'s local queue" if more else ""


def _give_up(scene: Scene, before: tuple, step: Step, after: tuple) -> Told:
    p, m, action = step.p, step.m, step.action
    if step.g is not None:
        head = (f"a last look at the global queue before giving up finds "
                f"{scene.g(after, step.g)}" + _batch(before, after, p))
        return Told(_joined(head, _effects(scene, before, step, after, "wakep")))
    if "needspinning" in action:
        return Told(f"needspinning is set, so instead of releasing P{p} M{m} clears it and "
                    "spins (becomeSpinning).")
    if action.startswith("give up: recheck while spinning"):
        return _recheck_first(scene, before, step, after)
    spinning = before[S_MS][m][M_SPINNING]
    if action.startswith("give up: release") and action.endswith("recheck"):
        head = (f"M{m} gives up: it releases P{p} to the idle list; though it was not spinning, "
                "it will look at every queue once more before parking (recheck = all, Go 1.16 "
                "and earlier)")
        return Told(_joined(head, _effects(scene, before, step, after, "wakep")))
    head = (f"M{m} gives up: it releases P{p} to the idle list and stops spinning; it will "
            "look at every queue once more before parking" if spinning
            else f"M{m} gives up: it releases P{p} to the idle list and {_stops(action)}")
    window = _idle_window(scene, after)
    why = None
    if window and spinning:
        why = (f"{window}: the window between a spinning M's give-up and its recheck, which "
               "the recheck (Go 1.17 and later) exists to close")
    elif window and scene.cfg.recheck == "spinning":
        why = (f"{window}, and only a spinning M rechecks before parking; without "
               "needspinning (recheck = spinning) nothing told this M to spin instead")
    elif window:
        why = f"{window}, and only a spinning M rechecks before parking"
    return Told(_joined(head, _effects(scene, before, step, after, "wakep")), why)


def _recheck_first(scene: Scene, before: tuple, step: Step, after: tuple) -> Told:
    """`recheck_order = recheck_first` (bug-zoo Z1): the look while still spinning."""
    p, m = step.p, step.m
    if step.action.endswith("search again"):
        head = (f"M{m}, out of work but still spinning and holding P{p}, looks at every queue "
                "once more (recheck_order = recheck_first), finds work, and searches again")
        return Told(_joined(head, _effects(scene, before, step, after, "wakep")))
    head = (f"M{m}, out of work but still spinning and holding P{p}, looks at every queue once "
            "more (recheck_order = recheck_first) and finds nothing; it will stop spinning and "
            "park without looking again")
    why = (f"M{m} rechecked before it stopped counting as spinning: until it parks, a submitter "
           "that sees it spinning wakes nobody (wakep), and nothing looks at the queues again")
    return Told(_joined(head, _effects(scene, before, step, after, "wakep")), why)


def _stop(scene: Scene, before: tuple, step: Step, after: tuple) -> Told:
    """The stop of `recheck_order = recheck_first`: release, stop spinning, park."""
    p, m = step.p, step.m
    head = (f"M{m} stops: it releases P{p} to the idle list, stops spinning, and "
            f"{_stops(step.action)} without looking at the queues again")
    window = _idle_window(scene, after)
    why = None
    if window:
        why = (f"{window}: M{m} rechecked while it still counted as spinning, so the submitter "
               "that saw it spinning woke nobody, and this stop does not look again "
               "(recheck_order = recheck_first; Go stops spinning first, then rechecks)")
    return Told(_joined(head, _effects(scene, before, step, after, "wakep")), why)


def _stops(action: str) -> str:
    """How findRunnable's stop ends: parked, or (per-P timers) blocked in netpoll."""
    return ("blocks in netpoll until the deadline of a timer it may run" if
            action.endswith("block in netpoll") else "parks (stopm)")


def _idle_window(scene: Scene, state: tuple) -> str | None:
    """"P1 is idle while G2 (worker) is runnable in P0's runnext", or None."""
    idle = [p for p, P in enumerate(state[S_PS]) if P[P_STATUS_] == P_IDLE]
    ready = [g for g, G in enumerate(state[S_GS]) if G[G_STATUS_] == RUNNABLE]
    if not idle or not ready:
        return None
    return (f"P{idle[0]} is idle while {scene.g(state, ready[0])} is "
            f"{scene.where(state, ready[0])}")


def _recheck(scene: Scene, before: tuple, step: Step, after: tuple) -> Told:
    m, action = step.m, step.action
    why = None
    stops = _stops(action)
    if action.startswith("recheck: work, take") and action.endswith(", spin"):
        head = (f"M{m} rechecks every queue after releasing its P, finds work, and takes idle "
                f"P{after[S_MS][m][M_P]} back to spin")
    elif action.startswith("recheck: work, take"):
        p = after[S_MS][m][M_P]
        head = (f"M{m}, which was not spinning, rechecks every queue after releasing its P "
                f"(recheck = all), finds work, and takes idle P{p} back without spinning")
        why = (f"a non-spinning M rechecks and takes idle P{p} it may not use: the work is on "
               f"another P, and not spinning, M{m} may steal only if 2 × spinning Ms < busy Ps; "
               "when it may not, it gives the P up and rechecks again (#43997)")
    elif action.startswith("recheck: work") and "needspinning" in action:
        head = f"M{m} rechecks, finds work but no idle P: it sets needspinning and {stops}"
    elif action.startswith("recheck: work"):
        head = (f"M{m} rechecks, finds work but no idle P, and {stops}; with recheck = "
                "spinning there is no needspinning flag to set")
        why = ("the spinner found work but no idle P and, without needspinning (Go 1.17 to "
               "1.19), nobody is told: the next M to give up its P parks it idle while the work "
               "waits (#45867)")
    else:
        head = f"M{m} rechecks every queue once more, finds nothing runnable, and {stops}"
    return Told(_joined(head, _effects(scene, before, step, after, "wakep")),
                why or _no_deadline(scene, after, step))


# --- syscalls -------------------------------------------------------------------------------
def _syscall_tick(scene: Scene, before: tuple, step: Step, after: tuple) -> Told:
    g, m = step.g if step.g is not None else NO, step.m
    G = before[S_GS][g]
    ins = scene.instr(G)
    tick = f" (tick {ins.a - G[G_LEFT] + 1} of {ins.a})" if ins.a > 1 else ""
    p = before[S_MS][m][M_P]
    held = f", holding P{p} in syscall state" if p != NO else " without a P"
    head = f"{scene.g(before, g)}'s system call runs{tick}: M{m} is blocked in the kernel{held}"
    why = None
    if p != NO and not scene.cfg.sysmon and _local(before, p):
        why = (f"sysmon = off: nothing retakes P{p}, so {_local(before, p)} waits for a "
               f"P whose M is blocked in a system call")
    return Told(head + ".", why)


def _syscall_exit(scene: Scene, before: tuple, step: Step, after: tuple) -> Told:
    g, m = step.g if step.g is not None else NO, step.m
    name = scene.g(before, g)
    old = before[S_MS][m][M_P]
    why = None
    if step.p is None:
        head = (f"{name}'s system call returns, but no P is free: exitsyscall0 puts it on the "
                f"global queue and M{m} parks (stopm)")
        why = "its P was retaken during the syscall and every other P is busy"
    elif step.p == old:
        head = (f"{name}'s system call returns; P{old} is still in syscall state, so M{m} takes "
                "it back (exitsyscallfast) and goes on")
    else:
        head = (f"{name}'s system call returns; its P was retaken, so M{m} takes idle P{step.p} "
                "(exitsyscallfast_pidle) and goes on")
    return Told(_joined(head, _effects(scene, before, step, after, "wakep")), why)


# --- preemption and sysmon ------------------------------------------------------------------
def _preempted(scene: Scene, before: tuple, step: Step, after: tuple) -> Told:
    g = step.g if step.g is not None else NO
    G = before[S_GS][g]
    head = (f"the preemption request takes effect: {scene.g(before, g)} is preempted "
            f"(gopreempt_m) to the global queue, and M{step.m} schedules")
    return Told(_joined(head, _effects(scene, before, step, after, "wakep")),
                _no_gosched_wakep(scene, after, g) or _safe_point(scene, G, scene.instr(G)))


def _safe_point(scene: Scene, G: tuple, ins: Instr) -> str:
    """Why the flagged G could stop here: the kind of preemption point it is at."""
    if scene.cfg.preemption == "async":
        return ("with preemption = async every tick boundary is a preemption point (a signal "
                "interrupts the G, Go 1.14 and later)")
    left, code = G[G_LEFT], scene.code(ins)
    if left > 0:
        return (f"the G is between two ticks of {code}: work is made of function calls, and a "
                "function's prologue checks the preemption flag (a cooperative safe point)")
    if left == AT_CALL:
        return (f"the G is entering a call before {code}: a function's prologue is a "
                "cooperative safe point")
    return f"the G is at {code}, a cooperative safe point"


def _sysmon(scene: Scene, before: tuple, step: Step, after: tuple) -> Told:
    p = step.p if step.p is not None else NO
    if step.action.startswith("preempt request"):
        g = step.g if step.g is not None else NO
        return Told(f"sysmon: {scene.g(before, g)} has used up P{p}'s time slice "
                    f"(timeslice = {scene.cfg.timeslice} ticks), so retake asks for its "
                    "preemption (preemptone sets its flag).")
    if step.action.startswith("sample"):
        return _sample(scene, before, step, after)
    m = before[S_PS][p][P_M]
    g = before[S_MS][m][M_G]
    G = before[S_GS][g]
    ins = scene.instr(G)
    ran = ins.a - G[G_LEFT]
    head = (f"sysmon retakes P{p} from M{m}, blocked in {scene.g(before, g)}'s system call "
            f"(retake), and hands it off (handoffp)")
    local = _local(before, p)
    reason = (f"it had local work ({local})" if local
              else "no P was idle and no M was spinning")
    why = (f"P{p} had been in syscall state for {ran} tick{'s' * (ran != 1)}, at least "
           f"sysmon_delay = {scene.cfg.sysmon_delay}, and {reason}")
    effects = _effects(scene, before, step, after, "handoffp")
    if after[S_PS][p][P_STATUS_] == P_IDLE:
        effects.append(f"P{p} goes idle")
    return Told(_joined(head, effects), why or _runnext_ignored(scene, before, step, after))


_SAMPLE_NOTES = {
    "a new slice": "its schedtick has moved since the last look, so this is a new slice: it "
                   "only remembers it",
    "the same slice: preempt": "the same schedtick as at the last look, so the slice has run "
                               "too long: it asks for {g}'s preemption (preemptone)",
    "a new syscall": "its syscalltick has moved since the last look, so this is a new system "
                     "call: it only remembers it",
}


def _sample(scene: Scene, before: tuple, step: Step, after: tuple) -> Told:
    """A sampling sysmon's look at one P (retake_slice_check = all | running_only)."""
    p = step.p if step.p is not None else NO
    P = before[S_PS][p]
    m = P[P_M]
    g = before[S_MS][m][M_G] if m != NO else NO
    gname = scene.g(before, g) if g != NO else "the running G"
    state = "in syscall state" if P[P_STATUS_] == P_SYSCALL else "running " + gname
    notes = step.action.partition(": ")[2].split(", ")
    parts = []
    for note in notes:
        if note.startswith("retake from"):
            parts.append(f"it retakes P{p} from M{m} (retake) and hands it off (handoffp)")
        else:
            parts.append(_SAMPLE_NOTES.get(note, note).format(g=gname))
    head = f"sysmon samples P{p} ({state}) and looks at its ticks: " + "; ".join(parts)
    effects = _effects(scene, before, step, after, "handoffp")
    if after[S_PS][p][P_STATUS_] == P_IDLE and P[P_STATUS_] != P_IDLE:
        effects.append(f"P{p} goes idle")
    why = None
    local = _local(before, p)
    if local and not any(n.startswith(("retake", "the same")) for n in notes):
        seen = "system call" if "a new syscall" in notes else "slice"
        why = (f"retake_slice_check = {scene.cfg.retake_slice_check}: sysmon acts only on a P "
               f"it finds in the same {seen} as at its last look; it sampled P{p} and saw a new "
               f"{'syscall' if seen == 'system call' else 'slice'} tick, so {local} waits, and "
               "it sees a new one each time")
    return Told(_joined(head, effects), why or _runnext_ignored(scene, before, step, after))


def _runnext_ignored(scene: Scene, before: tuple, step: Step, after: tuple) -> str | None:
    """`runq_empty = ring_only` (bug-zoo Z4): a P handed off with a G in runnext counts as
    empty, so it goes idle or to a spinning M instead of an M that runs the G."""
    if scene.cfg.runq_empty != "ring_only":
        return None
    for p, (P0, P1) in enumerate(zip(before[S_PS], after[S_PS], strict=True)):
        if P1[P_RUNNEXT] == NO or P1[P_RING] or (P0[P_STATUS_], P0[P_M]) == (
                P1[P_STATUS_], P1[P_M]):
            continue
        if P1[P_STATUS_] == P_IDLE:
            went = "goes idle"
        elif P1[P_M] != NO and after[S_MS][P1[P_M]][M_SPINNING]:
            went = f"goes to M{P1[P_M]} spinning"
        else:
            continue
        return (f"runq_empty = ring_only: the emptiness test ignores runnext, so P{p} counts as "
                f"having no local work though {scene.g(after, P1[P_RUNNEXT])} is in its "
                f"runnext, and it {went} instead of to an M that runs it (#10573)")
    return None


def _local(state: tuple, p: int) -> str:
    """"G1 in P0's runnext" / "G2 G3 in P0's local queue" / ""."""
    P = state[S_PS][p]
    parts = []
    if P[P_RUNNEXT] != NO:
        parts.append(f"G{P[P_RUNNEXT]} in P{p}'s runnext")
    if P[P_RING]:
        parts.append(" ".join(f"G{g}" for g in P[P_RING]) + f" in P{p}'s local queue")
    return " and ".join(parts)


def _poller(scene: Scene, before: tuple, step: Step, after: tuple) -> Told:
    if step.action.endswith("expires"):
        return _expiry(scene, before, step, after)
    g = step.g if step.g is not None else NO
    name = scene.g(before, g)
    code = scene.code(scene.instr(before[S_GS][g]))
    what = (f"the netpoller finds the read of {name} ready" if step.actor == "netpoller"
            else f"the timer of {name} fires") + f", and its {code} completes"
    if after[S_GS][g][G_STATUS_] == DEAD:
        head = f"{what}: that was its last statement, so it finishes"
    else:
        head = f"{what}: injectglist puts it on the global queue"
    return Told(_joined(head, _effects(scene, before, step, after, "injectglist")))


# --- per-P timers (timer_steal = preempt_marked_only) ---------------------------------------
def _expiry(scene: Scene, before: tuple, step: Step, after: tuple) -> Told:
    g, p = step.g if step.g is not None else NO, step.p if step.p is not None else NO
    head = (f"time passes: the timer of {scene.g(before, g)} in P{p}'s heap reaches its "
            f"deadline; it fires only when an M runs P{p}'s timers: P{p}'s own schedule, a "
            "spinning thief, or the M blocked in netpoll")
    why = None
    if after[S_PIDLE] and not may_take_timers(after[S_PS], after[S_MS], after[S_GS], p) \
            and not any(M[M_STATE_] == M_NETPOLL for M in after[S_MS]):
        why = (f"{_timer_holder(scene, after, p)}; a P is idle, but with timer_steal = "
               "preempt_marked_only (Go 1.14-1.15, #38860) no thief may run this P's timers "
               "and no M waits in netpoll for them")
    return Told(head + ".", why)


def _timer_holder(scene: Scene, state: tuple, p: int) -> str:
    """"P0 runs G1 (hog), which is not marked for preemption"."""
    m = state[S_PS][p][P_M]
    g = state[S_MS][m][M_G] if m != NO else NO
    who = scene.g(state, g) if g != NO else "no G"
    return f"P{p} runs {who}, which is not marked for preemption"


def _timers_run(scene: Scene, before: tuple, step: Step, after: tuple) -> Told:
    """An M runs a P's expired timers (checkTimers): its own P's, or a victim's."""
    p, m = step.p, step.m
    q = int(step.action.split("P", 2)[1].split("'", 1)[0])
    why = None
    if q == p:
        head = f"findRunnable first runs P{p}'s expired timers (checkTimers)"
    else:
        head = (f"M{m}, spinning, runs P{q}'s expired timers in its steal round (checkTimers on "
                f"P{q}); the sleepers it readies go to P{p}")
        P = before[S_PS][q]
        how = ("is idle" if P[P_STATUS_] == P_IDLE else "is in syscall state"
               if P[P_STATUS_] == P_SYSCALL else "runs a G marked for preemption")
        why = (f"P{q} {how}, so even Go 1.14's thief (shouldStealTimers) may run its timers"
               if scene.cfg.timer_steal == "preempt_marked_only" else None)
    return Told(_joined(head, _effects(scene, before, step, after, "wakep")), why)


def _timers_skipped(scene: Scene, state: tuple, p: int) -> str | None:
    """A thief that finds nothing while another P holds an expired timer it may not run."""
    if not scene.cfg.per_p_timers:
        return None
    for q, Q in enumerate(state[S_PS]):
        if q != p and Q[P_EXPIRED] and not may_take_timers(state[S_PS], state[S_MS],
                                                           state[S_GS], q):
            return (f"P{q} holds an expired timer, but {_timer_holder(scene, state, q)}: Go "
                    "1.14's thief skips such a P (shouldStealTimers, timer_steal = "
                    "preempt_marked_only), assuming it will soon run its own timers")
    return None


def _no_deadline(scene: Scene, after: tuple, step: Step) -> str | None:
    """An M parks without a poll deadline while a running P holds a timer it may not run."""
    m = step.m
    if not scene.cfg.per_p_timers or m is None or after[S_MS][m][M_STATE_] != M_PARKED:
        return None
    for q, Q in enumerate(after[S_PS]):
        if (Q[P_TIMERS] or Q[P_EXPIRED]) and not may_take_timers(after[S_PS], after[S_MS],
                                                                 after[S_GS], q):
            return (f"M{m} parks with no poll deadline: the only timers are on P{q}, and "
                    f"{_timer_holder(scene, after, q)}; Go 1.14 computed the deadline over the "
                    "timers it could steal, so nobody will wake for them (Go 1.16 covers every "
                    "P's timers)")
    return None


def _netpoll(scene: Scene, before: tuple, step: Step, after: tuple) -> Told:
    """The M blocked in netpoll wakes at a timer's deadline."""
    m = step.m
    if step.p is not None:
        head = (f"M{m}, blocked in netpoll, wakes at a timer's deadline, takes idle P{step.p} "
                "(pidleget) and schedules")
    else:
        head = f"M{m} wakes from netpoll at a timer's deadline, finds no idle P and parks (stopm)"
    return Told(_joined(head, _effects(scene, before, step, after, "wakep")))


_M_STEPS = (
    ("preempted", _preempted),
    ("netpoll:", _netpoll),
    ("search:", _search),
    ("give up:", _give_up),
    ("recheck:", _recheck),
    ("stop:", _stop),
    ("syscall tick", _syscall_tick),
    ("exit syscall", _syscall_exit),
)


# --- what else changed ----------------------------------------------------------------------
def _effects(scene: Scene, before: tuple, step: Step, after: tuple, cause: str) -> list[str]:
    """Side effects the step's own sentence does not tell, in a fixed order: wake-ups, Ps
    changing hands, needspinning, overflow to the global queue, the G's end, the M's
    schedule, the program's end."""
    out = _readied(scene, before, step, after)
    out += _ps_moved(before, step, after, cause)
    if cause == "wakep" and step.actor.startswith("M"):
        out += _wakep_idle(scene, before, after)
    if after[S_NEEDSPIN] != before[S_NEEDSPIN]:
        out.append("needspinning is set: no idle P for a new spinning M" if after[S_NEEDSPIN]
                   else "needspinning is cleared")
    spilled = [g for g in after[S_GLOBALQ] if g not in before[S_GLOBALQ] and any(
        g in P[P_RING] for P in before[S_PS])]
    if spilled and step.p is not None:
        out.append(f"P{step.p}'s local queue is full: runqputslow moves "
                   f"{' '.join(f'G{g}' for g in spilled)} to the global queue")
    g = step.g
    mine = g is not None and g < len(before[S_GS]) and step.actor.startswith("M")
    if mine and g != 0 and after[S_GS][g][G_STATUS_] == DEAD \
            and before[S_GS][g][G_STATUS_] != DEAD:
        out.append(f"{scene.g(before, g)} has no statement left and finishes (goexit)")
    m = step.m
    if step.actor.startswith("M") and m is not None and before[S_MS][m][M_STATE_] == M_RUNNING \
            and after[S_MS][m][M_STATE_] == M_SEARCH and not after[S_ENDED] \
            and not step.action.startswith("preempted"):
        out.append(f"M{m} looks for another G to run (schedule)")
    if after[S_FATAL] and not before[S_FATAL]:
        out.append(f"fatal error: {FATAL_MESSAGES[after[S_FATAL]]}; the program dies")
    if after[S_ENDED] and not before[S_ENDED]:
        out.append("main returns, and the program exits with it")
    return out


def _wakep_idle(scene: Scene, before: tuple, after: tuple) -> list[str]:
    """wakep ran (a G became runnable) but woke nobody, because an M already spins."""
    spinners = [m for m, M in enumerate(before[S_MS]) if M[M_SPINNING]]
    fresh = any(G[G_STATUS_] == RUNNABLE and (g >= len(before[S_GS]) or before[S_GS][g][
        G_STATUS_] != RUNNABLE) for g, G in enumerate(after[S_GS]))
    if not (scene.cfg.wakep and fresh and spinners):
        return []
    return [f"wakep does nothing: M{spinners[0]} is already spinning"]


def _readied(scene: Scene, before: tuple, step: Step, after: tuple) -> list[str]:
    out = []
    for g, G in enumerate(before[S_GS]):
        if g == step.g or G[G_STATUS_] != WAITING:
            continue
        now = after[S_GS][g][G_STATUS_]
        if now == DEAD:
            out.append(f"this releases {scene.g(before, g)}, whose {scene.code(scene.instr(G))}"
                       " completes; it has nothing left to do and finishes")
        elif now in (RUNNABLE, RUNNING):
            out.append(f"this readies {scene.g(before, g)} (goready): it is now "
                       f"{scene.where(after, g)}")
    return out


def _ps_moved(before: tuple, step: Step, after: tuple, cause: str) -> list[str]:
    """Ps that another actor's step gave to an M (wakep, handoffp, injectglist)."""
    out = []
    for p, (P0, P1) in enumerate(zip(before[S_PS], after[S_PS], strict=True)):
        m = P1[P_M]
        if P1[P_STATUS_] != P_RUNNING or m in (NO, step.m) or P0[P_M] == m:
            continue
        M0, M1 = before[S_MS][m], after[S_MS][m]
        who = {M_UNBORN: f"a new M{m}", M_PARKED: f"parked M{m}"}.get(M0[M_STATE_], f"M{m}")
        was = "idle " if P0[P_STATUS_] == P_IDLE else ""
        then = "spins looking for work" if M1[M_SPINNING] else "schedules its work"
        out.append(f"{cause} gives {was}P{p} to {who}, which {then}")
    return out
