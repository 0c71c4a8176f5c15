"""The modelled machine as a transition system: who may move, and what each step does.

Actors, in the fixed order successors are listed: each M (by id), sysmon (retakes, then
preemption requests, by P), the netpoller and the timers (one step per parked G, by G id).
An M's state says which step it takes next:

  RUNNING  a step of its G (a tick or a statement), or a preemption at a preemption point
  SEARCH   schedule's search (findRunnable's local, global, steal), one successor per victim
  GIVEUP   schedule's give-up: a last global-queue look, needspinning, release the P
  RECHECK  a former spinner's recheck of every queue after releasing its P (Go >= 1.17);
           with `recheck_order = recheck_first`, the stop of a spinner that rechecked first
  RECHECK_IDLE  the recheck of an M that was not spinning (`recheck = all`, Go <= 1.16)
  SYSCALL  a syscall tick, or the syscall's exit once its ticks are done
  NETPOLL  (per-P timers only) blocked in netpoll until a timer's deadline: wake (timers.py)
  PARKED / UNBORN: no step of its own; other actors wake or create it.

Urgency (model.md): while sysmon may retake a syscall's P, that syscall takes no further
tick; while sysmon may request a G's preemption, that G takes no further step.

Abstractions of the runtime (beyond those model.md states):
- Syscall exit: a retake unlinks the M from its P for good. The classic runtime's
  exitsyscallfast may still take its old P back if, meanwhile, that P went into another M's
  syscall (exitsyscallfast_reacquired); the model's M tries the idle list instead.
- Retake has no clock: the runtime's unconditional retake of a syscall lasting 10 ms, and
  sysmon's preemption of a G whose P is in a syscall (sysretake), are not modelled.
- At the thread limit a `block` syscall keeps its P only when its handoff would need an M;
  a handoff that just idles the P needs none and happens.
- The recheck that finds global work takes the P and searches again (one more step) instead
  of taking the batch in the same step, as model.md words it.
- Timers ready their G like the netpoller (global queue, injectglist); the runtime fires a
  timer on a P, which readies the G into that P's runnext. With `timer_steal =
  preempt_marked_only` timers live in per-P heaps instead (timers.py).
"""

from __future__ import annotations

from collections.abc import Callable

from gocheck.model import program as op
from gocheck.model.config import MachineConfig
from gocheck.model.goroutine import move_to, new_g
from gocheck.model.program import Instr, Program
from gocheck.model.sched import (
    available_m,
    become_spinning,
    execute,
    global_batch,
    handoff_possible,
    handoffp,
    has_local_work,
    park_m,
    pidleput,
    ready,
    resetspinning,
    runqput,
    set_needspinning,
    slice_tick,
    startm,
    wakep,
)
from gocheck.model.state import (
    AT_CALL,
    DEAD,
    G_FUNC,
    G_LEFT,
    G_PC,
    G_PREEMPT,
    G_STATUS_,
    M_G,
    M_GIVEUP,
    M_NETPOLL,
    M_P,
    M_RECHECK,
    M_RECHECK_IDLE,
    M_RUNNING,
    M_SEARCH,
    M_SPINNING,
    M_STATE_,
    M_SYSCALL,
    M_UNBORN,
    NO,
    P_EXPIRED,
    P_IDLE,
    P_M,
    P_RING,
    P_RUNNEXT,
    P_RUNNING,
    P_SEEN_SLICE,
    P_SEEN_SYSCALL,
    P_SLICE,
    P_STATUS_,
    P_SYSCALL,
    P_TICK,
    P_TIMERS,
    RUNNABLE,
    RUNNING,
    S_ENDED,
    S_FATAL,
    S_GLOBALQ,
    S_GS,
    S_MIDLE,
    S_MS,
    S_NEEDSPIN,
    S_PIDLE,
    S_PS,
    SYSCALL,
    WAITING,
    World,
)
from gocheck.model.sync import CLOSED, CONTINUE, FATAL, PARK, YIELD, Sync
from gocheck.model.system import Step
from gocheck.model.timers import (
    add_timer,
    blocks_in_netpoll,
    expire,
    may_take_timers,
    netpoll_due,
    run_timers,
)

Successor = tuple[Step, tuple]


class Machine:
    """A compiled program on a configured machine; implements `TransitionSystem`."""

    def __init__(self, prog: Program, cfg: MachineConfig):
        self.prog = prog
        self.cfg = cfg
        self.sync = Sync(prog, cfg)
        # Steps repeat a great deal: one object per distinct step saves building and hashing
        # it again (the explicit engine interns steps by value).
        self._steps: dict[tuple, Step] = {}
        # Which of the pollers' ops (netread, sleep) the program has at all.
        used = {ins.op for f in prog.functions for ins in f.code}
        self._polled = tuple(o for o in (op.NETREAD, op.SLEEP) if o in used)
        # Which of sysmon's looks exist at all (asked at every state).
        self._retakes = cfg.sysmon and not cfg.sampling_sysmon
        self._requests = self._retakes and cfg.preemption != "off"
        self._sampling = cfg.sysmon and cfg.sampling_sysmon

    # --- the interface --------------------------------------------------------------------
    def initial_state(self) -> tuple:
        """M0 runs main on P0; the other Ps are idle (P1 on top, as procresize leaves them)."""
        cfg, prog = self.cfg, self.prog
        main = new_g(prog, prog.main, RUNNING)
        ended = int(main[G_STATUS_] == DEAD)
        memory = (0, 0) if cfg.sampling_sysmon or cfg.per_p_timers else ()
        memory += ((), ()) if cfg.per_p_timers else ()
        ps = [(P_RUNNING, 0, (), NO, 0, 0, *memory)] + [(P_IDLE, NO, (), NO, 0, 0, *memory)] * (
            cfg.procs - 1)
        ms = [(M_RUNNING, 0, 0, False)] + [(M_UNBORN, NO, NO, False)] * (cfg.threads - 1)
        return (
            (main,), tuple(ps), tuple(ms), (), tuple(range(cfg.procs - 1, 0, -1)), (), 0,
            tuple((0, 0, (), ()) for _ in prog.chan_caps),
            tuple((0, ()) for _ in prog.mutex_names),
            tuple((0, ()) for _ in prog.wg_names),
            ended, 0,
        )

    def successors(self, state: tuple) -> list[Successor]:
        if state[S_ENDED] or state[S_FATAL]:
            return []
        out: list[Successor] = []
        retakable = self._retakable(state)
        requests = self._preempt_requests(state)
        for m, M in enumerate(state[S_MS]):
            self._m_moves(state, m, M, retakable, requests, out)
        for p in retakable:
            self._retake(state, p, out)
        for p in requests:
            self._preempt_request(state, p, out)
        for p in self._samples(state):
            self._sample(state, p, out)
        self._pollers(state, out)
        return out

    def m_successors(self, state: tuple, m: int) -> list[Successor]:
        """M m's own steps, as `successors` lists them (partial-order reduction asks for one
        actor's steps without computing everyone's)."""
        if state[S_ENDED] or state[S_FATAL]:
            return []
        M = state[S_MS][m]
        kind = M[M_STATE_]
        retakable = self._retakable(state) if kind == M_SYSCALL else []
        requests = self._preempt_requests(state) if kind == M_RUNNING else []
        out: list[Successor] = []
        self._m_moves(state, m, M, retakable, requests, out)
        return out

    def request_successors(self, state: tuple) -> list[Successor]:
        """sysmon's preemption requests alone, as `successors` lists them."""
        if state[S_ENDED] or state[S_FATAL]:
            return []
        out: list[Successor] = []
        for p in self._preempt_requests(state):
            self._preempt_request(state, p, out)
        return out

    def _m_moves(self, state: tuple, m: int, M: tuple, retakable: list[int],
                 requests: list[int], out: list[Successor]) -> None:
        """M m's steps, by the state it is in (module doc)."""
        kind = M[M_STATE_]
        if kind == M_RUNNING:
            if M[M_P] not in requests:
                self._running(state, m, M[M_P], M[M_G], out)
        elif kind == M_SEARCH:
            self._search(state, m, M[M_P], out)
        elif kind == M_GIVEUP:
            self._give_up(state, m, M[M_P], out)
        elif kind == M_RECHECK and M[M_P] != NO:
            self._stop_after_recheck(state, m, M[M_P], out)
        elif kind in (M_RECHECK, M_RECHECK_IDLE):
            self._recheck(state, m, out)
        elif kind == M_SYSCALL:
            self._syscall(state, m, M, retakable, out)
        elif kind == M_NETPOLL:
            self._netpoll_wake(state, m, out)

    # --- helpers ----------------------------------------------------------------------------
    def instr(self, G: tuple) -> Instr:
        return self.prog.functions[G[G_FUNC]].code[G[G_PC]]

    def _emit(self, out: list[Successor], state: tuple, step: Step,
              effect: Callable[[World], None]) -> None:
        w = World(state)
        effect(w)
        out.append((step, w.freeze()))

    def _m_step(self, m: int, action: str, *, g: int | None = None,
                p: int | None = None) -> Step:
        key = (m, action, g, p)
        step = self._steps.get(key)
        if step is None:
            step = self._steps[key] = Step(f"M{m}", action, g, p, m, f"M{m}")
        return step

    def _step(self, actor: str, action: str, g: int | None, p: int | None, m: int | None,
              fairness: str) -> Step:
        """Step(...), one object per distinct value."""
        key = (actor, action, g, p, m, fairness)
        step = self._steps.get(key)
        if step is None:
            step = self._steps[key] = Step(actor, action, g, p, m, fairness)
        return step

    # --- an M running a G ---------------------------------------------------------------
    def _running(self, state: tuple, m: int, p: int, g: int, out: list[Successor]) -> None:
        G = state[S_GS][g]
        ins = self.instr(G)
        if G[G_PREEMPT] and self._at_preemption_point(G, ins):
            self._emit(out, state, self._m_step(m, "preempted: to the global queue", g=g, p=p),
                       lambda w: self._preempt(w, m, p, g))
            return
        if ins.op == op.SELECT:
            self._select(state, m, p, g, ins, out)
            return
        label = self._label(ins, G)

        def effect(w: World) -> None:
            slice_tick(w, self.cfg, p)
            self._do(w, m, p, g, ins)

        self._emit(out, state, self._m_step(m, label, g=g, p=p), effect)

    def _at_preemption_point(self, G: tuple, ins: Instr) -> bool:
        """Async: every boundary. Cooperative: before an action other than `spin`, between
        `work` ticks, and before a spin reached through a call (AT_CALL)."""
        if self.cfg.preemption == "async":
            return True
        if self.cfg.preemption == "off":
            return False
        left = G[G_LEFT]
        if left > 0:
            return ins.op == op.WORK
        return left == AT_CALL or ins.safe

    def _preempt(self, w: World, m: int, p: int, g: int) -> None:
        """gopreempt_m -> goschedImpl: the G goes to the global queue, wakep, schedule."""
        w.set_g(g, status=RUNNABLE, preempt=0)
        w.globalq.append(g)
        w.set_m(m, state=M_SEARCH, g=NO)
        self._gosched_wakep(w)

    def _gosched_wakep(self, w: World) -> None:
        """goschedImpl's wakep after the global-queue put (Go >= 1.22; #55160). With
        `gosched_wakep = off` (Go <= 1.21) nobody is woken for the yielded G."""
        if self.cfg.gosched_wakep:
            wakep(w, self.cfg)

    def _finish_or_park(self, w: World, m: int, g: int, pc: int | None) -> None:
        """After a G's statement: move it on to pc (None: it parked) and let its M schedule
        if it parked or finished."""
        if pc is None:
            w.set_g(g, status=WAITING)
            w.set_m(m, state=M_SEARCH, g=NO)
        elif not move_to(w, self.prog, g, pc):
            w.set_m(m, state=M_SEARCH, g=NO)

    def _do(self, w: World, m: int, p: int, g: int, ins: Instr) -> None:
        """The effect of G g's next action `ins` (everything but select)."""
        cfg, _sync, o = self.cfg, self.sync, ins.op
        pc = w.gs[g][G_PC]
        if o in (op.WORK, op.SPIN):
            left = w.gs[g][G_LEFT]
            left = (left if left > 0 else ins.a) - 1  # AT_CALL: not started yet
            if left:
                w.set_g(g, left=left)
            else:
                self._finish_or_park(w, m, g, pc + 1)
        elif o == op.SYSCALL:
            self._enter_syscall(w, m, p, g, ins)
        elif o in (op.NETREAD, op.SLEEP):
            if o == op.SLEEP and cfg.per_p_timers:
                add_timer(w, p, g)
            self._finish_or_park(w, m, g, None)
        elif o == op.GO:
            child = len(w.gs)
            w.gs.append(new_g(self.prog, ins.a, RUNNABLE))
            if w.gs[child][G_STATUS_] == RUNNABLE:
                ready(w, cfg, p, child)
            self._finish_or_park(w, m, g, pc + 1)
        elif o == op.GOSCHED:
            if move_to(w, self.prog, g, pc + 1):
                w.set_g(g, status=RUNNABLE)
                w.globalq.append(g)
            w.set_m(m, state=M_SEARCH, g=NO)
            self._gosched_wakep(w)
        else:
            result, target = self._sync_op(w, p, g, ins, pc)
            if result == YIELD:
                self._goyield(w, m, p, g, target)
            elif result != FATAL:
                self._finish_or_park(w, m, g, None if result == PARK else target)

    def _goyield(self, w: World, m: int, p: int, g: int, pc: int) -> None:
        """goyield_m: the G moves on to pc and goes to its P's ring tail (not the global
        queue, no wakep); its M schedules, and the G just readied into runnext runs next."""
        if move_to(w, self.prog, g, pc):
            w.set_g(g, status=RUNNABLE)
            runqput(w, self.cfg, p, g, next=False)
        w.set_m(m, state=M_SEARCH, g=NO)

    def _sync_op(self, w: World, p: int, g: int, ins: Instr, pc: int) -> tuple[int, int]:
        sync, o = self.sync, ins.op
        if o == op.SEND:
            return sync.send(w, p, g, ins.a), pc + 1
        if o == op.RECV:
            r = sync.recv(w, p, g, ins.a)
            return (CONTINUE if r == CLOSED else r), pc + 1
        if o == op.RANGE:
            r = sync.recv(w, p, g, ins.a)
            return (CONTINUE, ins.b) if r == CLOSED else (r, pc + 1)
        if o == op.CLOSE:
            return sync.close(w, p, ins.a), pc + 1
        if o == op.LOCK:
            return sync.lock(w, g, ins.a), pc + 1
        if o == op.UNLOCK:
            return sync.unlock(w, p, ins.a), pc + 1
        if o == op.WGADD:
            return sync.wg_add(w, p, ins.a, ins.b), pc + 1
        if o == op.WGWAIT:
            return sync.wg_wait(w, g, ins.a), pc + 1
        raise AssertionError(f"not a synchronisation op: {ins}")

    def _select(self, state: tuple, m: int, p: int, g: int, ins: Instr,
                out: list[Successor]) -> None:
        """Go's select: a successor per ready case; else default; else park on all."""
        w0 = World(state)
        ready_cases = self.sync.ready_cases(w0, ins)
        for i in ready_cases:
            kind, ch, _t = ins.c[i]  # type: ignore[index]
            label = f"select case {i}: {self._chan_op(kind, ch)}"

            def effect(w: World, i: int = i) -> None:
                slice_tick(w, self.cfg, p)
                result, target = self.sync.select_case(w, p, g, ins, i)
                if result != FATAL:
                    self._finish_or_park(w, m, g, target)

            self._emit(out, state, self._m_step(m, label, g=g, p=p), effect)
        if ready_cases:
            return

        def fallback(w: World) -> None:
            slice_tick(w, self.cfg, p)
            if ins.b >= 0:
                self._finish_or_park(w, m, g, ins.b)
            else:
                self.sync.select_park(w, g, ins)
                self._finish_or_park(w, m, g, None)

        label = "select: default" if ins.b >= 0 else "select: park"
        self._emit(out, state, self._m_step(m, label, g=g, p=p), fallback)

    # --- syscalls ---------------------------------------------------------------------------
    def _enter_syscall(self, w: World, m: int, p: int, g: int, ins: Instr) -> None:
        """entersyscall (reentersyscall): the P goes to syscall state, linked to the M;
        entersyscallblock hands it off at once, unless that handoff needs an M and none can
        be had (the thread limit)."""
        w.set_g(g, status=SYSCALL, left=ins.a)
        w.set_m(m, state=M_SYSCALL)
        w.set_p(p, status=P_SYSCALL)
        if self.cfg.sampling_sysmon:
            w.set_p(p, seen_syscall=0)  # a new syscalltick
        if ins.b and self.cfg.handoff and handoff_possible(w, self.cfg, p):
            w.set_p(p, m=NO)
            w.set_m(m, p=NO)
            handoffp(w, self.cfg, p)

    def _syscall(self, state: tuple, m: int, M: tuple, retakable: list[int],
                 out: list[Successor]) -> None:
        g = M[M_G]
        G = state[S_GS][g]
        if G[G_LEFT]:
            if M[M_P] in retakable:
                return
            step = self._m_step(m, "syscall tick", g=g, p=M[M_P] if M[M_P] != NO else None)
            self._emit(out, state, step, lambda w: w.set_g(g, left=G[G_LEFT] - 1))
            return
        self._syscall_exit(state, m, M, g, out)

    def _syscall_exit(self, state: tuple, m: int, M: tuple, g: int,
                      out: list[Successor]) -> None:
        """exitsyscall: the old P if still in syscall state (fast path), else an idle P
        (exitsyscallfast_pidle), else the G goes to the global queue and the M parks."""
        old = M[M_P]
        ps = state[S_PS]
        if old != NO and ps[old][P_STATUS_] == P_SYSCALL and ps[old][P_M] == m:
            p, how = old, f"exit syscall: P{old} kept"
        elif state[S_PIDLE]:
            p = state[S_PIDLE][-1]
            how = f"exit syscall: idle P{p}"
        else:
            p, how = NO, "exit syscall: no P, G to the global queue, M parks"

        def effect(w: World) -> None:
            pc = w.gs[g][G_PC]
            if p == NO:
                if move_to(w, self.prog, g, pc + 1):
                    w.set_g(g, status=RUNNABLE)
                    w.globalq.append(g)
                park_m(w, m)
                return
            if p != old:
                w.pidle.pop()
            w.set_p(p, status=P_RUNNING, m=m)
            w.set_m(m, state=M_RUNNING, p=p)
            w.set_g(g, status=RUNNING)
            if not move_to(w, self.prog, g, pc + 1):
                w.set_m(m, state=M_SEARCH, g=NO)

        self._emit(out, state, self._m_step(m, how, g=g, p=None if p == NO else p),
                   effect)

    # --- schedule: search, give up, recheck -------------------------------------------------
    def _search(self, state: tuple, m: int, p: int, out: list[Successor]) -> None:
        """findRunnable's search, in the runtime's order: the 1-in-global_check global
        look, runnext, the ring, a global batch, then spinning and stealing."""
        cfg = self.cfg
        P = state[S_PS][p]
        globalq = state[S_GLOBALQ]
        spinning = state[S_MS][m][M_SPINNING]
        if cfg.per_p_timers and P[P_EXPIRED]:
            self._emit(out, state, self._m_step(m, f"search: run P{p}'s expired timers", p=p),
                       lambda w: self._run_timers(w, p, p))
            return
        if cfg.global_check and P[P_TICK] % cfg.global_check == 0 and globalq:
            self._take(state, m, p, "search: global queue (fairness check)",
                       lambda w: w.globalq.pop(0), out)
        elif P[P_RUNNEXT] != NO:
            self._take(state, m, p, "search: runnext", lambda w: _pop_runnext(w, p), out,
                       inherit=True)
        elif P[P_RING]:
            self._take(state, m, p, "search: local queue", lambda w: _pop_ring(w, p), out)
        elif globalq:
            self._take(state, m, p, "search: global queue batch",
                       lambda w: global_batch(w, cfg, p), out)
        else:
            self._steal(state, m, p, spinning, out)

    def _take(self, state: tuple, m: int, p: int, label: str, take: Callable[[World], int],
              out: list[Successor], *, inherit: bool = False) -> None:
        w = World(state)
        g = take(w)
        execute(w, self.cfg, m, p, g, inherit=inherit)
        resetspinning(w, self.cfg, m)
        out.append((self._m_step(m, label, g=g, p=p), w.freeze()))

    def _steal(self, state: tuple, m: int, p: int, spinning: bool,
               out: list[Successor]) -> None:
        """stealWork: only a spinning M steals, and an M may start spinning only while
        2 x spinning Ms < procs - idle Ps. One successor per victim with local work.
        Only an M that starts spinning here clears needspinning (becomeSpinning); one that
        already spins (woken by wakep or handoffp) leaves the flag as it is."""
        cfg = self.cfg
        ps = state[S_PS]
        nspin = sum(1 for M in state[S_MS] if M[M_SPINNING])
        if not spinning and 2 * nspin >= cfg.procs - len(state[S_PIDLE]):
            self._emit(out, state, self._m_step(m, "search: nothing found", p=p),
                       lambda w: w.set_m(m, state=M_GIVEUP))
            return
        victims = [] if cfg.steal == "off" else [
            q for q, Q in enumerate(ps)
            if q != p and Q[P_STATUS_] != P_IDLE and (Q[P_RING] or Q[P_RUNNEXT] != NO)
        ]
        for q in self._timer_victims(state, p):
            def steal_timers(w: World, q: int = q) -> None:
                if not spinning:
                    become_spinning(w, m)
                self._run_timers(w, q, p)

            self._emit(out, state, self._m_step(m, f"search: steal P{q}'s expired timers",
                                                p=p), steal_timers)
        for q in victims:
            what = "runnext" if not ps[q][P_RING] else (
                "1" if cfg.steal == "one" else str(len(ps[q][P_RING]) - len(ps[q][P_RING]) // 2))

            w = World(state)
            if not spinning:
                become_spinning(w, m)
            g = _steal_from(w, cfg, p, q)
            execute(w, cfg, m, p, g, inherit=False)
            resetspinning(w, cfg, m)
            out.append((self._m_step(m, f"search: steal {what} from P{q}", g=g, p=p),
                        w.freeze()))
        if not victims and not self._timer_victims(state, p):
            def give_up(w: World) -> None:
                if not spinning:
                    become_spinning(w, m)
                w.set_m(m, state=M_GIVEUP)

            self._emit(out, state, self._m_step(m, "search: spinning, nothing to steal", p=p),
                       give_up)

    def _give_up(self, state: tuple, m: int, p: int, out: list[Successor]) -> None:
        """findRunnable's stop: under sched.lock, a last look at the global queue; a
        non-spinning M that sees needspinning spins instead; else the P goes idle. The
        switches `recheck_order` and `recheck` change what follows (`_release`)."""
        cfg = self.cfg
        spinning = state[S_MS][m][M_SPINNING]
        if state[S_GLOBALQ]:
            self._take(state, m, p, "give up: global queue batch",
                       lambda w: global_batch(w, cfg, p), out)
            return
        if not spinning and state[S_NEEDSPIN]:
            def spin(w: World) -> None:
                become_spinning(w, m)
                w.set_m(m, state=M_SEARCH)

            self._emit(out, state, self._m_step(m, "give up: needspinning, spin again", p=p),
                       spin)
            return
        if spinning and cfg.recheck_order == "recheck_first":
            self._recheck_first(state, m, p, out)
            return
        self._release(state, m, p, spinning, out)

    def _release(self, state: tuple, m: int, p: int, spinning: bool,
                 out: list[Successor]) -> None:
        """releasep + pidleput, then: a spinner stops spinning and rechecks (the runtime's
        order: decrement nmspinning, then look); a non-spinner parks (Go >= 1.17, #43997) or,
        with `recheck = all` (Go <= 1.16), rechecks too."""
        recheck_idle = not spinning and self.cfg.recheck == "all"

        def release(w: World) -> None:
            pidleput(w, p)
            if spinning:
                w.set_m(m, state=M_RECHECK, p=NO, spinning=False)
            elif recheck_idle:
                w.set_m(m, state=M_RECHECK_IDLE, p=NO)
            else:
                self._stop_m(w, m)

        label = (f"give up: release P{p}, stop spinning" if spinning
                 else f"give up: release P{p}, recheck" if recheck_idle
                 else f"give up: release P{p}, park")
        self._emit_stop(out, state, self._m_step(m, label, p=p), release)

    def _recheck_first(self, state: tuple, m: int, p: int, out: list[Successor]) -> None:
        """`recheck_order = recheck_first` (bug-zoo Z1, the order proc.go's "delicate dance"
        forbids): the spinner looks at every queue while still spinning and holding its P;
        work -> search again; nothing -> a later step stops it without looking again, so a
        submission in between sees a spinner, wakes nobody, and is lost."""
        if self._visible_work(state):
            self._emit(out, state, self._m_step(m, "give up: recheck while spinning: work, "
                                                "search again", p=p),
                       lambda w: w.set_m(m, state=M_SEARCH))
            return
        self._emit(out, state, self._m_step(m, "give up: recheck while spinning: nothing",
                                            p=p),
                   lambda w: w.set_m(m, state=M_RECHECK))

    def _stop_after_recheck(self, state: tuple, m: int, p: int,
                            out: list[Successor]) -> None:
        """The stop of `recheck_first`: release the P, stop spinning, park; no last look."""
        def stop(w: World) -> None:
            pidleput(w, p)
            self._stop_m(w, m)

        self._emit_stop(out, state, self._m_step(m, f"stop: release P{p}, stop spinning, park",
                                                 p=p), stop)

    def _visible_work(self, state: tuple) -> bool:
        """What the recheck looks at: the global queue and every non-idle P's local work."""
        cfg = self.cfg
        return bool(state[S_GLOBALQ]) or any(
            Q[P_STATUS_] != P_IDLE and has_local_work(cfg, Q) for Q in state[S_PS])

    def _recheck(self, state: tuple, m: int, out: list[Successor]) -> None:
        """The spinning-to-non-spinning dance: with nmspinning already decremented, look at
        the global queue and every non-idle P once more; work and an idle P -> take it and
        spin; work and no idle P -> needspinning; then park.

        `recheck = all` (Go <= 1.16): an M that was not spinning rechecks too and takes the
        P back not spinning; the spinning cap then forbids it to steal, so it may drop and
        retake the P forever (#43997). `recheck = spinning` (1.17-1.19): no needspinning
        flag, so work with no idle P wakes nobody (#45867)."""
        spinner = state[S_MS][m][M_STATE_] == M_RECHECK
        work = self._visible_work(state)
        pidle = state[S_PIDLE]
        if work and pidle:
            p = pidle[-1]

            def take(w: World) -> None:
                w.pidle.pop()
                w.set_p(p, status=P_RUNNING, m=m)
                w.set_m(m, state=M_SEARCH, p=p)
                if spinner:
                    become_spinning(w, m)

            label = f"recheck: work, take idle P{p}" + (", spin" if spinner else "")
            self._emit(out, state, self._m_step(m, label, p=p), take)
        elif work:
            def flag(w: World) -> None:
                set_needspinning(w, self.cfg)
                self._stop_m(w, m)

            label = ("recheck: work, no idle P: needspinning, park"
                     if self.cfg.recheck == "needspinning" else "recheck: work, no idle P, park")
            self._emit_stop(out, state, self._m_step(m, label), flag)
        else:
            self._emit_stop(out, state, self._m_step(m, "recheck: nothing, park"),
                            lambda w: self._stop_m(w, m))

    # --- sysmon -----------------------------------------------------------------------------
    def _retakable(self, state: tuple) -> list[int]:
        """retake's syscall branch: Ps in syscall state whose syscall has run sysmon_delay
        ticks, with local work or no idle P and no spinning M, and an M for the handoff."""
        cfg = self.cfg
        if not self._retakes:
            return []
        ps, ms, gs = state[S_PS], state[S_MS], state[S_GS]
        out = []
        for p, P in enumerate(ps):
            if P[P_STATUS_] != P_SYSCALL or P[P_M] == NO:
                continue
            G = gs[ms[P[P_M]][M_G]]
            if self.instr(G).a - G[G_LEFT] < cfg.sysmon_delay:
                continue
            local = has_local_work(cfg, P)
            nspin = sum(1 for M in ms if M[M_SPINNING])
            if not (local or (not state[S_PIDLE] and not nspin)):
                continue
            needs_m = local or bool(state[S_GLOBALQ]) or (not nspin and not state[S_PIDLE])
            if needs_m and not state[S_MIDLE] and all(M[M_STATE_] != M_UNBORN for M in ms):
                continue
            out.append(p)
        return out

    def _retake(self, state: tuple, p: int, out: list[Successor]) -> None:
        m = state[S_PS][p][P_M]

        def effect(w: World) -> None:
            w.set_p(p, m=NO)
            w.set_m(m, p=NO)
            handoffp(w, self.cfg, p)

        self._emit(out, state, self._step("sysmon", f"retake P{p} from M{m} in syscall", None,
                                          p, m, f"sysmon:retake:P{p}"), effect)

    def _preempt_requests(self, state: tuple) -> list[int]:
        """retake's preemption branch: Ps whose running G has used up the time slice."""
        cfg = self.cfg
        if not self._requests:
            return []
        gs, ms = state[S_GS], state[S_MS]
        return [
            p for p, P in enumerate(state[S_PS])
            if P[P_STATUS_] == P_RUNNING and P[P_SLICE] >= cfg.timeslice
            and ms[P[P_M]][M_STATE_] == M_RUNNING and not gs[ms[P[P_M]][M_G]][G_PREEMPT]
        ]

    def _preempt_request(self, state: tuple, p: int, out: list[Successor]) -> None:
        m = state[S_PS][p][P_M]
        g = state[S_MS][m][M_G]
        self._emit(out, state, self._step("sysmon", f"preempt request for G{g} (slice used up)",
                                          g, p, m, f"sysmon:preempt:P{p}"),
                   lambda w: w.set_g(g, preempt=1))

    # --- sysmon as a sampling observer (retake_slice_check = all | running_only) ----------
    def _samples(self, state: tuple) -> list[int]:
        """The Ps a sampling sysmon may look at: every P that is not idle."""
        if not self._sampling:
            return []
        return [p for p, P in enumerate(state[S_PS]) if P[P_STATUS_] != P_IDLE]

    def _sample(self, state: tuple, p: int, out: list[Successor]) -> None:
        """retake(now) on one P, as a sampling observer with per-P memory (p.sysmontick).

        Time is abstracted: "the same schedtick as at the last look" stands for "this slice
        has run 10 ms", and "the same syscalltick" for "this syscall has run 20 us or more".
        Only equality with the last look matters, so the memory is two flags (looked during
        this slice / this syscall), cleared when schedtick advances or a syscall begins:
        exact for the runtime's unbounded ticks.
        The slice check covers running and syscall Ps (`all`: tip's sysretake, which also
        retakes a syscall P whose slice expired) or running Ps only (`running_only`, Go 1.11:
        a G making back-to-back short syscalls is always seen in a new syscall, so its P is
        never retaken and its queued Gs starve, #28701). A look that changes nothing is no
        step."""
        cfg = self.cfg
        w = World(state)
        P = w.ps[p]
        syscall = P[P_STATUS_] == P_SYSCALL
        sysretake = False
        notes = []
        if not syscall or cfg.retake_slice_check == "all":
            if not P[P_SEEN_SLICE]:
                w.set_p(p, seen_slice=1)
                notes.append("a new slice")
            else:
                self._preempt_one(w, p)
                sysretake = syscall
                notes.append("the same slice: preempt")
        if syscall and not sysretake and not P[P_SEEN_SYSCALL]:
            w.set_p(p, seen_syscall=1)
            notes.append("a new syscall")
        elif syscall and self._may_retake(w, p):
            m = P[P_M]
            w.set_p(p, m=NO)
            w.set_m(m, p=NO)
            handoffp(w, cfg, p)
            notes.append(f"retake from M{m}")
        after = w.freeze()
        if after != state:
            g = state[S_MS][P[P_M]][M_G]
            out.append((Step("sysmon", f"sample P{p}: " + ", ".join(notes),
                             g if g != NO else None, p, P[P_M], f"sysmon:sample:P{p}"), after))

    def _preempt_one(self, w: World, p: int) -> None:
        """preemptone: flag the G of P p's M (never with `preemption = off`)."""
        g = w.ms[w.ps[p][P_M]][M_G]
        if self.cfg.preemption != "off" and g != NO:
            w.set_g(g, preempt=1)

    def _may_retake(self, w: World, p: int) -> bool:
        """retake's syscall branch after the look: local work, or no spinner and no idle P,
        and an M for the handoff."""
        cfg = self.cfg
        if not has_local_work(cfg, w.ps[p]) and (w.nmspinning() or w.pidle):
            return False
        return handoff_possible(w, cfg, p)

    # --- the netpoller and timers -----------------------------------------------------------
    def _pollers(self, state: tuple, out: list[Successor]) -> None:
        """netpoll / timer firing -> injectglist without a P: the G joins the global queue
        and one idle P, if any, goes to a non-spinning M (even with wakep = off); with no
        idle P, startIdle's pidlegetSpinning sets needspinning."""
        if self.cfg.per_p_timers:
            self._expiries(state, out)
        for want in self._polled:
            if want == op.SLEEP and self.cfg.per_p_timers:
                continue
            actor = "netpoller" if want == op.NETREAD else "timers"
            for g, G in enumerate(state[S_GS]):
                if G[G_STATUS_] == WAITING and self.instr(G).op == want:
                    self._emit(out, state,
                               self._step(actor, f"ready G{g}", g, None, None, f"{actor}:G{g}"),
                               lambda w, g=g: self._inject(w, g))

    def _inject(self, w: World, g: int) -> None:
        if not move_to(w, self.prog, g, w.gs[g][G_PC] + 1):
            return
        w.set_g(g, status=RUNNABLE)
        w.globalq.append(g)
        if not w.pidle:
            set_needspinning(w, self.cfg)
            return
        m = available_m(w, self.cfg)
        if m != NO:
            startm(w, m, w.pidle.pop(), spinning=False)

    # --- per-P timers (timer_steal = preempt_marked_only; timers.py) -------------------------
    def _run_timers(self, w: World, q: int, p: int) -> None:
        run_timers(w, self.prog, self.cfg, q, p)

    def _timer_victims(self, state: tuple, p: int) -> list[int]:
        """The other Ps whose expired timers a thief may run (shouldStealTimers)."""
        if not self.cfg.per_p_timers:
            return []
        ps, ms, gs = state[S_PS], state[S_MS], state[S_GS]
        return [q for q, Q in enumerate(ps)
                if q != p and Q[P_EXPIRED] and may_take_timers(ps, ms, gs, q)]

    def _stop_m(self, w: World, m: int) -> None:
        """findRunnable's stop once the P is released: block in netpoll until a timer's
        deadline (per-P timers, when timers.blocks_in_netpoll says so), else park (stopm)."""
        if self.cfg.per_p_timers and blocks_in_netpoll(w):
            w.set_m(m, state=M_NETPOLL, p=NO, g=NO, spinning=False)
        else:
            park_m(w, m)

    def _emit_stop(self, out: list[Successor], state: tuple, step: Step,
                   effect: Callable[[World], None]) -> None:
        """Emit a step that ends in `_stop_m`; an M that blocks in netpoll says so in its
        action instead of "park"."""
        w = World(state)
        effect(w)
        if step.m is not None and w.ms[step.m][M_STATE_] == M_NETPOLL:
            step = Step(step.actor, step.action.removesuffix("park") + "block in netpoll",
                        step.g, step.p, step.m, step.fairness)
        out.append((step, w.freeze()))

    def _netpoll_wake(self, state: tuple, m: int, out: list[Successor]) -> None:
        """The M blocked in netpoll wakes at its deadline: it takes the top idle P and
        schedules (not spinning), or with no idle P parks (stopm)."""
        if not netpoll_due(state[S_PS], state[S_MS], state[S_GS]):
            return
        pidle = state[S_PIDLE]
        if pidle:
            p = pidle[-1]

            def take(w: World) -> None:
                w.pidle.pop()
                w.set_p(p, status=P_RUNNING, m=m)
                w.set_m(m, state=M_SEARCH, p=p)

            self._emit(out, state, self._m_step(m, f"netpoll: deadline, take idle P{p}", p=p),
                       take)
        else:
            self._emit(out, state, self._m_step(m, "netpoll: deadline, no idle P, park"),
                       lambda w: park_m(w, m))

    def _expiries(self, state: tuple, out: list[Successor]) -> None:
        """Time passes: each pending timer may reach its deadline (one class per sleeper)."""
        steps = sorted((g, p) for p, P in enumerate(state[S_PS]) for g in P[P_TIMERS])
        for g, p in steps:
            self._emit(out, state, Step("timers", f"timer of G{g} on P{p} expires", g, p, None,
                                        f"timers:G{g}"),
                       lambda w, g=g, p=p: expire(w, p, g))

    # --- step names -------------------------------------------------------------------------
    def _chan_op(self, kind: str, ch: int) -> str:
        name = self.prog.chan_names[ch]
        return f"{name} <-" if kind == "send" else f"<-{name}"

    def _label(self, ins: Instr, G: tuple) -> str:
        prog, o = self.prog, ins.op
        if o == op.WORK:
            return "work tick" + ("" if G[G_LEFT] or ins.a == 1 else f" (1 of {ins.a})")
        if o == op.SPIN:
            return "spin tick"
        if o == op.SYSCALL:
            return "enter syscall" + (" (block)" if ins.b else "")
        names = {
            op.NETREAD: "netread: park on the netpoller",
            op.SLEEP: "time.Sleep: park on a timer",
            op.GOSCHED: "runtime.Gosched",
        }
        if o in names:
            return names[o]
        if o == op.GO:
            return f"go {prog.functions[ins.a].name}"
        if o in (op.SEND, op.RECV, op.RANGE):
            return self._chan_op("send" if o == op.SEND else "recv", ins.a) + (
                " (range)" if o == op.RANGE else "")
        if o == op.CLOSE:
            return f"close({prog.chan_names[ins.a]})"
        if o in (op.LOCK, op.UNLOCK):
            return f"{prog.mutex_names[ins.a]}.{'Lock' if o == op.LOCK else 'Unlock'}()"
        if o == op.WGADD:
            wg = prog.wg_names[ins.a]
            return f"{wg}.Done()" if ins.b == -1 else f"{wg}.Add({ins.b})"
        if o == op.WGWAIT:
            return f"{prog.wg_names[ins.a]}.Wait()"
        raise AssertionError(f"no label for {ins}")


def _pop_runnext(w: World, p: int) -> int:
    g = w.ps[p][P_RUNNEXT]
    w.set_p(p, runnext=NO)
    return g


def _pop_ring(w: World, p: int) -> int:
    ring = w.ps[p][P_RING]
    w.set_p(p, ring=ring[1:])
    return ring[0]


def _steal_from(w: World, cfg: MachineConfig, p: int, q: int) -> int:
    """runqsteal: half the victim's ring (rounded up) from its head, the last one to run and
    the rest into the thief's ring; with an empty ring, the victim's runnext."""
    ring = w.ps[q][P_RING]
    if not ring:
        g = w.ps[q][P_RUNNEXT]
        w.set_p(q, runnext=NO)
        return g
    n = 1 if cfg.steal == "one" else len(ring) - len(ring) // 2
    stolen = ring[:n]
    w.set_p(q, ring=ring[n:])
    w.set_p(p, ring=(*w.ps[p][P_RING], *stolen[:-1]))
    return stolen[-1]

