"""Safety properties as assertions, checked in every state the model reaches.

Each property's `bad` predicate of props/library.py (or a user invariant over the
observables of props/observables.py) becomes a Promela expression over the state, stored in
a hidden variable `bad_NAME` and asserted at the end of every step and of the set-up, so pan
names a violated property as `assertion violated !(bad_NAME)`. `no_deadlock` is no
assertion: it is pan's own invalid-end-state check (see `process`). Liveness properties and
properties of cycles (`no_scheduler_livelock`) have no counterpart here: pan would need
never claims, acceptance cycles and fairness, which this export leaves out.
"""

from __future__ import annotations

from collections.abc import Callable

from gocheck.errors import GocheckError
from gocheck.lang import ast
from gocheck.model.machine import Machine
from gocheck.props.formula import observable_reference
from gocheck.props.library import LIBRARY
from gocheck.report.promela.process import all_of, any_of
from gocheck.report.promela.sizes import Sizes

ASSERTION_PREFIX = "bad_"


def _fork_join(sizes: Sizes, _m: Machine) -> str:
    return f"(ended && {any_of([f'g_status[{g}] != DEAD' for g in range(1, sizes.max_g)])})"


def _strict_work_conserving(sizes: Sizes, _m: Machine) -> str:
    return all_of([any_of([f"p_status[{p}] == P_IDLE" for p in range(sizes.procs)]),
                 any_of([f"g_status[{g}] == RUNNABLE" for g in range(sizes.max_g)])])


def _syscall_handoff(sizes: Sizes, m: Machine) -> str:
    """Exclusive P ownership; a running M holds its running P; no local work on an idle P,
    nor on a syscall P after a `block` entry or once sysmon could have retaken it."""
    threads, procs = range(sizes.threads), range(sizes.procs)
    shared = [f"(m_p[{i}] != NO && m_p[{i}] == m_p[{j}])" for i in threads for j in threads
              if i < j]
    unheld = [f"(m_state[{i}] == M_RUNNING && (m_p[{i}] == NO || "
              f"p_status[m_p[{i}]] != P_RUNNING || p_m[m_p[{i}]] != {i}))" for i in threads]
    block = "c_b[GIX(m_g[p_m[{p}]])]" if m.cfg.handoff else "0"
    held_back = [
        f"(LOCAL_WORK({p}) && (p_status[{p}] == P_IDLE || (p_status[{p}] == P_SYSCALL && "
        f"p_m[{p}] != NO && ({block.format(p=p)} || c_a[GIX(m_g[p_m[{p}]])] - "
        f"g_left[m_g[p_m[{p}]]] > SYSMON_DELAY))))" for p in procs]
    return any_of(shared + unheld + held_back)


_LIBRARY: dict[str, Callable[[Sizes, Machine], str]] = {
    "fork_join": _fork_join,
    "no_fatal": lambda _s, _m: "(fatal != 0)",
    "strict_work_conserving": _strict_work_conserving,
    "syscall_handoff": _syscall_handoff,
    "spinning_p_empty": lambda s, _m: any_of([
        f"(p_m[{p}] != NO && m_spin[p_m[{p}]] && LOCAL_WORK({p}))" for p in range(s.procs)]),
    "idle_p_empty": lambda s, _m: any_of([
        f"(p_status[{p}] == P_IDLE && LOCAL_WORK({p}))" for p in range(s.procs)]),
}


def _library(name: str, sizes: Sizes, m: Machine) -> str:
    if name not in _LIBRARY:
        raise GocheckError(f"property {name} has no Promela form in this export yet")
    return _LIBRARY[name](sizes, m)


def _observable(name: str, arg: object, sizes: Sizes, m: Machine) -> str:
    gs, ps, ms = range(sizes.max_g), range(sizes.procs), range(sizes.threads)
    count_p = {"procs_idle": "P_IDLE", "procs_running": "P_RUNNING",
               "procs_syscall": "P_SYSCALL"}
    count_g = {"runnable": "RUNNABLE", "running": "RUNNING", "waiting": "WAITING",
               "in_syscall": "SYSCALL"}
    if name in count_p:
        return "(" + " + ".join(f"(p_status[{p}] == {count_p[name]})" for p in ps) + ")"
    if name in count_g:
        return "(" + " + ".join(f"(g_status[{g}] == {count_g[name]})" for g in gs) + ")"
    simple = {"spinning": "NSPIN", "needspinning": "needspin", "main_done": "ended",
              "globalq": "gq_len",
              "threads": "(" + " + ".join(f"(m_state[{i}] != M_UNBORN)" for i in ms) + ")"}
    if name in simple:
        return simple[name]
    if name == "runq":
        return f"p_ringlen[{arg}]"
    if name == "runnext":
        return f"(p_runnext[{arg}] != NO)"
    if name == "spinning_p":
        return f"(p_m[{arg}] != NO && m_spin[p_m[{arg}]])"
    if name == "done":
        f = m.prog.function_id(str(arg))
        return all_of([f"(g_func[{g}] != {f} || g_status[{g}] == DEAD)" for g in gs])
    raise GocheckError(f"observable {name} has no Promela form")


def expression(expr: ast.Expr, sizes: Sizes, m: Machine) -> str:
    """An invariant's expression in Promela (C's operators agree with formula.py's)."""
    ref = observable_reference(expr)
    if ref is not None:
        return _observable(*ref, sizes, m)
    match expr:
        case ast.IntLit(value=v):
            return f"({v})"
        case ast.Unary(op=o, operand=a):
            return f"({o}{expression(a, sizes, m)})"
        case ast.Binary(op=o, left=a, right=b):
            return f"({expression(a, sizes, m)} {o} {expression(b, sizes, m)})"
    raise GocheckError("not an observable or operator of the invariant language")


def assertions(names: list[str], invariants: dict[str, ast.Invariant], sizes: Sizes,
               m: Machine) -> list[str]:
    """`check_properties`: each property's bad bit, then its assertion."""
    bads = [(n, f"!{expression(invariants[n].expr, sizes, m)}" if n in invariants
             else _library(n, sizes, m)) for n in names]
    lines = ["/* ---- safety properties: bad_NAME is 1 in a state that violates NAME ---- */"]
    if bads:
        lines.append("hidden byte " + ", ".join(ASSERTION_PREFIX + n for n, _ in bads) + ";")
    lines.append("inline check_properties() {")
    for n, bad in bads:
        lines.append(f"    {ASSERTION_PREFIX}{n} = {bad};")
        lines.append(f"    assert(!{ASSERTION_PREFIX}{n});")
    lines += ["    skip", "}"]
    return lines


def exported(names: list[str]) -> list[str]:
    """The properties among `names` this export checks (safety ones); it leaves out the
    others: liveness properties and properties of the graph's cycles."""
    return [n for n in names if n not in LIBRARY or LIBRARY[n].kind == "safety"]
