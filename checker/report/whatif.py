"""What would change a verdict: the same program on a machine with one key set back to the
real runtime's behaviour, checked by the explicit engine rather than guessed.

Only the keys that model a broken or older runtime are tried, and only when the spec moves
them away from their default: `handoff`, `wakep`, `sysmon`, `preemption`, `steal`,
`runnext`. Each check is one bounded exploration; a verdict the bound cannot decide is
reported as undecided, never as a fix.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from gocheck.lang import ast
from gocheck.lang.machine_keys import KEYS, SWITCH_KEYS
from gocheck.model.machine import Machine
from gocheck.verify import Limits, verify_machine

# Keys whose non-default value models an older or broken runtime: the zoo's switches first.
RUNTIME_KEYS = (*(k.name for k in SWITCH_KEYS),
                "preemption", "handoff", "wakep", "sysmon", "steal", "runnext")
MAX_STATES = 200_000


@dataclass(frozen=True, slots=True)
class WhatIf:
    """`key = value` (its default) gives `verdict` for the property."""

    key: str
    value: str
    verdict: str

    def text(self, prop: str) -> str:
        outcome = {"holds": f"{prop} holds",
                   "violated": f"{prop} is still violated",
                   "unknown": f"undecided within {MAX_STATES:,} states"}[self.verdict]
        return f"`{self.key} = {self.value}` ({KEYS[self.key].doc}): {outcome} (checked)"


def what_ifs(spec: ast.Spec, machine: Machine, prop: str) -> list[WhatIf]:
    """One check per runtime key the spec sets away from its default."""
    types = {f.name: f.type for f in fields(machine.cfg)}
    out = []
    for key in RUNTIME_KEYS:
        default = str(KEYS[key].default)
        value = getattr(machine.cfg, key)
        typed = default == "on" if types[key] == "bool" else default
        if value == typed:
            continue
        other = Machine(machine.prog, machine.cfg.with_values(**{key: typed}))
        result = verify_machine(spec, other, properties=(prop,),
                                limits=Limits(max_states=MAX_STATES)).result
        out.append(WhatIf(key, default, result.properties[0].verdict))
    return out
