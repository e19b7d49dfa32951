"""The decoder's weighting of its tests."""

from __future__ import annotations

import math

import numpy as np

from barium.codes import score_tests
from barium.codes.decode import eps_shares


def test_the_tests_share_the_false_accusation_budget_single_leaker_half() -> None:
    names = [t.name for t in score_tests(np.empty(0), colluders=3, read_error=0.02)]
    shares = eps_shares(names)
    assert shares["single"] == 0.5
    assert math.isclose(sum(shares.values()), 1.0)
    assert eps_shares(["single"]) == {"single": 1.0}
    assert eps_shares(["tardos", "interleave-2"]) == {"tardos": 0.5, "interleave-2": 0.5}
