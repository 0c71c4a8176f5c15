"""The machine configuration: the `machine { }` block with every default filled in.

The keys, domains and defaults are defined once, in `gocheck.lang.machine_keys`; this module
only turns a checked block into typed values (on/off becomes bool).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from gocheck.lang import ast
from gocheck.lang.machine_keys import default_values


@dataclass(frozen=True, slots=True)
class MachineConfig:
    procs: int
    threads: int
    runq: int
    runnext: bool
    steal: str  # half | one | off
    preemption: str  # async | cooperative | off
    timeslice: int
    sysmon: bool
    sysmon_delay: int
    handoff: bool
    wakep: bool
    global_check: int

    def with_values(self, **changes: object) -> MachineConfig:
        return replace(self, **changes)


def machine_config(spec: ast.Spec) -> MachineConfig:
    """The spec's machine, defaults filled in (`threads` defaults to procs + 2)."""
    given: dict[str, int | str] = {}
    if spec.machine is not None:
        given = {e.key: e.value for e in spec.machine.entries}
    values: dict[str, object] = dict(default_values())
    values.update(given)
    if "threads" not in given:
        values["threads"] = int(values["procs"]) + 2
    typed = {
        f.name: values[f.name] == "on" if f.type == "bool" else values[f.name]
        for f in fields(MachineConfig)
    }
    return MachineConfig(**typed)  # type: ignore[arg-type]
