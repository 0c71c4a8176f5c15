"""The machine block's keys as data: domain, default and meaning of each (language.md).

This table is the one place where machine options are defined: `lang/check.py` validates a
spec's machine block against it, and the model reads a spec's full configuration through
`machine_config`. A new option is one new row. A bound or a default may follow another key
(`threads` is at least `procs`, by default `procs + 2`); `Ref` says so, and a key only
refers to keys above it in the table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

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

KEYS: Mapping[str, MachineKey] = {k.name: k for k in MACHINE_KEYS}


def _bound(b: Bound, config: Mapping[str, Value]) -> int:
    if isinstance(b, Ref):
        value = config[b.key]
        assert isinstance(value, int)
        return value + b.offset
    return b


def value_error(key: MachineKey, value: Value, quoted: bool,
                config: Mapping[str, Value]) -> str | None:
    """Why `value` is not allowed for `key` given the keys above it, or None if it is."""
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
    value; the first entry of a key counts, and unknown keys are left to the caller.
    """
    given: dict[str, ast.MachineEntry] = {}
    for entry in entries:
        given.setdefault(entry.key, entry)
    config: dict[str, Value] = {}
    problems: list[tuple[ast.MachineEntry, str]] = []
    for key in MACHINE_KEYS:
        entry = given.get(key.name)
        error = None if entry is None else value_error(key, entry.value, entry.quoted, config)
        if entry is not None and error is None:
            config[key.name] = entry.value
            continue
        if entry is not None and error is not None:
            problems.append((entry, error))
        config[key.name] = (key.default if isinstance(key.default, str)
                            else _bound(key.default, config))
    return config, problems


def machine_config(spec: ast.Spec) -> dict[str, Value]:
    """The machine a (checked) spec describes, defaults filled in."""
    machine = spec.machine
    return evaluate(() if machine is None else machine.entries)[0]
