"""The actors as Promela processes, each a loop over guarded `d_step`s: Machine.successors.

A step of gocheck is one `d_step { GUARD -> effect; check_properties() }`: one transition of
SPIN with no state in between, so each model.md step stays atomic and SPIN stores the states
gocheck does. A `d_step` may block only at its first statement, so its guard is the step's
whole enabling condition: macros unrolled over the fixed Ms, Ps and G slots. The processes
and their options, in the order `successors` lists the steps:

  M (one per M, process id = M id)
          preemption | a G's step, one option per opcode the program uses | select case i |
          select fallback | search (take) | search (nothing found) | steal from P q |
          search (nothing to steal) | give up | stop after a recheck_first look | recheck |
          syscall tick or exit
  sysmon  per P: retake | preemption request
  netpoller, timers
          per G slot: ready the G
  program the set-up (M0 runs main on P0), then a stutter step once the program is over

The stutter keeps a finished or failed program from being an end state, so a state without
a step is exactly a deadlock, which pan reports as an invalid end state. Without
`no_deadlock` among the properties, every loop carries an end label instead.
"""

from __future__ import annotations

from gocheck.model import program as op
from gocheck.model.config import MachineConfig
from gocheck.report.promela.layout import OPCODE_NAMES
from gocheck.report.promela.sizes import Sizes


def any_of(terms: list[str]) -> str:
    """A Promela disjunction (false when empty)."""
    return "(" + " || ".join(terms) + ")" if terms else "0"


def all_of(terms: list[str]) -> str:
    """A Promela conjunction (true when empty)."""
    return "(" + " && ".join(terms) + ")" if terms else "1"


def macros(sizes: Sizes, cfg: MachineConfig) -> list[str]:
    """Derived quantities and enabling conditions, unrolled over the fixed sizes."""
    procs, threads = range(sizes.procs), range(sizes.threads)
    at_pp = {
        "async": "1",
        "off": "0",
        "cooperative": "(g_left[g] > 0 -> c_op[GIX(g)] == OP_WORK : "
                       "(g_left[g] == AT_CALL || c_safe[GIX(g)]))",
    }[cfg.preemption]
    requested = "0" if not cfg.sysmon or cfg.preemption == "off" else (
        "(p_status[p] == P_RUNNING && p_slice[p] >= TIMESLICE && "
        "m_state[p_m[p]] == M_RUNNING && !g_preempt[m_g[p_m[p]]])")
    retakable = "0" if not cfg.sysmon else (
        "(p_status[p] == P_SYSCALL && p_m[p] != NO && "
        "c_a[GIX(m_g[p_m[p]])] - g_left[m_g[p_m[p]]] >= SYSMON_DELAY && "
        "(HAS_WORK(p) || (pidle_len == 0 && NSPIN == 0)) && "
        "!(HANDOFF_NEEDS_M(p) && midle_len == 0 && !SOME_UNBORN))")
    victim = "0" if cfg.steal == "off" else (
        "((q) != m_p[m] && p_status[q] != P_IDLE && LOCAL_WORK(q))")
    global_first = ("(p_tick[p] % " f"{cfg.global_check} == 0 && gq_len > 0)"
                    if cfg.global_check else "0")
    defs = [
        ("GIX(g)", "(fbase[g_func[g]] + g_pc[g])"),
        ("NSPIN", "(" + " + ".join(f"m_spin[{m}]" for m in threads) + ")"),
        ("SOME_UNBORN", any_of([f"m_state[{m}] == M_UNBORN" for m in threads])),
        ("LOCAL_WORK(p)", "(p_ringlen[p] > 0 || p_runnext[p] != NO)"),
        ("HAS_WORK(p)", "(p_ringlen[p] > 0 || (RUNQ_EMPTY_WITH_RUNNEXT && p_runnext[p] != NO))"),
        ("ANY_WORK", any_of(["gq_len > 0"] + [f"(p_status[{p}] != P_IDLE && HAS_WORK({p}))"
                                            for p in procs])),
        ("HANDOFF_NEEDS_M(p)", "(HAS_WORK(p) || gq_len > 0 || (NSPIN == 0 && pidle_len == 0))"),
        ("HANDOFF_POSSIBLE(p)", "(!HANDOFF_NEEDS_M(p) || midle_len > 0 || SOME_UNBORN)"),
        ("GLOBAL_FIRST(p)", global_first),
        ("AT_PP(g)", at_pp),
        ("REQUESTED(p)", requested),
        ("RETAKABLE(p)", retakable),
        ("SEND_READY(c)", "(ch_closed[c] || ch_rlen[c] > 0 || ch_count[c] < chan_cap[c])"),
        ("RECV_READY(c)", "(ch_count[c] > 0 || ch_slen[c] > 0 || ch_closed[c])"),
        ("CASE_READY(k)", "(k_send[k] -> SEND_READY(k_chan[k]) : RECV_READY(k_chan[k]))"),
        ("ARM_READY(g, i)", "((i) < c_c[GIX(g)] && CASE_READY(c_a[GIX(g)] + (i)))"),
        ("NONE_READY(g)", "!" + any_of([f"ARM_READY(g, {i})" for i in range(sizes.cases)])),
        ("LIVE", "(!ended && !fatal)"),
        ("RUNS(m)", "(LIVE && m_state[m] == M_RUNNING && !REQUESTED(m_p[m]))"),
        ("DUE(m)", "(g_preempt[m_g[m]] && AT_PP(m_g[m]))"),
        ("RUNS_OP(m, o)", "(RUNS(m) && !DUE(m) && c_op[GIX(m_g[m])] == o)"),
        ("SEARCHES(m)", "(LIVE && m_state[m] == M_SEARCH)"),
        ("NO_WORK(m)", "(SEARCHES(m) && !LOCAL_WORK(m_p[m]) && gq_len == 0)"),
        ("MAY_SPIN(m)", "(m_spin[m] || 2 * NSPIN < PROCS - pidle_len)"),
        ("VICTIM(m, q)", victim),
        ("ANY_VICTIM(m)", any_of([f"VICTIM(m, {q})" for q in procs])),
        ("TICKS(m)", "(LIVE && m_state[m] == M_SYSCALL && (g_left[m_g[m]] == 0 || "
                     "m_p[m] == NO || !RETAKABLE(m_p[m])))"),
        ("PARKED_ON(g, o)", "(LIVE && g_status[g] == WAITING && c_op[GIX(g)] == o)"),
    ]
    return ["/* ---- derived quantities and guards, unrolled ---- */",
            *(f"#define {name:<20} {body}" for name, body in defs)]


# The step of a G at each action opcode (SELECT has one per case, and a fallback).
_G_STEPS = {
    op.WORK: "tick_step()", op.SPIN: "tick_step()", op.SYSCALL: "syscall_step()",
    op.NETREAD: "finish_or_park(NO_PC)", op.SLEEP: "finish_or_park(NO_PC)",
    op.GO: "go_step()", op.SEND: "send_step()", op.RECV: "recv_step()",
    op.RANGE: "range_step()", op.CLOSE: "close_step()", op.LOCK: "lock_step()",
    op.UNLOCK: "unlock_step()", op.WGADD: "wgadd_step()", op.WGWAIT: "wgwait_step()",
    op.GOSCHED: "gosched_step()",
}


def _m_options(sizes: Sizes, opcodes: set[int]) -> list[tuple[str, str]]:
    """The options of M `_pid`; a G's step gets one per opcode the program uses."""
    m = "_pid"
    g_steps = [(f"RUNS_OP({m}, OP_{OPCODE_NAMES[o]})", f"g_step({m}); {_G_STEPS[o]}")
               for o in sorted(opcodes) if o in _G_STEPS]
    if op.SELECT in opcodes:
        g_steps += [(f"RUNS_OP({m}, OP_SELECT) && ARM_READY(m_g[{m}], {i})",
                     f"g_step({m}); select_case_step({i})") for i in range(sizes.cases)]
        g_steps.append((f"RUNS_OP({m}, OP_SELECT) && NONE_READY(m_g[{m}])",
                        f"g_step({m}); select_fallback_step()"))
    return [
        (f"RUNS({m}) && DUE({m})", f"m_preempt({m})"),
        *g_steps,
        (f"SEARCHES({m}) && (LOCAL_WORK(m_p[{m}]) || gq_len > 0)", f"m_search_take({m})"),
        (f"NO_WORK({m}) && !MAY_SPIN({m})", f"m_state[{m}] = M_GIVEUP"),
        *((f"NO_WORK({m}) && MAY_SPIN({m}) && VICTIM({m}, {q})", f"m_steal({m}, {q})")
          for q in range(sizes.procs)),
        (f"NO_WORK({m}) && MAY_SPIN({m}) && !ANY_VICTIM({m})", f"m_search_fail({m})"),
        (f"LIVE && m_state[{m}] == M_GIVEUP", f"m_give_up({m})"),
        (f"LIVE && m_state[{m}] == M_RECHECK && m_p[{m}] != NO", f"m_stop_after_recheck({m})"),
        (f"LIVE && (m_state[{m}] == M_RECHECK && m_p[{m}] == NO || "
         f"m_state[{m}] == M_RECHECK_IDLE)", f"m_recheck({m})"),
        (f"TICKS({m})", f"m_syscall({m})"),
    ]


def _process(head: str, label: str, options: list[tuple[str, str]]) -> list[str]:
    return [
        f"{head} {{",
        f"{label}:",
        "    do",
        *(f"    :: d_step {{ {guard} -> {effect}; check_properties() }}"
          for guard, effect in options),
        "    od",
        "}",
    ]


def processes(sizes: Sizes, cfg: MachineConfig, opcodes: set[int], deadlock: bool) -> list[str]:
    """One process per actor that can move; the Ms first, so that M m is process m."""
    label = "steps" if deadlock else "end_steps"  # without no_deadlock, rest anywhere
    lines = ["/* ---- the actors ---- */",
             *_process("active [THREADS] proctype M()  /* M _pid */", label,
                       _m_options(sizes, opcodes))]
    if cfg.sysmon:
        lines += _process("active proctype sysmon()", label, [
            option for p in range(sizes.procs) for option in (
                (f"LIVE && RETAKABLE({p})", f"sysmon_retake({p})"),
                (f"LIVE && REQUESTED({p})", f"sysmon_preempt({p})"))])
    for actor, parked in (("netpoller", "NETREAD"), ("timers", "SLEEP")):
        if getattr(op, parked) in opcodes:
            lines += _process(f"active proctype {actor}()", label, [
                (f"PARKED_ON({g}, OP_{parked})", f"inject({g})") for g in range(sizes.max_g)])
    lines += [
        "/* The program's start (M0 on P0 runs main) and end: once it is over it stutters,",
        "   so that it is no end state; a state without a step is then a deadlock. */",
        "active proctype program() {",
        f"{label}:",
        "    do",
        "    :: d_step { ng == 0 -> load_program(); initial_state(); check_properties() }",
        "    :: !LIVE",
        "    od",
        "}",
    ]
    return lines
