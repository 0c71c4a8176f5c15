"""The compiled program (model/program.py) as constant tables of the Promela model.

All functions' code end to end, `fbase[f]` the index of function f's first instruction (pcs
stay function-local, as in gocheck). A SELECT's `a` is the row of its first case in the
`k_*` tables and `c` its number of cases; every other operand is the model's own. The
tables are `hidden`: constant after the first step, so not part of any state.
"""

from __future__ import annotations

from gocheck.model import program as op
from gocheck.model.program import Program


def _rows(prog: Program) -> tuple[list[tuple[int, int, int, int, int]], list[tuple[int, int, int]]]:
    """(op, a, b, c, safe) per instruction and (send, chan, target) per select case."""
    code: list[tuple[int, int, int, int, int]] = []
    cases: list[tuple[int, int, int]] = []
    for f in prog.functions:
        for ins in f.code:
            if ins.op == op.SELECT:
                arms = ins.c
                code.append((ins.op, len(cases), ins.b, len(arms), 1))  # type: ignore[arg-type]
                cases += [(int(kind == "send"), ch, target) for kind, ch, target in arms]  # type: ignore[union-attr]
            else:
                c = ins.c if isinstance(ins.c, int) else 0
                code.append((ins.op, ins.a, ins.b, c, int(ins.safe)))
    return code, cases


def tables(prog: Program) -> list[str]:
    """Declarations of the constant tables and `load_program`, which fills them."""
    code, cases = _rows(prog)
    bases, at = [], 0
    for f in prog.functions:
        bases.append(at)
        at += len(f.code)
    fill = [f"fbase[{i}] = {b};" for i, b in enumerate(bases)]
    for i, (o, a, b, c, safe) in enumerate(code):
        fill.append(f"c_op[{i}] = {o}; c_a[{i}] = {a}; c_b[{i}] = {b}; c_c[{i}] = {c}; "
                    f"c_safe[{i}] = {safe};")
    for i, (send, ch, target) in enumerate(cases):
        fill.append(f"k_send[{i}] = {send}; k_chan[{i}] = {ch}; k_target[{i}] = {target};")
    fill += [f"chan_cap[{i}] = {cap};" for i, cap in enumerate(prog.chan_caps)]
    names = ", ".join(f"{i} {f.name}" for i, f in enumerate(prog.functions))
    return [
        f"/* ---- the program (model/program.py); functions: {names} ---- */",
        f"hidden int fbase[{len(prog.functions)}];",
        "hidden byte c_op[NCODE];",
        "hidden int c_a[NCODE], c_b[NCODE], c_c[NCODE];",
        "hidden byte c_safe[NCODE];",
        "hidden byte k_send[NCASE];",
        "hidden int k_chan[NCASE], k_target[NCASE];",
        "hidden int chan_cap[NCHAN];",
        "",
        "inline load_program() {",
        *(f"    {line}" for line in fill),
        "    skip",
        "}",
    ]
