"""Who owns which hash slot: every worker gets a share, the lead its weight's, the others
alike (the shares decide only who works, never a result: test_parallel*.py)."""

from __future__ import annotations

from collections import Counter

import pytest

from gocheck.explore.partition import SLOTS, slot_owners


@pytest.mark.parametrize("n", [2, 3, 4, 8])
@pytest.mark.parametrize("weight", [0.5, 0.95, 1.0, 1.5])
def test_the_lead_gets_its_weight_and_the_others_share_alike(n: int, weight: float) -> None:
    owners = slot_owners(n, weight)
    assert len(owners) == SLOTS
    share = Counter(owners)
    assert set(share) == set(range(n))
    assert abs(share[0] - SLOTS * weight / (weight + n - 1)) <= 1
    others = [share[w] for w in range(1, n)]
    assert max(others) - min(others) <= 1


def test_a_tiny_weight_still_leaves_the_lead_a_slot() -> None:
    assert Counter(slot_owners(2, 0.0))[0] == 1
