"""The machine configuration: the `machine { }` block with every default filled in.

The keys, domains and defaults are defined once, in `gocheck.lang.machine_keys`; this module
only turns a checked block into typed values (on/off becomes bool).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from gocheck.lang import ast
from gocheck.lang.machine_keys import machine_config as machine_values


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
    # Switches restoring historical rules (bug-zoo.md); each default is today's rule.
    recheck: str = "needspinning"  # needspinning | spinning | all
    recheck_order: str = "stop_first"  # stop_first | recheck_first
    runq_empty: str = "with_runnext"  # with_runnext | ring_only
    runnext_without_sysmon: bool = False
    gosched_wakep: bool = True
    retake_slice_check: str = "urgent"  # urgent | all | running_only
    timer_steal: str = "any"  # any | preempt_marked_only

    @property
    def sampling_sysmon(self) -> bool:
        """sysmon samples each P and remembers what it saw (bug-zoo G6, Z8)."""
        return self.retake_slice_check != "urgent"

    @property
    def per_p_timers(self) -> bool:
        """Timers live in per-P heaps and fire in three ways (bug-zoo G7, Z9); otherwise
        they are one global actor (`timer_steal = any`, the model's abstraction of Go >= 1.16
        firing an expired timer promptly)."""
        return self.timer_steal != "any"

    def with_values(self, **changes: object) -> MachineConfig:
        return replace(self, **changes)


def machine_config(spec: ast.Spec) -> MachineConfig:
    """The spec's machine (checked by `lang.check`) with every default filled in."""
    values = machine_values(spec)
    typed = {
        f.name: values[f.name] == "on" if f.type == "bool" else values[f.name]
        for f in fields(MachineConfig)
    }
    return MachineConfig(**typed)  # type: ignore[arg-type]
