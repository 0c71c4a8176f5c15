"""Go's per-resource state machines for traces (the rules of `internal/trace/order.go`).

Each goroutine and P has a status and a sequence number per generation; each thread (M)
holds at most one P and one goroutine. An event either advances (its preconditions hold:
the state changes and canonical events are queued), must wait (returns False: it is not
its turn yet, e.g. a GoStart whose goroutine's previous sequence number was not replayed),
or breaks a rule (raises `Broken`). Waiting is how the cross-thread order is recovered:
the frontier driver (`replay.py`) tries the threads in timestamp order until one advances,
and "no thread can advance" is itself an inconsistency. The strict driver for totally
ordered streams (JSONL) treats waiting as an error at once.

Rule ids (the `rule` of an inconsistency) are stable; the messages keep Go's wording where
Go's test cases match it ("expected a proc but didn't have one").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from gocheck.traces import spec as S
from gocheck.traces.errors import Broken
from gocheck.traces.event import GOROUTINE, NO_ARGS, PROC, Event

GO_API = {S.G_RUNNABLE: "Runnable", S.G_RUNNING: "Running", S.G_SYSCALL: "Syscall",
          S.G_WAITING: "Waiting"}
P_API = {S.P_RUNNING: "Running", S.P_IDLE: "Idle", S.P_SYSCALL: "Running",
         S.P_SYSCALL_ABANDONED: "Idle"}

MUST_NOT, MAY, MUST = 0, 1, 2


class GState:
    """A goroutine: wire status, sequence number (gen, seq), open ranges and user regions."""

    __slots__ = ("gen", "id", "ranges", "regions", "seq", "status")

    def __init__(self, gid: int, status: int, gen: int):
        self.id, self.status, self.gen, self.seq = gid, status, gen, 0
        self.ranges: list[tuple[int, object]] = []
        self.regions: list[tuple[int, str]] = []

    def describe(self) -> str:
        return f"{S.GSTATUS_NAMES.get(self.status, self.status)} seq={self.seq} (gen {self.gen})"


class PState:
    """A P: wire status (Running, Idle, Syscall, SyscallAbandoned), sequence number, ranges."""

    __slots__ = ("gen", "id", "ranges", "seq", "status")

    def __init__(self, pid: int, status: int, gen: int):
        self.id, self.status, self.gen, self.seq = pid, status, gen, 0
        self.ranges: list[tuple[int, object]] = []

    def describe(self) -> str:
        return f"{S.PSTATUS_NAMES.get(self.status, self.status)} seq={self.seq} (gen {self.gen})"


class MState:
    """A thread: the P and goroutine it holds (None: none)."""

    __slots__ = ("g", "id", "p")

    def __init__(self, mid: int | None, p: int | None = None, g: int | None = None):
        self.id, self.p, self.g = mid, p, g

    def describe(self) -> str:
        return f"holds P{_opt(self.p)}, runs G{_opt(self.g)}"


def _opt(x: int | None) -> str:
    return "-" if x is None else str(x)


def _succeeds(state: GState | PState, gen: int, seq: int | None) -> bool:
    """Is `seq` the next sequence number of `state` (a stream without numbers: always)?"""
    return seq is None or (state.gen == gen and state.seq + 1 == seq)


def _bump(state: GState | PState, gen: int, seq: int | None) -> None:
    state.seq = state.seq + 1 if seq is None else seq
    state.gen = gen


class Ordering:
    """The replay state; `advance(ev, m)` applies one raw event `[type, time, arg...]`.

    `queue` receives the canonical events produced (usually one per advance; a GoSwitch
    gives three). `strings(id)` and `stack(id)` resolve table references for the current
    generation; the JSONL driver replaces them with identity functions because its events
    already carry names.
    """

    def __init__(self) -> None:
        self.g: dict[int, GState] = {}
        self.p: dict[int, PState] = {}
        self.m: dict[int, MState] = {}
        self.tasks: dict[int, tuple[str, int | None]] = {}
        self.gc_seq = 0
        self.gc_state = "Undetermined"
        self.gen = 0
        self.initial_gen = 0
        self.queue: list[Event] = []
        self.count = 0
        self.string: Callable[[object], str] = str
        self.stack: Callable[[object], tuple[str, ...]] = lambda _sid: ()
        table: dict[int, Callable[[list, MState], bool]] = {
            9: self._annotation, 10: self._proc_start, 11: self._proc_stop,
            12: self._proc_steal, 13: self._proc_status, 14: self._go_create,
            15: self._go_create_syscall, 16: self._go_start, 17: self._go_stop_exec,
            18: self._go_destroy_syscall, 19: self._go_stop_exec, 20: self._go_stop_exec,
            21: self._go_unblock, 22: self._go_syscall_begin, 23: self._go_syscall_end,
            24: self._go_syscall_end_blocked, 25: self._go_status, 26: self._go_range_begin,
            27: self._go_range_end, 28: self._gc_active, 29: self._gc_begin, 30: self._gc_end,
            31: self._gc_sweep_active, 32: self._gc_sweep_begin, 33: self._gc_sweep_end,
            34: self._go_range_active, 35: self._go_range_begin, 36: self._go_range_end,
            37: self._heap_metric, 38: self._heap_metric, 39: self._annotation,
            40: self._user_task_begin, 41: self._user_task_end,
            42: self._user_region_begin, 43: self._user_region_end, 44: self._annotation,
            45: self._go_switch, 46: self._go_switch, 47: self._go_create,
            48: self._go_status,
            **{t: self._experimental for t in range(128, 137)},
        }
        self.handlers: list[Callable[[list, MState], bool] | None] = [
            table.get(t) for t in range(256)]

    # --- driving ---------------------------------------------------------------------

    def start_generation(self, gen: int) -> None:
        self.gen = gen
        if self.initial_gen == 0:
            self.initial_gen = gen

    def thread(self, m: int | None) -> MState:
        """The state of thread `m`, created empty when first seen (None: a throwaway)."""
        if m is None:
            return MState(None)
        ms = self.m.get(m)
        if ms is None:
            ms = self.m[m] = MState(m)
        return ms

    def advance(self, ev: list, m: int | None) -> bool:
        """Try to apply `ev`, emitted by thread `m` (None: no thread). False: must wait."""
        ms = self.thread(m)
        handler = self.handlers[ev[0]] if 0 <= ev[0] < 256 else None
        if handler is None:
            raise Broken("event-type", f"event type {ev[0]} ({_name(ev[0])}) cannot be"
                         " replayed: it does not belong in a thread's batch", time=ev[1])
        return handler(ev, ms)

    def emit(self, kind: str, time: int, ms: MState, resource: str | None = None,
             target: int | None = None, old: str | None = None, new: str | None = None,
             stack: tuple[str, ...] = (), args: Mapping[str, object] = NO_ARGS) -> None:
        self.queue.append(Event(self.count, time, kind, ms.id, ms.p, ms.g, resource, target,
                                old, new, stack, args))
        self.count += 1

    # --- reporting -------------------------------------------------------------------

    def states(self, ms: MState | None = None, g: int | None = None,
               p: int | None = None) -> dict[str, str]:
        """The states of the resources an error involves, for the report."""
        out: dict[str, str] = {}
        if ms is not None and ms.id is not None:
            out[f"M{ms.id}"] = ms.describe()
        for gid in (g, ms.g if ms else None):
            if gid is not None and f"G{gid}" not in out:
                gs = self.g.get(gid)
                out[f"G{gid}"] = gs.describe() if gs else "unknown (not created or destroyed)"
        for pid in (p, ms.p if ms else None):
            if pid is not None and f"P{pid}" not in out:
                ps = self.p.get(pid)
                out[f"P{pid}"] = ps.describe() if ps else "unknown"
        return out

    def fail(self, rule: str, message: str, ev: list, ms: MState | None = None,
             g: int | None = None, p: int | None = None) -> Broken:
        return Broken(rule, f"{_name(ev[0])}: {message}", time=ev[1],
                      states=self.states(ms, g, p))

    def _require(self, ev: list, ms: MState, m: int, p: int, g: int) -> None:
        """Go's validateCtx: the thread must (not) have a thread, P and goroutine."""
        if m == MUST and ms.id is None:
            raise self.fail("thread-required", "expected a thread but didn't have one", ev, ms)
        if p == MUST and ms.p is None:
            raise self.fail("proc-required", "expected a proc but didn't have one", ev, ms)
        if p == MUST_NOT and ms.p is not None:
            raise self.fail("proc-forbidden", "expected no proc but had one", ev, ms)
        if g == MUST and ms.g is None:
            raise self.fail("goroutine-required", "expected a goroutine but didn't have one",
                            ev, ms)
        if g == MUST_NOT and ms.g is not None:
            raise self.fail("goroutine-forbidden", "expected no goroutine but had one", ev, ms)

    def _current_g(self, ev: list, ms: MState, status: int) -> GState:
        """The thread's goroutine, which must exist and have wire status `status`."""
        gs = self.g.get(ms.g)  # type: ignore[arg-type]
        if gs is None:
            raise self.fail("goroutine-unknown", f"goroutine G{ms.g} does not exist", ev, ms)
        if gs.status != status:
            raise self.fail("goroutine-state", f"event for goroutine that's not"
                            f" {S.GSTATUS_NAMES[status]}", ev, ms)
        return gs

    # --- procs -----------------------------------------------------------------------

    def _proc_status(self, ev: list, ms: MState) -> bool:
        pid, status = ev[2], ev[3]
        if status not in S.PSTATUS_NAMES:
            raise self.fail("status-invalid", f"invalid status for proc {pid}: {status}", ev, ms)
        old, shown = P_API[status], status
        ps = self.p.get(pid)
        if ps is not None:
            if status == S.P_SYSCALL_ABANDONED and ps.status == S.P_SYSCALL:
                old, shown = "Running", S.P_SYSCALL  # still in the syscall we know about
            elif status == S.P_SYSCALL_ABANDONED and ps.status == S.P_SYSCALL_ABANDONED:
                old = "Idle"
            elif ps.status != status:
                raise self.fail("proc-status", f"inconsistent status for proc {pid}: old"
                                f" {S.PSTATUS_NAMES[ps.status]} vs. new"
                                f" {S.PSTATUS_NAMES[status]}", ev, ms, p=pid)
            ps.gen, ps.seq = self.gen, 0
        else:
            self.p[pid] = PState(pid, status, self.gen)
            old = "Undetermined" if self.gen == self.initial_gen else "NotExist"
        new_p = pid if status in (S.P_RUNNING, S.P_SYSCALL) else ms.p
        ctx = ms
        if status == S.P_SYSCALL_ABANDONED and old == "Running":
            # Reported by another thread just before the steal: show it on the holder.
            holders = sorted(m for m, st in self.m.items() if st.p == pid)
            if not holders:
                raise self.fail("proc-unknown", f"failed to find sched context for proc {pid}"
                                " that's about to be stolen", ev, ms, p=pid)
            ctx = self.m[holders[-1]]
        self.emit("ProcStatus", ev[1], ctx, PROC, pid, old, P_API[shown],
                  args={"status": S.PSTATUS_NAMES[shown]})
        ms.p = new_p
        return True

    def _proc_start(self, ev: list, ms: MState) -> bool:
        pid, seq = ev[2], ev[3]
        ps = self.p.get(pid)
        if ps is None or ps.status != S.P_IDLE or not _succeeds(ps, self.gen, seq) \
                or ms.p is not None:
            return False
        self._require(ev, ms, MUST, MUST_NOT, MAY)
        ps.status = S.P_RUNNING
        _bump(ps, self.gen, seq)
        self.emit("ProcStart", ev[1], ms, PROC, pid, "Idle", "Running", args={"p_seq": ps.seq})
        ms.p = pid
        return True

    def _proc_stop(self, ev: list, ms: MState) -> bool:
        ps = self.p.get(ms.p)  # type: ignore[arg-type]
        if ps is None:
            raise self.fail("proc-unknown", f"event ProcStop for proc ({_opt(ms.p)}) that"
                            " doesn't exist", ev, ms)
        if ps.status not in (S.P_RUNNING, S.P_SYSCALL):
            raise self.fail("proc-state", "ProcStop event for proc that's not Running or"
                            " Syscall", ev, ms)
        self._require(ev, ms, MUST, MUST, MAY)
        ps.status = S.P_IDLE
        self.emit("ProcStop", ev[1], ms, PROC, ms.p, "Running", "Idle")
        ms.p = None
        return True

    def _proc_steal(self, ev: list, ms: MState) -> bool:
        pid, seq, victim = ev[2], ev[3], _thread(ev[4])
        ps = self.p.get(pid)
        if ps is None or ps.status not in (S.P_SYSCALL, S.P_SYSCALL_ABANDONED) \
                or not _succeeds(ps, self.gen, seq):
            return False
        self._require(ev, ms, MUST, MAY, MAY)
        abandoned = ps.status == S.P_SYSCALL_ABANDONED
        ps.status = S.P_IDLE
        _bump(ps, self.gen, seq)
        args = {"p_seq": ps.seq, "victim": victim}
        if abandoned:
            self.emit("ProcSteal", ev[1], ms, PROC, pid, "Idle", "Idle", args=args)
            return True
        if victim == ms.id:
            if ms.p != pid:
                raise self.fail("steal-self", f"tried to self-steal proc {pid} (thread"
                                f" {victim}), but got proc {_opt(ms.p)} instead", ev, ms, p=pid)
            self.emit("ProcSteal", ev[1], ms, PROC, pid, "Running", "Idle", args=args)
            ms.p = None
            return True
        vs = self.m.get(victim)  # type: ignore[arg-type]
        if vs is None:
            raise self.fail("steal-victim", f"stole proc from non-existent thread {victim}",
                            ev, ms, p=pid)
        if vs.p != pid:
            raise self.fail("steal-victim", f"tried to steal proc {pid} from thread {victim},"
                            f" but got proc {_opt(vs.p)} instead", ev, ms, p=pid)
        vs.p = None  # the victim can now end its syscall blocked
        self.emit("ProcSteal", ev[1], ms, PROC, pid, "Running", "Idle", args=args)
        return True

    # --- goroutines ------------------------------------------------------------------

    def _go_status(self, ev: list, ms: MState) -> bool:
        gid, mid, status = ev[2], _thread(ev[3]), ev[4]
        if status not in S.GSTATUS_NAMES:
            raise self.fail("status-invalid", f"invalid status for goroutine {gid}: {status}",
                            ev, ms)
        gs = self.g.get(gid)
        if gs is not None:
            if gs.status != status:
                raise self.fail("goroutine-status", f"inconsistent status for goroutine {gid}:"
                                f" old {S.GSTATUS_NAMES[gs.status]} vs. new"
                                f" {S.GSTATUS_NAMES[status]}", ev, ms, g=gid)
            gs.gen, gs.seq = self.gen, 0
            old = GO_API[status]
        elif self.gen == self.initial_gen:
            self.g[gid] = GState(gid, status, self.gen)
            old = "Undetermined"
        else:
            raise self.fail("goroutine-status-late", "found goroutine status for new goroutine"
                            f" after the first generation: id={gid}"
                            f" status={S.GSTATUS_NAMES[status]}", ev, ms, g=gid)
        ctx, new_g = ms, ms.g
        if status == S.G_RUNNING:
            new_g = gid
        elif status == S.G_SYSCALL:
            if mid is None:
                raise self.fail("syscall-thread", f"found goroutine {gid} in syscall without a"
                                " thread", ev, ms, g=gid)
            if mid == ms.id:
                if self.gen != self.initial_gen and ms.g != gid:
                    raise self.fail("syscall-thread", f"inconsistent thread for syscalling"
                                    f" goroutine {gid}: thread has goroutine {_opt(ms.g)}",
                                    ev, ms, g=gid)
                new_g = gid
            else:
                # A goroutine sitting in a syscall on another, P-less, thread.
                other = self.m.get(mid)
                if other is not None:
                    if other.g != gid:
                        raise self.fail("syscall-thread", f"inconsistent thread for syscalling"
                                        f" goroutine {gid}: thread has goroutine"
                                        f" {_opt(other.g)}", ev, other, g=gid)
                    ctx = MState(mid, ms.p, other.g)
                else:
                    self.m[mid] = MState(mid, None, gid)
                    ctx = MState(mid, ms.p, ms.g)
        stack = self.stack(ev[5]) if ev[0] == 48 else ()
        self.emit("GoStatus", ev[1], ctx, GOROUTINE, gid, old, GO_API[status], stack,
                  {"status": S.GSTATUS_NAMES[status], "thread": mid})
        ms.g = new_g
        return True

    # The hottest rules (create, start, stop, unblock) check the common case inline and
    # append their event directly; `_require` and `emit` are the general forms.

    def _go_create(self, ev: list, ms: MState) -> bool:
        if ms.id is None or ms.p is None:
            self._require(ev, ms, MUST, MUST, MAY)
        creator = self.g.get(ms.g)  # type: ignore[arg-type]
        if creator is not None and creator.status != S.G_RUNNING:
            raise self.fail("goroutine-state", "event for goroutine that's not Running", ev, ms)
        new = ev[2]
        if new in self.g:
            raise self.fail("goroutine-exists", f"tried to create goroutine ({new}) that"
                            " already exists", ev, ms, g=new)
        blocked = ev[0] == 47
        self.g[new] = GState(new, S.G_WAITING if blocked else S.G_RUNNABLE, self.gen)
        self.queue.append(Event(
            self.count, ev[1], "GoCreateBlocked" if blocked else "GoCreate", ms.id, ms.p, ms.g,
            GOROUTINE, new, "NotExist", "Waiting" if blocked else "Runnable",
            self.stack(ev[4]), {"new_stack": self.stack(ev[3])}))
        self.count += 1
        return True

    def _go_stop_exec(self, ev: list, ms: MState) -> bool:
        """GoStop, GoBlock, GoDestroy: the running goroutine leaves its thread."""
        gid = ms.g
        gs = self.g.get(gid)  # type: ignore[arg-type]
        if ms.id is None or ms.p is None or gs is None or gs.status != S.G_RUNNING:
            self._require(ev, ms, MUST, MUST, MUST)
            gs = self._current_g(ev, ms, S.G_RUNNING)
        typ = ev[0]
        if typ == 17:
            del self.g[gid]  # type: ignore[arg-type]
            event = Event(self.count, ev[1], "GoDestroy", ms.id, ms.p, gid, GOROUTINE, gid,
                          "Running", "NotExist")
        elif typ == 19:
            gs.status = S.G_RUNNABLE
            event = Event(self.count, ev[1], "GoStop", ms.id, ms.p, gid, GOROUTINE, gid,
                          "Running", "Runnable", self.stack(ev[3]),
                          {"reason": self.string(ev[2])})
        else:
            gs.status = S.G_WAITING
            event = Event(self.count, ev[1], "GoBlock", ms.id, ms.p, gid, GOROUTINE, gid,
                          "Running", "Waiting", self.stack(ev[3]),
                          {"reason": self.string(ev[2])})
        self.queue.append(event)
        self.count += 1
        ms.g = None
        return True

    def _go_start(self, ev: list, ms: MState) -> bool:
        gid, seq = ev[2], ev[3]
        gs = self.g.get(gid)
        if gs is None or gs.status != S.G_RUNNABLE or not _succeeds(gs, self.gen, seq):
            return False
        if ms.id is None or ms.p is None or ms.g is not None:
            self._require(ev, ms, MUST, MUST, MUST_NOT)
        gs.status = S.G_RUNNING
        _bump(gs, self.gen, seq)
        self.queue.append(Event(self.count, ev[1], "GoStart", ms.id, ms.p, None, GOROUTINE,
                                gid, "Runnable", "Running", (), {"g_seq": gs.seq}))
        self.count += 1
        ms.g = gid
        return True

    def _go_unblock(self, ev: list, ms: MState) -> bool:
        gid, seq = ev[2], ev[3]
        gs = self.g.get(gid)
        if gs is None or gs.status != S.G_WAITING or not _succeeds(gs, self.gen, seq):
            return False
        gs.status = S.G_RUNNABLE
        _bump(gs, self.gen, seq)
        self.emit("GoUnblock", ev[1], ms, GOROUTINE, gid, "Waiting", "Runnable",
                  self.stack(ev[4]), {"g_seq": gs.seq})
        return True

    def _go_switch(self, ev: list, ms: MState) -> bool:
        """A coroutine switch: unblock the next goroutine, block or destroy this one, start
        the next; emitted as those three events (the last two marked `implied_by`)."""
        self._require(ev, ms, MUST, MUST, MUST)
        cur = self._current_g(ev, ms, S.G_RUNNING)
        nxt_id, seq = ev[2], ev[3]
        nxt = self.g.get(nxt_id)
        if nxt is None or nxt.status != S.G_WAITING or not _succeeds(nxt, self.gen, seq):
            return False
        kind = "GoSwitch" if ev[0] == 45 else "GoSwitchDestroy"
        seq = nxt.seq + 1 if seq is None else seq
        self.emit(kind, ev[1], ms, GOROUTINE, nxt_id, "Waiting", "Runnable",
                  args={"g_seq": seq})
        implied = {"implied_by": kind}
        if ev[0] == 45:
            cur.status = S.G_WAITING
            self.emit("GoBlock", ev[1], ms, GOROUTINE, cur.id, "Running", "Waiting",
                      args={"reason": "", **implied})
        else:
            del self.g[cur.id]
            self.emit("GoDestroy", ev[1], ms, GOROUTINE, cur.id, "Running", "NotExist",
                      args=implied)
        nxt.status = S.G_RUNNING
        _bump(nxt, self.gen, seq)
        ms.g = None
        self.emit("GoStart", ev[1], ms, GOROUTINE, nxt_id, "Runnable", "Running",
                  args={"g_seq": seq, **implied})
        ms.g = nxt_id
        return True

    def _go_syscall_begin(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MUST, MUST)
        gs = self._current_g(ev, ms, S.G_RUNNING)
        gs.status = S.G_SYSCALL
        ps = self.p.get(ms.p)  # type: ignore[arg-type]
        if ps is None:
            raise self.fail("proc-unknown", f"uninitialized proc {ms.p} found during"
                            " GoSyscallBegin", ev, ms)
        ps.status = S.P_SYSCALL
        seq = ev[2]
        if not _succeeds(ps, self.gen, seq):
            raise self.fail("proc-seq", f"failed to advance GoSyscallBegin: can't make"
                            f" sequence: {ps.seq} (gen={ps.gen}) -> {seq} (gen={self.gen})",
                            ev, ms)
        _bump(ps, self.gen, seq)
        self.emit("GoSyscallBegin", ev[1], ms, GOROUTINE, ms.g, "Running", "Syscall",
                  self.stack(ev[3]), {"p_seq": ps.seq})
        return True

    def _go_syscall_end(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MUST, MUST)
        gs = self._current_g(ev, ms, S.G_SYSCALL)
        gs.status = S.G_RUNNING
        ps = self.p.get(ms.p)  # type: ignore[arg-type]
        if ps is None:
            raise self.fail("proc-unknown", f"uninitialized proc {ms.p} found during"
                            " GoSyscallEnd", ev, ms)
        if ps.status != S.P_SYSCALL:
            raise self.fail("proc-state", f"expected proc {ms.p} in state Syscall, but got"
                            f" {S.PSTATUS_NAMES[ps.status]} instead", ev, ms)
        ps.status = S.P_RUNNING
        self.emit("GoSyscallEnd", ev[1], ms, GOROUTINE, ms.g, "Syscall", "Running")
        return True

    def _go_syscall_end_blocked(self, ev: list, ms: MState) -> bool:
        if ms.p is not None:
            ps = self.p.get(ms.p)
            if ps is None:
                raise self.fail("proc-unknown", f"uninitialized proc {ms.p} found during"
                                " GoSyscallEndBlocked", ev, ms)
            if ps.status == S.P_SYSCALL:
                return False  # its P must first be stopped or stolen
        self._require(ev, ms, MUST, MAY, MUST)
        gs = self._current_g(ev, ms, S.G_SYSCALL)
        gs.status = S.G_RUNNABLE
        self.emit("GoSyscallEndBlocked", ev[1], ms, GOROUTINE, ms.g, "Syscall", "Runnable")
        ms.g = None
        return True

    def _go_create_syscall(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MAY, MUST_NOT)
        new = ev[2]
        if new in self.g:
            raise self.fail("goroutine-exists", f"tried to create goroutine ({new}) in syscall"
                            " that already exists", ev, ms, g=new)
        self.g[new] = GState(new, S.G_SYSCALL, self.gen)
        self.emit("GoCreateSyscall", ev[1], ms, GOROUTINE, new, "NotExist", "Syscall")
        ms.g = new
        return True

    def _go_destroy_syscall(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MAY, MUST)
        gs = self._current_g(ev, ms, S.G_SYSCALL)
        del self.g[gs.id]
        if ms.p is not None:
            # The thread id may be reused: drop the P now (an implied self-steal).
            ps = self.p.get(ms.p)
            if ps is None:
                raise self.fail("proc-unknown", f"found invalid proc {ms.p} during"
                                " GoDestroySyscall", ev, ms)
            if ps.status != S.P_SYSCALL:
                raise self.fail("proc-state", f"proc {ms.p} in unexpected state"
                                f" {S.PSTATUS_NAMES[ps.status]} during GoDestroySyscall",
                                ev, ms)
            ps.status = S.P_SYSCALL_ABANDONED
            self.emit("ProcSteal", ev[1], ms, PROC, ms.p, "Running", "Idle",
                      args={"victim": ms.id, "implied_by": "GoDestroySyscall"})
        self.emit("GoDestroySyscall", ev[1], ms, GOROUTINE, gs.id, "Syscall", "NotExist")
        ms.g = None
        ms.p = None
        return True

    # --- GC, STW and other ranges ----------------------------------------------------

    def _gc_active(self, ev: list, ms: MState) -> bool:
        seq = ev[2]
        if self.gen == self.initial_gen:
            if self.gc_state != "Undetermined":
                raise self.fail("gc", "GCActive in the first generation isn't first GC event",
                                ev, ms)
        else:
            if seq is not None and seq != self.gc_seq + 1:
                return False
            if self.gc_state != "Running":
                raise self.fail("gc", "encountered GCActive while GC was not in progress",
                                ev, ms)
            self._require(ev, ms, MUST, MUST, MUST)
        self.gc_seq, self.gc_state = self.gc_seq + 1 if seq is None else seq, "Running"
        self._other(ev, ms, {"gc_seq": self.gc_seq})
        return True

    def _gc_begin(self, ev: list, ms: MState) -> bool:
        seq = ev[2]
        if self.gc_state != "Undetermined":
            if seq is not None and seq != self.gc_seq + 1:
                return False
            if self.gc_state == "Running":
                raise self.fail("gc", "encountered GCBegin while GC was already in progress",
                                ev, ms)
            self._require(ev, ms, MUST, MUST, MUST)
        self.gc_seq, self.gc_state = self.gc_seq + 1 if seq is None else seq, "Running"
        self._other(ev, ms, {"gc_seq": self.gc_seq}, self.stack(ev[3]))
        return True

    def _gc_end(self, ev: list, ms: MState) -> bool:
        seq = ev[2]
        if seq is not None and seq != self.gc_seq + 1:
            return False
        if self.gc_state == "NotRunning":
            raise self.fail("gc", "encountered GCEnd when GC was not in progress", ev, ms)
        if self.gc_state == "Undetermined":
            raise self.fail("gc", "encountered GCEnd when GC was in an undetermined state",
                            ev, ms)
        self.gc_seq, self.gc_state = self.gc_seq + 1 if seq is None else seq, "NotRunning"
        self._require(ev, ms, MUST, MUST, MUST)
        self._other(ev, ms, {"gc_seq": self.gc_seq})
        return True

    def _range_owner(self, ev: list, ms: MState, owner: GState | PState | None,
                     what: str) -> GState | PState:
        if owner is None:
            raise self.fail("range", f"range event without known state for current {what}",
                            ev, ms)
        return owner

    def _begin_range(self, ev: list, ms: MState, owner: GState | PState,
                     key: tuple[int, object]) -> None:
        if key in owner.ranges:
            raise self.fail("range", f"{_name(key[0])} begun while already in flight", ev, ms)
        owner.ranges.append(key)

    def _end_range(self, ev: list, ms: MState, owner: GState | PState, start: int) -> object:
        for i, (typ, desc) in enumerate(owner.ranges):
            if typ == start:
                owner.ranges[i] = owner.ranges[-1]
                owner.ranges.pop()
                return desc
        raise self.fail("range", f"tried to end {_name(start)}, but not in flight", ev, ms)

    def _active_range(self, ev: list, ms: MState, owner: GState | PState,
                      key: tuple[int, object]) -> None:
        if self.gen == self.initial_gen:
            if key in owner.ranges:
                raise self.fail("range", f"found named active range already in first gen:"
                                f" {_name(key[0])}", ev, ms)
            owner.ranges.append(key)
        elif key not in owner.ranges:
            raise self.fail("range", f"resource is missing active range: {_name(key[0])}",
                            ev, ms)

    def _go_range_begin(self, ev: list, ms: MState) -> bool:
        """STWBegin and GCMarkAssistBegin: a range on the running goroutine."""
        self._require(ev, ms, MUST, MUST, MUST)
        owner = self._range_owner(ev, ms, self.g.get(ms.g), "goroutine")  # type: ignore[arg-type]
        if ev[0] == 26:
            kind = self.string(ev[2])
            self._begin_range(ev, ms, owner, (26, kind))
            self._other(ev, ms, {"kind": kind}, self.stack(ev[3]))
        else:
            self._begin_range(ev, ms, owner, (35, None))
            self._other(ev, ms, NO_ARGS, self.stack(ev[2]))
        return True

    def _go_range_active(self, ev: list, ms: MState) -> bool:
        gid = ev[2]
        gs = self.g.get(gid)
        if gs is None:
            raise self.fail("range", f"uninitialized goroutine {gid} found during"
                            " GCMarkAssistActive", ev, ms, g=gid)
        self._active_range(ev, ms, gs, (35, None))
        self._other(ev, ms, {"g": gid})
        return True

    def _go_range_end(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MUST, MUST)
        owner = self._range_owner(ev, ms, self.g.get(ms.g), "goroutine")  # type: ignore[arg-type]
        desc = self._end_range(ev, ms, owner, 26 if ev[0] == 27 else 35)
        self._other(ev, ms, {"kind": desc} if ev[0] == 27 else NO_ARGS)
        return True

    def _gc_sweep_begin(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MUST, MAY)
        owner = self._range_owner(ev, ms, self.p.get(ms.p), "proc")  # type: ignore[arg-type]
        self._begin_range(ev, ms, owner, (32, None))
        self._other(ev, ms, NO_ARGS, self.stack(ev[2]))
        return True

    def _gc_sweep_active(self, ev: list, ms: MState) -> bool:
        pid = ev[2]
        ps = self.p.get(pid)
        if ps is None:
            raise self.fail("range", f"encountered GCSweepActive for unknown proc {pid}",
                            ev, ms, p=pid)
        self._active_range(ev, ms, ps, (32, None))
        self._other(ev, ms, {"p": pid})
        return True

    def _gc_sweep_end(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MUST, MAY)
        owner = self._range_owner(ev, ms, self.p.get(ms.p), "proc")  # type: ignore[arg-type]
        self._end_range(ev, ms, owner, 32)
        self._other(ev, ms, {"swept_value": ev[2], "reclaimed_value": ev[3]})
        return True

    # --- metrics, annotations --------------------------------------------------------

    def _heap_metric(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MUST, MAY)
        self._other(ev, ms, {SPEC_ARGS[ev[0]][0]: ev[2]})
        return True

    def _annotation(self, ev: list, ms: MState) -> bool:
        """ProcsChange, GoLabel, UserLog: instantaneous, need a running goroutine."""
        self._require(ev, ms, MUST, MUST, MUST)
        typ = ev[0]
        if typ == 9:
            self._other(ev, ms, {"procs_value": ev[2]}, self.stack(ev[3]))
        elif typ == 39:
            self._other(ev, ms, {"label": self.string(ev[2])})
        else:
            self._other(ev, ms, {"task": ev[2], "key": self.string(ev[3]),
                                 "value": self.string(ev[4])}, self.stack(ev[5]))
        return True

    def _user_task_begin(self, ev: list, ms: MState) -> bool:
        tid, parent = ev[2], ev[3]
        if tid in self.tasks:
            raise self.fail("task", f"task ID conflict: {tid}", ev, ms)
        name = self.string(ev[4])
        parent_id = None if parent in (0, S.NO_ID, None) else parent
        self.tasks[tid] = (name, parent_id)
        self._require(ev, ms, MUST, MUST, MUST)
        self._other(ev, ms, {"task": tid, "parent": parent_id, "name": name},
                    self.stack(ev[5]))
        return True

    def _user_task_end(self, ev: list, ms: MState) -> bool:
        tid = ev[2]
        name, parent = self.tasks.pop(tid, ("", None))
        self._require(ev, ms, MUST, MUST, MUST)
        self._other(ev, ms, {"task": tid, "parent": parent, "name": name}, self.stack(ev[3]))
        return True

    def _user_region_begin(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MUST, MUST)
        name = self.string(ev[3])
        gs = self._range_owner(ev, ms, self.g.get(ms.g), "goroutine")  # type: ignore[arg-type]
        gs.regions.append((ev[2], name))  # type: ignore[union-attr]
        self._other(ev, ms, {"task": ev[2], "name": name}, self.stack(ev[4]))
        return True

    def _user_region_end(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MUST, MUST)
        name = self.string(ev[3])
        gs = self._range_owner(ev, ms, self.g.get(ms.g), "goroutine")  # type: ignore[arg-type]
        regions = gs.regions  # type: ignore[union-attr]
        if regions:  # regions begun before tracing started are unknown
            if regions[-1] != (ev[2], name):
                raise self.fail("region", f"misuse of region in goroutine {gs.id}: region end"
                                f" {(ev[2], name)} when the inner-most active region start"
                                f" event is {regions[-1]}", ev, ms)
            regions.pop()
        self._other(ev, ms, {"task": ev[2], "name": name}, self.stack(ev[4]))
        return True

    def _experimental(self, ev: list, ms: MState) -> bool:
        self._require(ev, ms, MUST, MAY, MAY)
        self.emit("Experimental", ev[1], ms, args={
            "name": _name(ev[0]), **dict(zip(SPEC_ARGS[ev[0]], ev[2:], strict=False))})
        return True

    def _other(self, ev: list, ms: MState, args: Mapping[str, object],
               stack: tuple[str, ...] = ()) -> None:
        self.emit(_name(ev[0]), ev[1], ms, None, None, None, None, stack, args)

    # --- explaining a wait -----------------------------------------------------------

    def why_waiting(self, ev: list, m: int | None) -> tuple[str, str]:
        """Why `ev` (which returned False) cannot advance now: a rule id and words.

        The rule is "seq" when the resource is in the right state but the event's sequence
        number is not the next one (an event of the same resource is missing or later).
        """
        typ = ev[0]
        ms = self.m.get(m) if m is not None else None  # type: ignore[arg-type]
        if typ in (10, 12):
            pid, seq = ev[2], ev[3]
            ps = self.p.get(pid)
            want = S.P_IDLE if typ == 10 else S.P_SYSCALL
            rule = "proc-not-idle" if typ == 10 else "proc-not-in-syscall"
            if ps is None:
                return rule, f"P{pid} has no known state in this generation"
            right_state = ps.status == want or (typ == 12 and ps.status == S.P_SYSCALL_ABANDONED)
            if typ == 10 and ms is not None and ms.p is not None and right_state \
                    and _succeeds(ps, self.gen, seq):
                return "proc-held", f"M{m} still holds P{ms.p}"
            return ("seq" if right_state else rule,
                    f"needs P{pid} {S.PSTATUS_NAMES[want]} with seq {_next(ps)};"
                    f" P{pid} is {ps.describe()} and the event has seq {seq}")
        if typ in (16, 21, 45, 46):
            gid, seq = ev[2], ev[3]
            gs = self.g.get(gid)
            want = S.G_RUNNABLE if typ == 16 else S.G_WAITING
            rule = "goroutine-not-runnable" if typ == 16 else "goroutine-not-waiting"
            if gs is None:
                return rule, f"G{gid} does not exist (never created, or already destroyed)"
            return ("seq" if gs.status == want else rule,
                    f"needs G{gid} {S.GSTATUS_NAMES[want]} with seq {_next(gs)};"
                    f" G{gid} is {gs.describe()} and the event has seq {seq}")
        if typ == 24 and ms is not None:
            return ("syscall-end-before-steal", f"M{m}'s P{ms.p} is still in its syscall"
                    " (no ProcStop or ProcSteal yet)")
        if typ in (28, 29, 30):
            return "gc-seq", f"needs GC seq {self.gc_seq + 1}, the event has {ev[2]}"
        return "stuck", "cannot advance"


def _next(state: GState | PState) -> str:
    return f"{state.seq + 1} (gen {state.gen})"


def _thread(raw: int | None) -> int | None:
    return None if raw == S.NO_ID else raw


SPEC_ARGS: dict[int, tuple[str, ...]] = {t: s.args[1:] for t, s in S.SPECS.items()}


def _name(typ: int) -> str:
    spec = S.SPECS.get(typ)
    return spec.name if spec else f"Invalid({typ})"
