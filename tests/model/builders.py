"""Readable builders for the model's unit tests.

- Specs as AST, without the parser: `machine({"main": [go("child"), work(1)], "child":
  [spin(1)]}, chans={"ch": 0}, procs=1)` compiles the spec onto a machine whose keys are
  language.md's defaults except those given.
- Views of a state tuple with named fields: `View(state).p[0].runnext`.
- Hand-made states: `state(machine, gs=[...], ps=[...], ms=[...], ...)` with `G`, `P` and
  `M` tuples built from named fields; anything not given is as in a quiet machine. A `P`'s
  schedule counter defaults to 1, so that search does not start with the 1-in-global_check
  look at the global queue unless a test asks for it (tick=0).
- Drivers: `step(machine, state, "M0", "go child")` takes the one successor of actor M0
  whose action starts with the given text (and fails if there is not exactly one);
  `moves(machine, state)` lists "actor: action" of every successor.
"""

from __future__ import annotations

from collections import deque
from typing import NamedTuple

from gocheck.lang import ast
from gocheck.model.config import MachineConfig
from gocheck.model.goroutine import new_g
from gocheck.model.machine import Machine
from gocheck.model.program import compile_program
from gocheck.model.state import (
    M_PARKED,
    M_RUNNING,
    M_UNBORN,
    NO,
    P_IDLE,
    P_RUNNING,
    RUNNABLE,
    S_CHANS,
    S_ENDED,
    S_FATAL,
    S_GLOBALQ,
    S_GS,
    S_MIDLE,
    S_MS,
    S_MUTEXES,
    S_NEEDSPIN,
    S_PIDLE,
    S_PS,
    S_WGS,
)

# language.md's defaults (threads: procs + 2)
DEFAULTS: dict[str, object] = {
    "procs": 2, "runq": 4, "runnext": True, "steal": "half", "preemption": "async",
    "timeslice": 2, "sysmon": True, "sysmon_delay": 1, "handoff": True, "wakep": True,
    "global_check": 61,
}


def config(**changes: object) -> MachineConfig:
    values = {**DEFAULTS, **changes}
    values.setdefault("threads", int(values["procs"]) + 2)  # type: ignore[call-overload]
    return MachineConfig(**values)  # type: ignore[arg-type]


# --- statements ---------------------------------------------------------------------------

def work(n: int) -> ast.Work:
    return ast.Work(n)


def spin(n: int) -> ast.Spin:
    return ast.Spin(n)


def syscall(n: int, block: bool = False) -> ast.Syscall:
    return ast.Syscall(n, block)


def netread() -> ast.NetRead:
    return ast.NetRead()


def sleep(n: int = 1) -> ast.Sleep:
    return ast.Sleep(n)


def go(func: str) -> ast.Go:
    return ast.Go(func=func)


def go_func(*body: ast.Stmt) -> ast.Go:
    return ast.Go(body=ast.Block(body))


def send(ch: str) -> ast.Send:
    return ast.Send(ch, "1")


def recv(ch: str) -> ast.Recv:
    return ast.Recv(ch)


def close(ch: str) -> ast.Close:
    return ast.Close(ch)


def lock(mu: str) -> ast.Lock:
    return ast.Lock(mu)


def unlock(mu: str) -> ast.Unlock:
    return ast.Unlock(mu)


def add(wg: str, delta: int) -> ast.WgAdd:
    return ast.WgAdd(wg, delta)


def done(wg: str) -> ast.WgDone:
    return ast.WgDone(wg)


def wait(wg: str) -> ast.WgWait:
    return ast.WgWait(wg)


def gosched() -> ast.Gosched:
    return ast.Gosched()


def call(func: str) -> ast.Call:
    return ast.Call(func)


def ret() -> ast.Return:
    return ast.Return()


def loop(n: int, *body: ast.Stmt) -> ast.ForCount:
    return ast.ForCount(n, ast.Block(body))


def forever(*body: ast.Stmt) -> ast.ForEver:
    return ast.ForEver(ast.Block(body))


def range_chan(ch: str, *body: ast.Stmt) -> ast.ForRangeChan:
    return ast.ForRangeChan(ch, ast.Block(body))


def select(*cases: ast.SelectCase) -> ast.Select:
    return ast.Select(cases)


def case_send(ch: str, *body: ast.Stmt) -> ast.SelectCase:
    return ast.SelectCase("send", ch, "1", ast.Block(body))


def case_recv(ch: str, *body: ast.Stmt) -> ast.SelectCase:
    return ast.SelectCase("recv", ch, None, ast.Block(body))


def default(*body: ast.Stmt) -> ast.SelectCase:
    return ast.SelectCase("default", None, None, ast.Block(body))


# --- specs and machines ---------------------------------------------------------------------

def spec(funcs: dict[str, list[ast.Stmt]], *, chans: dict[str, int] | None = None,
         mutexes: tuple[str, ...] = (), wgs: tuple[str, ...] = ()) -> ast.Spec:
    decls: list[ast.TopLevel] = [ast.VarDecl(n, "chan", c) for n, c in (chans or {}).items()]
    decls += [ast.VarDecl(n, "mutex") for n in mutexes]
    decls += [ast.VarDecl(n, "waitgroup") for n in wgs]
    decls += [ast.FuncDecl(n, ast.Block(tuple(body))) for n, body in funcs.items()]
    return ast.Spec(tuple(decls))


def machine(funcs: dict[str, list[ast.Stmt]], *, chans: dict[str, int] | None = None,
            mutexes: tuple[str, ...] = (), wgs: tuple[str, ...] = (),
            **cfg: object) -> Machine:
    """The spec's program on a machine with language.md's defaults except `cfg`."""
    s = spec(funcs, chans=chans, mutexes=mutexes, wgs=wgs)
    return Machine(compile_program(s), config(**cfg))


# --- views -------------------------------------------------------------------------------

class GV(NamedTuple):
    func: int
    status: int
    pc: int
    left: int
    preempt: int
    counters: tuple


class PV(NamedTuple):
    status: int
    m: int
    ring: tuple
    runnext: int
    tick: int
    slice: int


class MV(NamedTuple):
    state: int
    p: int
    g: int
    spinning: bool


class View:
    """A state tuple with named fields."""

    def __init__(self, s: tuple):
        self.g = [GV(*G) for G in s[S_GS]]
        self.p = [PV(*P) for P in s[S_PS]]
        self.m = [MV(*M) for M in s[S_MS]]
        self.globalq = s[S_GLOBALQ]
        self.pidle = s[S_PIDLE]
        self.midle = s[S_MIDLE]
        self.needspin = s[S_NEEDSPIN]
        self.chans = s[S_CHANS]
        self.mutexes = s[S_MUTEXES]
        self.wgs = s[S_WGS]
        self.ended = s[S_ENDED]
        self.fatal = s[S_FATAL]

    @property
    def spinning(self) -> list[int]:
        """Ids of the spinning Ms."""
        return [i for i, M in enumerate(self.m) if M.spinning]


# --- hand-made states ------------------------------------------------------------------------

def G(func: int = 0, status: int = RUNNABLE, pc: int = 0, left: int = 0, preempt: int = 0,
      counters: tuple = ()) -> tuple:
    return (func, status, pc, left, preempt, counters)


def P(status: int = P_IDLE, m: int = NO, ring: tuple = (), runnext: int = NO, tick: int = 1,
      slice: int = 0) -> tuple:
    return (status, m, tuple(ring), runnext, tick, slice)


def M(state: int = M_UNBORN, p: int = NO, g: int = NO, spinning: bool = False) -> tuple:
    return (state, p, g, spinning)


def fresh(machine: Machine, func: str) -> tuple:
    """A runnable G of `func` at its first action."""
    return new_g(machine.prog, machine.prog.function_id(func), RUNNABLE)


def state(machine: Machine, *, gs: list[tuple], ps: list[tuple] | None = None,
          ms: list[tuple] | None = None, globalq: tuple = (), pidle: tuple | None = None,
          midle: tuple | None = None, needspin: int = 0, chans: list[tuple] | None = None,
          mutexes: list[tuple] | None = None, wgs: list[tuple] | None = None,
          ended: int = 0, fatal: int = 0) -> tuple:
    """A state of `machine` from its parts. Defaults: every P idle, every M unborn, the idle
    list holding the idle Ps (highest id at the bottom), the parked-M list the parked Ms,
    channels, mutexes and WaitGroups untouched."""
    cfg, prog = machine.cfg, machine.prog
    ps = list(ps) if ps is not None else [P()] * cfg.procs
    ps += [P()] * (cfg.procs - len(ps))
    ms = list(ms) if ms is not None else []
    ms += [M()] * (cfg.threads - len(ms))
    if pidle is None:
        pidle = tuple(i for i in range(cfg.procs - 1, -1, -1) if ps[i][0] == P_IDLE)
    if midle is None:
        midle = tuple(i for i, m in enumerate(ms) if m[0] == M_PARKED)
    return (
        tuple(gs), tuple(ps), tuple(ms), tuple(globalq), tuple(pidle), tuple(midle),
        needspin,
        tuple(chans) if chans is not None else tuple((0, 0, (), ()) for _ in prog.chan_caps),
        tuple(mutexes) if mutexes is not None else tuple((0, ()) for _ in prog.mutex_names),
        tuple(wgs) if wgs is not None else tuple((0, ()) for _ in prog.wg_names),
        ended, fatal,
    )


def running(g: int, p: int) -> tuple:
    """An M running G g on P p (pair with `P(P_RUNNING, m=...)`)."""
    return M(M_RUNNING, p, g)


def held(m: int, **kw: object) -> tuple:
    """A P held by M m."""
    return P(P_RUNNING, m, **kw)  # type: ignore[arg-type]


# --- drivers -------------------------------------------------------------------------------

def moves(machine: Machine, s: tuple) -> list[str]:
    return [f"{st.actor}: {st.action}" for st, _ in machine.successors(s)]


def step(machine: Machine, s: tuple, actor: str, action: str = "") -> tuple:
    """The state after the one step of `actor` whose action starts with `action`."""
    found = [n for st, n in machine.successors(s)
             if st.actor == actor and st.action.startswith(action)]
    assert len(found) == 1, f"{actor}: {action!r} among {moves(machine, s)}"
    return found[0]


def run(machine: Machine, s: tuple, *picks: tuple[str, str] | str) -> tuple:
    """Take several steps; a pick is an actor or (actor, action prefix)."""
    for pick in picks:
        actor, action = (pick, "") if isinstance(pick, str) else pick
        s = step(machine, s, actor, action)
    return s


def reachable(machine: Machine, start: tuple | None = None) -> set[tuple]:
    """Every state reachable from `start` (default: the initial state), breadth-first."""
    init = machine.initial_state() if start is None else start
    seen = {init}
    queue = deque([init])
    while queue:
        for _step, n in machine.successors(queue.popleft()):
            if n not in seen:
                seen.add(n)
                queue.append(n)
    return seen
