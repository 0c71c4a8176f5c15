"""docs/bugs.md is the generated page of the bug zoo (see bugs_doc.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .bugs_doc import ENTRIES, render
from .zoo import BUGS

pytestmark = pytest.mark.quality

DOC = Path(__file__).parent.parent.parent / "docs" / "bugs.md"


def test_every_zoo_spec_has_a_row() -> None:
    assert sorted(p.stem for p in BUGS) == sorted(ENTRIES)


def test_bugs_md_is_current() -> None:
    assert DOC.read_text() == render(), (
        "docs/bugs.md is stale: python -m tests.quality.bugs_doc > docs/bugs.md")
