"""The false-accusation bound holds: simulated innocent scores never beat it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from barium.codes import Code, CodeSpec, log_tail_bound, score_tests

INNOCENTS = 100_000
M = 120


def _attack(name: str, colluders: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """What a coalition outputs at each position (marking assumption respected)."""
    c, m = colluders.shape
    ones = colluders.sum(axis=0)
    if name == "interleave":
        return colluders[rng.integers(0, c, m), np.arange(m)]
    if name == "majority":
        tie = rng.integers(0, 2, m)
        return np.where(2 * ones > c, 1, np.where(2 * ones < c, 0, tie)).astype(np.uint8)
    if name == "minority":
        agreed = (ones == 0) | (ones == c)
        return np.where(agreed, colluders[0], (2 * ones < c).astype(np.uint8)).astype(np.uint8)
    if name == "all-ones":
        return (ones > 0).astype(np.uint8)
    if name == "coin":
        return np.where((ones == 0) | (ones == c), colluders[0], rng.integers(0, 2, m)).astype(np.uint8)
    raise AssertionError(name)


@pytest.mark.parametrize("strategy", ["interleave", "majority", "minority", "all-ones", "coin"])
@pytest.mark.parametrize("spec", [CodeSpec(), CodeSpec(cutoff=0.005, uniform_share=0.0)])
def test_innocent_scores_exceed_each_threshold_no_more_often_than_the_bound(strategy: str, spec: CodeSpec) -> None:
    rng = np.random.default_rng(abs(hash((strategy, spec.cutoff))) % 2**32)
    code = Code.derive(b"simulation-key-0123456789abcdef", f"sim:{strategy}", M, spec)
    p = code.biases
    coalition = np.stack([code.codeword(str(r)) for r in range(3)])
    y = _attack(strategy, coalition, rng)
    p_match = np.where(y == 1, p, 1 - p)
    innocents = (rng.random((INNOCENTS, M)) < p).astype(np.uint8)
    matches = innocents == y[None, :]
    for t in score_tests(p_match, colluders=3, read_error=0.02):
        scores = matches @ (t.match - t.mismatch) + t.mismatch.sum()
        for q in (0.9, 0.99, 0.999, 0.9999):
            z = float(np.quantile(scores, q))
            bound = math.exp(log_tail_bound(z, p_match, t.match, t.mismatch))
            empirical = float(np.mean(scores >= z))
            # Sampling noise: allow four standard errors of the empirical rate.
            slack = 4 * math.sqrt(max(bound, 1e-12) / INNOCENTS)
            assert empirical <= bound + slack, (t.name, q, empirical, bound)


def test_bound_is_exact_when_only_the_all_matching_outcome_reaches_the_score() -> None:
    p = np.array([0.5, 0.25, 0.1])
    a, b = np.log(1 / p), np.full(3, -5.0)
    assert math.isclose(math.exp(log_tail_bound(float(a.sum()), p, a, b)), float(np.prod(p)))
    assert log_tail_bound(float(a.sum()) + 1, p, a, b) == -math.inf


def test_bound_never_exceeds_one_and_is_one_without_evidence() -> None:
    p = np.full(10, 0.5)
    t = score_tests(p, colluders=2, read_error=0.02)[1]
    assert log_tail_bound(-100.0, p, t.match, t.mismatch) == 0.0
    assert log_tail_bound(0.0, np.array([]), np.array([]), np.array([])) == 0.0


def test_a_long_matching_observation_gives_a_tiny_bound() -> None:
    p = np.full(60, 0.5)
    t = score_tests(p, colluders=3, read_error=0.02)[0]
    assert math.exp(log_tail_bound(float(t.match.sum()), p, t.match, t.mismatch)) < 1e-15
