"""The false-accusation bound holds: simulated innocent scores never beat it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from barium.codes import Block, Code, CodeSpec, Observation, decode_blocks, log_tail_bound, score_tests
from barium.codes.decode import ScoreTest

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


def _assert_below_bound(scores: np.ndarray, p_match: np.ndarray, t: ScoreTest, quantiles: tuple[float, ...]) -> None:
    """At each quantile's score, the share of innocents at or above it is within the bound
    (plus four standard errors of the empirical rate: sampling noise)."""
    for q in quantiles:
        z = float(np.quantile(scores, q))
        bound = math.exp(log_tail_bound(z, p_match, t.match, t.mismatch))
        empirical = float(np.mean(scores >= z))
        slack = 4 * math.sqrt(max(bound, 1e-12) / len(scores))
        assert empirical <= bound + slack, (t.name, q, empirical, bound)


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
        _assert_below_bound(scores, p_match, t, (0.9, 0.99, 0.999, 0.9999))


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


JOINT_INNOCENTS = 400_000  # per holding pattern: three patterns, 1.2 million innocent scores in all
JOINT_M = 60


def _innocent_scores(
    p: np.ndarray, y: np.ndarray, t_match: np.ndarray, t_mismatch: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Scores of JOINT_INNOCENTS simulated innocents (own symbols drawn from the biases)."""
    out = []
    for _ in range(JOINT_INNOCENTS // 100_000):
        agree = (rng.random((100_000, len(p))) < p) == y[None, :]
        out.append(agree @ (t_match - t_mismatch) + t_mismatch.sum())
    return np.concatenate(out)


@pytest.mark.parametrize("strategy", ["interleave", "majority"])
def test_joint_scores_over_the_documents_an_innocent_holds_stay_below_their_bound(strategy: str) -> None:
    """Three leaks of three documents, the same coalition; innocents holding all three,
    two of them, or one: each is scored and bounded on the positions of what they hold."""
    rng = np.random.default_rng(20261202 + len(strategy))
    codes = [Code.derive(b"simulation-key-0123456789abcdef", f"joint:{k}", JOINT_M, CodeSpec()) for k in range(3)]
    leaks = [_attack(strategy, np.stack([c.codeword(str(r)) for r in range(2)]), rng) for c in codes]
    for held in ((0, 1, 2), (0, 1), (2,)):
        p = np.concatenate([codes[k].biases for k in held])
        y = np.concatenate([leaks[k] for k in held])
        p_match = np.where(y == 1, p, 1 - p)
        for t in score_tests(p_match, colluders=3, read_error=0.02):
            scores = _innocent_scores(p, y, t.match, t.mismatch, rng)
            _assert_below_bound(scores, p_match, t, (0.99, 0.999, 0.9999, 0.99999))


def test_joint_decoding_accuses_an_innocent_no_more_often_than_eps() -> None:
    """The whole rule, union bound included: recipients holding different subsets of three
    documents, a leaker who is not among them, accusations at a loose eps."""
    rng = np.random.default_rng(7)
    eps, trials, accused = 0.2, 300, 0
    holders = [str(r) for r in range(60)]
    held = [frozenset(holders), frozenset(holders[:40]), frozenset(holders[20:])]
    for trial in range(trials):
        codes = [Code.derive(b"simulation-key-0123456789abcdef", f"fw:{trial}:{k}", 40, CodeSpec()) for k in range(3)]
        # The leaker "L" holds every document but is not scored: all scored are innocent.
        blocks = []
        for code, who in zip(codes, held, strict=True):
            pos = np.sort(rng.choice(40, size=25, replace=False)).astype(np.int64)
            blocks.append(Block(code, Observation(pos, code.codeword("L")[pos]), who))
        found = decode_blocks(blocks, holders, colluders=2, read_error=0.02, eps=eps)
        accused += any(e.bound <= eps for e in found)
    # Observed family-wise rate: at most eps, with four standard errors of slack.
    assert accused / trials <= eps + 4 * math.sqrt(eps * (1 - eps) / trials)


QARY_INNOCENTS = 1_000_000


def test_qary_innocent_scores_stay_below_their_bound() -> None:
    """Positions of 2 to 24 symbols mixed (a version with author variants and content
    canaries), a leak of two colluders interleaved: one million simulated innocents under
    every test."""
    rng = np.random.default_rng(20261203)
    m = 50
    alphabets = {k: 3 + k % (Code.MAX_Q - 2) for k in range(0, m, 2)}
    code = Code.derive(b"simulation-key-0123456789abcdef", "qary-sim", m, CodeSpec(), alphabets=alphabets)
    coalition = np.stack([code.codeword(str(r)) for r in range(2)])
    y = coalition[rng.integers(0, 2, m), np.arange(m)].astype(np.uint8)
    pos = np.arange(m, dtype=np.int64)
    p_match = code.p_symbol(pos, y)
    tests = score_tests(p_match, colluders=3, read_error=0.02)
    scores = {t.name: [] for t in tests}
    for _ in range(QARY_INNOCENTS // 100_000):
        # Each innocent's symbol agrees with the leak's with the position's probability.
        agree = rng.random((100_000, m)) < p_match
        for t in tests:
            scores[t.name].append(agree @ (t.match - t.mismatch) + t.mismatch.sum())
    for t in tests:
        _assert_below_bound(np.concatenate(scores[t.name]), p_match, t, (0.99, 0.999, 0.9999, 0.99999))


@pytest.mark.parametrize("uniform", [False, True])
def test_qary_innocents_drawn_from_the_code_itself_agree_as_often_as_p_symbol_says(uniform: bool) -> None:
    """The match chance the bound uses is the real one: innocents' codewords from the keyed stream."""
    alphabets = {k: 3 + k % (Code.MAX_Q - 2) for k in range(0, 30, 2)}
    spec = CodeSpec(qary_uniform=uniform)
    code = Code.derive(b"simulation-key-0123456789abcdef", "qary-check", 30, spec, alphabets=alphabets)
    y = code.codeword("leaker")
    pos = np.arange(30, dtype=np.int64)
    agree = (code.codewords([f"i{r}" for r in range(20_000)]) == y[None, :]).mean(axis=0)
    assert np.max(np.abs(agree - code.p_symbol(pos, y))) < 0.02
