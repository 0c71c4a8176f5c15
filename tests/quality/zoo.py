"""The bug zoo's specs (spec/bugs/) and their two variants, for the quality tests.

Each spec states its verdicts in a header, written so that the spec as written is the buggy
variant and the fixed variant is the same spec with one machine key at its fixed value:

    // buggy: PROPERTY violated
    // fixed (KEY = VALUE): PROPERTY holds
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from gocheck.lang import ast
from gocheck.lang.parser import parse_file

BUGS = sorted((Path(__file__).parent.parent.parent / "spec" / "bugs").glob("*.gos"))
BUGGY = re.compile(r"^// buggy: (\w+) violated$", re.MULTILINE)
FIXED = re.compile(r"^// fixed \((\w+) = (\w+)\): (\w+) holds$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class ZooSpec:
    path: Path
    prop: str  # violated as written, holds when fixed
    key: str
    fixed_value: str


def zoo_spec(path: Path) -> ZooSpec:
    text = path.read_text()
    buggy, fixed = BUGGY.search(text), FIXED.search(text)
    assert buggy and fixed, f"{path.name}: no // buggy: / // fixed (...): header"
    assert buggy.group(1) == fixed.group(3), f"{path.name}: the header names two properties"
    return ZooSpec(path, buggy.group(1), fixed.group(1), fixed.group(2))


def buggy_spec(z: ZooSpec) -> ast.Spec:
    return parse_file(str(z.path))


def fixed_spec(z: ZooSpec) -> ast.Spec:
    """The spec with its switch rewritten to the fixed value in the AST."""
    spec = buggy_spec(z)
    machine = spec.machine
    assert machine is not None and any(e.key == z.key for e in machine.entries)
    value: int | str = int(z.fixed_value) if z.fixed_value.isdigit() else z.fixed_value
    entries = tuple(replace(e, value=value, quoted=False) if e.key == z.key else e
                    for e in machine.entries)
    items = tuple(replace(machine, entries=entries) if i is machine else i for i in spec.items)
    return replace(spec, items=items)
