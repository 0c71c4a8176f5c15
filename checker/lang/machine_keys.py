"""The machine block's keys as data: domain, default and meaning of each (language.md).

This table is the one place where machine options are defined: `lang/check.py` validates a
spec's machine block against it, and the model reads a spec's full configuration through
`machine_config`. A new option is one new row: in `MACHINE_KEYS`, or in `SWITCH_KEYS` if it
restores a historical scheduler rule (docs/bugs.md). A bound or a default may follow another key
(`threads` is at least `procs`, by default `procs + 2`); `Ref` says so, and a key only
refers to keys above it in the table.

`runtime = "go1.16"` is not a key of its own machine but a preset: it sets every switch as
that Go version had it (bug-zoo.md §3, `PRESETS`), as defaults that the spec's own keys
override.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from gocheck.lang import ast

Value = int | str


@dataclass(frozen=True, slots=True)
class Ref:
    """The value of another key, plus an offset."""

    key: str
    offset: int = 0

    def __str__(self) -> str:
        return self.key + (f" + {self.offset}" if self.offset else "")


Bound = int | Ref


@dataclass(frozen=True, slots=True)
class IntKey:
    """An integer key with inclusive bounds."""

    name: str
    lo: Bound
    hi: Bound
    default: Bound
    doc: str

    def domain(self) -> str:
        return f"{self.lo}..{self.hi}"


@dataclass(frozen=True, slots=True)
class WordKey:
    """A key whose value is one of a few bare words."""

    name: str
    words: tuple[str, ...]
    default: str
    doc: str

    def domain(self) -> str:
        return " | ".join(self.words)


@dataclass(frozen=True, slots=True)
class PresetKey:
    """A quoted name of a bundle of other keys' values, which become their defaults."""

    name: str
    presets: Mapping[str, Mapping[str, Value]]
    default: str
    doc: str

    def domain(self) -> str:
        return " | ".join(f'"{p}"' for p in self.presets)


MachineKey = IntKey | WordKey

_ON_OFF = ("on", "off")

MACHINE_KEYS: tuple[MachineKey, ...] = (
    IntKey("procs", 1, 64, 2, "number of Ps (GOMAXPROCS)"),
    IntKey("threads", Ref("procs"), 256, Ref("procs", 2),
           "most Ms (OS threads) the runtime may have at once"),
    IntKey("runq", 1, 256, 4, "local run-queue capacity per P"),
    WordKey("runnext", _ON_OFF, "on", "a spawned or readied G goes to the runnext slot"),
    WordKey("steal", ("half", "one", "off"), "half",
            "how much an idle P takes from a victim's local queue"),
    WordKey("preemption", ("async", "cooperative", "off"), "async",
            "where a running G can be preempted"),
    IntKey("timeslice", 1, 1000, 2, "ticks a G may run before sysmon asks for preemption"),
    WordKey("sysmon", _ON_OFF, "on", "sysmon retakes Ps from syscalls and requests preemption"),
    IntKey("sysmon_delay", 0, 1000, 1,
           "ticks a P may stay in a syscall before sysmon may retake it"),
    WordKey("handoff", _ON_OFF, "on", "a G entering a blocking syscall hands its P off"),
    WordKey("wakep", _ON_OFF, "on", "making work runnable wakes an idle P"),
    IntKey("global_check", 0, 1000, 61,
           "every Nth schedule looks at the global queue first (0: never)"),
)

# Switches that restore a historical scheduler rule (docs/bugs.md): the default is today's
# rule, the other values are bugs the runtime once had, so they break the runtime's own
# invariants on purpose (generators of "any machine" leave them alone).
SWITCH_KEYS: tuple[MachineKey, ...] = (
    WordKey("recheck", ("needspinning", "spinning", "all"), "needspinning",
            "who rechecks the queues after dropping its P: all (Go <= 1.16, #43997), "
            "spinning Ms without the needspinning flag (1.17-1.19, #45867)"),
    WordKey("recheck_order", ("stop_first", "recheck_first"), "stop_first",
            "a spinning M out of work stops spinning before its recheck (recheck_first: "
            "the lost-wakeup order)"),
    WordKey("runq_empty", ("with_runnext", "ring_only"), "with_runnext",
            "whether \"has local work\" counts runnext (ring_only: #10573)"),
    WordKey("runnext_without_sysmon", _ON_OFF, "off",
            "with sysmon off, runnext is still used (on: wasm before Go 1.23, #65178)"),
    WordKey("gosched_wakep", _ON_OFF, "on",
            "Gosched and preemption call wakep (off: Go <= 1.21, #55160)"),
    WordKey("retake_slice_check", ("urgent", "all", "running_only"), "urgent",
            "urgent: sysmon acts on each syscall's and slice's own length; all: sysmon samples "
            "each P and remembers what it saw, checking the slice of running and syscall Ps "
            "(tip); running_only: only of running Ps (Go 1.11, #28701)"),
    WordKey("timer_steal", ("any", "preempt_marked_only"), "any",
            "any: timers are one global actor that fires an expired timer promptly (Go >= "
            "1.16); preempt_marked_only: per-P timer heaps, fired by their P's schedule, by a "
            "spinning thief that skips running Ps whose G is not marked for preemption, or "
            "by the M blocked in netpoll (Go 1.14-1.15, #38860)"),
)



def _preset(recheck: str, gosched_wakep: str, runnext_without_sysmon: str,
            preemption: str = "async", timer_steal: str = "any") -> dict[str, Value]:
    return {"recheck": recheck, "gosched_wakep": gosched_wakep,
            "runnext_without_sysmon": runnext_without_sysmon, "preemption": preemption,
            "timer_steal": timer_steal}


_GO1_15 = _preset("all", "off", "on", timer_steal="preempt_marked_only")
_GO1_16 = _preset("all", "off", "on")
_GO1_19 = _preset("spinning", "off", "on")
_GO1_21 = _preset("needspinning", "off", "on")
_TIP = _preset("needspinning", "on", "off")

# Each Go version's scheduler rules as switch values (bug-zoo.md §3; docs/bugs.md). Go 1.20's
# needspinning is recalled, not read in source; `retake_slice_check` is in no preset (its
# default is the model's urgent sysmon, not a version). Go 1.13's timers (global timer
# buckets) are closest to `timer_steal = any`: no per-P heap holds a timer back. "tip" is
# today's rule, every switch at its default.
PRESETS: Mapping[str, Mapping[str, Value]] = {
    "go1.13": _preset("all", "off", "on", "cooperative"),
    "go1.14": _GO1_15, "go1.15": _GO1_15, "go1.16": _GO1_16,
    "go1.17": _GO1_19, "go1.18": _GO1_19, "go1.19": _GO1_19,
    "go1.20": _GO1_21, "go1.21": _GO1_21,
    "go1.22": _preset("needspinning", "on", "on"),
    "go1.23": _TIP, "go1.24": _TIP, "go1.25": _TIP, "tip": _TIP,
}

RUNTIME = PresetKey("runtime", PRESETS, "tip",
                    "set every switch as this Go version had it (keys given still win)")

KEYS: Mapping[str, MachineKey | PresetKey] = {
    k.name: k for k in (*MACHINE_KEYS, *SWITCH_KEYS, RUNTIME)}


def _bound(b: Bound, config: Mapping[str, Value]) -> int:
    if isinstance(b, Ref):
        value = config[b.key]
        assert isinstance(value, int)
        return value + b.offset
    return b


def value_error(key: MachineKey | PresetKey, value: Value, quoted: bool,
                config: Mapping[str, Value]) -> str | None:
    """Why `value` is not allowed for `key` given the keys above it, or None if it is."""
    if isinstance(key, PresetKey):
        if not quoted or value not in key.presets:
            shown = f'"{value}"' if quoted else str(value)
            return f"{key.name} = {shown}: expected one of {key.domain()}"
        return None
    if isinstance(key, WordKey):
        if quoted or value not in key.words:
            shown = f'"{value}"' if quoted else str(value)
            return f"{key.name} = {shown}: expected one of {key.domain()}"
        return None
    if not isinstance(value, int) or quoted:
        return f"{key.name} needs an integer in {key.domain()}"
    lo, hi = _bound(key.lo, config), _bound(key.hi, config)
    if lo <= value <= hi:
        return None
    where = f"{lo}..{hi}" if (lo, hi) == (key.lo, key.hi) else f"{key.domain()}, here {lo}..{hi}"
    return f"{key.name} = {value} is out of range {where}"


def evaluate(entries: Iterable[ast.MachineEntry]
             ) -> tuple[dict[str, Value], list[tuple[ast.MachineEntry, str]]]:
    """Every key's value (the given one where valid, else the default) and the bad entries.

    Keys are taken in table order, so a bound that refers to another key sees its final
    value; the first entry of a key counts, and unknown keys are left to the caller. A valid
    `runtime` preset supplies the defaults of the keys it names.
    """
    given: dict[str, ast.MachineEntry] = {}
    for entry in entries:
        given.setdefault(entry.key, entry)
    config: dict[str, Value] = {}
    problems: list[tuple[ast.MachineEntry, str]] = []
    preset: Mapping[str, Value] = {}
    runtime = given.get(RUNTIME.name)
    if runtime is not None:
        error = value_error(RUNTIME, runtime.value, runtime.quoted, config)
        if error is None:
            preset = PRESETS[str(runtime.value)]
        else:
            problems.append((runtime, error))
    for key in (*MACHINE_KEYS, *SWITCH_KEYS):
        entry = given.get(key.name)
        error = None if entry is None else value_error(key, entry.value, entry.quoted, config)
        if entry is not None and error is None:
            config[key.name] = entry.value
            continue
        if entry is not None and error is not None:
            problems.append((entry, error))
        config[key.name] = preset.get(key.name, key.default if isinstance(key.default, str)
                                      else _bound(key.default, config))
    return config, problems


def with_runtime(spec: ast.Spec, runtime: str) -> ast.Spec:
    """The spec with `runtime = "<runtime>"` in its machine block, replacing any runtime it
    names (`gocheck verify --runtime`); keys the spec sets itself still win."""
    entry = ast.MachineEntry(RUNTIME.name, runtime, quoted=True)
    machine = spec.machine
    if machine is None:
        return replace(spec, items=(ast.Machine((entry,)), *spec.items))
    entries = (entry, *(e for e in machine.entries if e.key != RUNTIME.name))
    items = tuple(replace(machine, entries=entries) if i is machine else i for i in spec.items)
    return replace(spec, items=items)


def machine_config(spec: ast.Spec) -> dict[str, Value]:
    """The machine a (checked) spec describes, defaults filled in."""
    machine = spec.machine
    return evaluate(() if machine is None else machine.entries)[0]
