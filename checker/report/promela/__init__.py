"""Export a spec as a Promela model for SPIN: the same machine, the same program.

Why: an independent model checker run on the very same transition system cross-checks
gocheck's semantics and verdicts, and gives a yardstick for its speed.

Design. The state tuple of model/state.py becomes global variables (`layout`), the compiled
program constant tables (`tables`), and the rules of model/sched.py, goroutine.py, sync.py
and machine.py become inlines that mirror the Python functions one by one (`sched`, `sync`,
`steps`). Each actor is a process (`process`): one per M, sysmon, the netpoller, the timers,
and `program`, which sets up the initial state and stutters once the program is over. Each
process loops over its guarded `d_step`s, one per kind of step `Machine.successors` lists:
a `d_step` is a single SPIN transition, so every model.md step stays atomic. Safety
properties are assertions evaluated after every step (`props`); a deadlock is pan's invalid
end state. Liveness properties are out of scope.

State counts. The encoding is canonical and one-to-one with gocheck's state tuples, and
every process always rests at its loop (its program counter is the same in every state),
so SPIN's reachable states are gocheck's plus exactly one: the state before the set-up step
(Promela initialises an array uniformly; the initial state is not uniform). Every step
reads and writes global variables, so partial-order reduction removes nothing, and pan (built
with -DSAFETY) reports `states, stored` = gocheck's states + 1. Transition counts differ:
pan counts the stutter loops, the set-up step and matched duplicates; gocheck counts one
edge per enabled step.
"""

from __future__ import annotations

from gocheck.lang import ast
from gocheck.model.machine import Machine
from gocheck.props.library import properties_for
from gocheck.report.promela.layout import check_modelled, constants, initial_state, state
from gocheck.report.promela.process import macros, processes
from gocheck.report.promela.props import assertions, exported
from gocheck.report.promela.sched import SCHED
from gocheck.report.promela.sizes import sizes as model_sizes
from gocheck.report.promela.steps import STEPS
from gocheck.report.promela.sync import SYNC
from gocheck.report.promela.tables import tables


def export(spec: ast.Spec, machine: Machine, properties: tuple[str, ...] = (),
           max_goroutines: int | None = None) -> str:
    """The Promela text of `spec` on `machine`, checking `properties` (as `verify` picks
    them: the spec's checks and invariants by default). Deterministic: the same input gives
    the same text. NotModelled (a GocheckError) for a machine key the export lacks."""
    check_modelled(machine.cfg)
    names = [p.name for p in properties_for(spec, machine, properties)]
    safety = exported(names)
    left_out = [n for n in names if n not in safety]
    sizes = model_sizes(machine.prog, machine.cfg, max_goroutines)
    invariants = {i.name: i for i in spec.invariants}
    checked = [n for n in safety if n != "no_deadlock"]
    header = [
        f"/* gocheck export of {spec.path}: the machine of model.md, one process per actor.",
        "   Generated; do not edit. Check it with:",
        "     spin -a model.pml && gcc -O2 -DSAFETY -o pan pan.c && ./pan -m1000000 -c0",
        f"   Safety properties checked: {', '.join(safety) or 'none'}"
        + (" (no_deadlock: pan's invalid end states)" if "no_deadlock" in safety else ""),
        "   Liveness properties (and other properties of cycles) are out of scope of this"
        " export" + (f": not checked here: {', '.join(left_out)}" if left_out else "") + ". */",
    ]
    parts = [
        header,
        constants(sizes, machine.cfg),
        state(sizes),
        tables(machine.prog),
        macros(sizes, machine.cfg),
        [SCHED.strip("\n"), SYNC.strip("\n"), STEPS.strip("\n")],
        initial_state(machine.cfg, machine.prog.main),
        assertions(checked, invariants, sizes, machine),
        processes(sizes, machine.cfg, {i.op for f in machine.prog.functions for i in f.code},
                  deadlock="no_deadlock" in safety),
    ]
    return "\n\n".join("\n".join(part) for part in parts) + "\n"
