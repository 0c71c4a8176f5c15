"""The wheel must carry every subpackage and the grammar: pyproject lists them by hand."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_every_subpackage_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = {
        "gocheck" + "".join(f".{part}" for part in init.parent.relative_to(ROOT / "checker").parts)
        for init in (ROOT / "checker").rglob("__init__.py")
    } | {"gocheck.grammar"}
    assert on_disk <= listed, f"add to pyproject's packages: {sorted(on_disk - listed)}"


def test_grammar_ships_as_package_data() -> None:
    from importlib.resources import files

    assert files("gocheck.grammar").joinpath("gos.lark").is_file()
