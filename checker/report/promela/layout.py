"""The constants and the state of the Promela model: model/state.py as global variables.

Every field of the state tuple is one global (arrays for the per-G, per-P, per-M and
per-object fields, an array and a length for each queue), with the same numeric codes as
model/state.py. The encoding is canonical, as the tuple is: an unused queue slot is 0, an
unused goroutine slot reads as a dead G of function 0 and `ng` says how many are in use, so
two states of gocheck are equal exactly when their Promela encodings are.
"""

from __future__ import annotations

from dataclasses import MISSING, fields

from gocheck.errors import GocheckError
from gocheck.model import program as op
from gocheck.model import state as st
from gocheck.model.config import MachineConfig
from gocheck.model.sync import CLOSED, CONTINUE, FATAL, PARK, WG_LIMIT, YIELD
from gocheck.report.promela.sizes import NO, Sizes

OPCODES = ("WORK", "SPIN", "SYSCALL", "NETREAD", "SLEEP", "GO", "SEND", "RECV", "RANGE",
            "CLOSE", "LOCK", "UNLOCK", "WGADD", "WGWAIT", "GOSCHED", "SELECT", "JUMP",
            "LOOP_TEST", "LOOP_NEXT", "END", "CALL")
OPCODE_NAMES = {getattr(op, name): name for name in OPCODES}
_FATALS = ("SEND_CLOSED", "CLOSE_CLOSED", "CLOSE_SENDERS", "UNLOCK", "NEGATIVE_WG")


# The machine keys these rules model; any other key must keep its default (it is a switch
# added to gocheck after this export).
MODELLED_KEYS = frozenset({
    "procs", "threads", "runq", "runnext", "steal", "preemption", "timeslice", "sysmon",
    "sysmon_delay", "handoff", "wakep", "global_check", "recheck", "recheck_order",
    "runq_empty", "runnext_without_sysmon", "gosched_wakep"})


class NotModelled(GocheckError):
    """The spec's machine uses a rule the Promela export does not model yet."""


def check_modelled(cfg: MachineConfig) -> None:
    """NotModelled unless every key outside MODELLED_KEYS has its default value."""
    for f in fields(cfg):
        value = getattr(cfg, f.name)
        if f.name not in MODELLED_KEYS and (f.default is MISSING or value != f.default):
            raise NotModelled(f"the Promela export does not model `{f.name} = {value}` yet")


def _define(name: str, value: object) -> str:
    return f"#define {name:<20} {value}"


def constants(sizes: Sizes, cfg: MachineConfig) -> list[str]:
    """Sizes, the numeric codes of model/state.py and program.py, the machine's keys."""
    lines = ["/* ---- sizes ---- */"]
    lines += [_define(k, v) for k, v in (
        ("PROCS", sizes.procs), ("THREADS", sizes.threads), ("RUNQ", sizes.runq),
        ("MAXG", sizes.max_g), ("LOOPS", sizes.loops), ("NCHAN", sizes.chans),
        ("NMUTEX", sizes.mutexes), ("NWG", sizes.wgs), ("QCAP", sizes.qcap),
        ("NCODE", sizes.code), ("NCASE", sizes.case_rows))]
    lines.append("/* ---- codes (model/state.py, model/program.py, model/sync.py) ---- */")
    lines += [_define(k, v) for k, v in (
        ("NO", NO), ("NO_PC", -1000), ("AT_CALL", st.AT_CALL), ("WG_LIMIT", WG_LIMIT),
        ("RUNNABLE", st.RUNNABLE), ("RUNNING", st.RUNNING), ("WAITING", st.WAITING),
        ("SYSCALL", st.SYSCALL), ("DEAD", st.DEAD),
        ("P_IDLE", st.P_IDLE), ("P_RUNNING", st.P_RUNNING), ("P_SYSCALL", st.P_SYSCALL),
        ("M_UNBORN", st.M_UNBORN), ("M_PARKED", st.M_PARKED), ("M_RUNNING", st.M_RUNNING),
        ("M_SEARCH", st.M_SEARCH), ("M_GIVEUP", st.M_GIVEUP), ("M_RECHECK", st.M_RECHECK),
        ("M_SYSCALL", st.M_SYSCALL), ("M_RECHECK_IDLE", st.M_RECHECK_IDLE),
        ("R_CONTINUE", CONTINUE), ("R_PARK", PARK), ("R_FATAL", FATAL), ("R_CLOSED", CLOSED),
        ("R_YIELD", YIELD))]
    lines += [_define(f"OP_{name}", getattr(op, name)) for name in OPCODES]
    lines += [_define(f"FATAL_{name}", getattr(st, f"FATAL_{name}")) for name in _FATALS]
    lines.append("/* ---- the machine block ---- */")
    lines += [_define(k, v) for k, v in (
        ("RUNNEXT_ON", int(cfg.runnext)), ("STEAL_ONE", int(cfg.steal == "one")),
        ("WAKEP_ON", int(cfg.wakep)), ("HANDOFF_ON", int(cfg.handoff)),
        ("SYSMON_ON", int(cfg.sysmon)), ("SYSMON_DELAY", cfg.sysmon_delay),
        ("TIMESLICE", cfg.timeslice),
        ("RECHECK_NEEDSPINNING", 0), ("RECHECK_ALL", 2),
        ("RECHECK_MODE", ("needspinning", "spinning", "all").index(cfg.recheck)),
        ("RECHECK_FIRST", int(cfg.recheck_order == "recheck_first")),
        ("RUNQ_EMPTY_WITH_RUNNEXT", int(cfg.runq_empty == "with_runnext")),
        ("RUNNEXT_WITHOUT_SYSMON", int(cfg.runnext_without_sysmon)),
        ("GOSCHED_WAKEP", int(cfg.gosched_wakep)))]
    lines.append(_define("NEXT_TICK(t)", f"(((t) + 1) % {cfg.global_check})"
                         if cfg.global_check else "0"))
    lines.append(_define("WAITER(g, cs)", "((g) * 256 + (cs) + 1)"))
    return lines


def state(sizes: Sizes) -> list[str]:
    """The state vector: one global per field of the state tuple."""
    return [
        "/* ---- the state (model/state.py) ---- */",
        "byte ng;  /* goroutines spawned so far: len(gs); 0 only before the set-up */",
        "byte g_func[MAXG];",
        "byte g_status[MAXG] = DEAD;  /* an unused slot reads as a dead G of function 0 */",
        f"{sizes.pc_type} g_pc[MAXG];",
        f"{sizes.ticks_type} g_left[MAXG];",
        "bit g_preempt[MAXG];",
        f"{sizes.counter_type} g_ctr[MAXG * LOOPS];",
        "byte p_status[PROCS];",
        "byte p_m[PROCS] = NO;",
        "byte p_ring[PROCS * RUNQ];",
        "byte p_ringlen[PROCS];",
        "byte p_runnext[PROCS] = NO;",
        f"{sizes.tick_type} p_tick[PROCS];",
        f"{sizes.tick_type} p_slice[PROCS];",
        "byte m_state[THREADS];",
        "byte m_p[THREADS] = NO;",
        "byte m_g[THREADS] = NO;",
        "bit m_spin[THREADS];",
        "byte gq[MAXG];",
        "byte gq_len;",
        "byte pidle[PROCS];",
        "byte pidle_len;",
        "byte midle[THREADS];",
        "byte midle_len;",
        "bit needspin;",
        f"{sizes.count_type} ch_count[NCHAN];",
        "bit ch_closed[NCHAN];",
        f"{sizes.waiter_type} ch_sendq[NCHAN * QCAP];",
        "byte ch_slen[NCHAN];",
        f"{sizes.waiter_type} ch_recvq[NCHAN * QCAP];",
        "byte ch_rlen[NCHAN];",
        "bit mu_held[NMUTEX];",
        "byte mu_wait[NMUTEX * MAXG];",
        "byte mu_len[NMUTEX];",
        "int wg_count[NWG];",
        "byte wg_wait[NWG * MAXG];",
        "byte wg_len[NWG];",
        "bit ended;",
        "byte fatal;",
    ]


def initial_state(cfg: MachineConfig, main: int) -> list[str]:
    """Machine.initial_state beyond the declarations' defaults: M0 runs main on P0; the
    other Ps are idle, P1 on top."""
    pidle = [f"pidle[{i}] = {p};" for i, p in enumerate(range(cfg.procs - 1, 0, -1))]
    return [
        "inline initial_state() {",
        "    ng = 1;",
        f"    new_g(0, {main}, RUNNING);",
        "    ended = (g_status[0] == DEAD);",
        "    p_status[0] = P_RUNNING; p_m[0] = 0;",
        "    m_state[0] = M_RUNNING; m_p[0] = 0; m_g[0] = 0;",
        *(f"    {line}" for line in pidle),
        f"    pidle_len = {cfg.procs - 1}",
        "}",
    ]
