"""The decoder's choice and weighting of its tests."""

from __future__ import annotations

import math

import numpy as np

from barium.codes import Block, Code, CodeSpec, Observation, decode_blocks, score_tests
from barium.codes.decode import eps_shares, usable_shares


def test_the_tests_share_the_false_accusation_budget_single_leaker_half() -> None:
    names = [t.name for t in score_tests(np.empty(0), colluders=3, read_error=0.02)]
    shares = eps_shares(names)
    assert shares["single"] == 0.5
    assert math.isclose(sum(shares.values()), 1.0)
    assert eps_shares(["single"]) == {"single": 1.0}
    assert eps_shares(["tardos", "interleave-2"]) == {"tardos": 0.5, "interleave-2": 0.5}


def test_collusion_tests_that_could_never_accuse_on_this_evidence_get_no_share() -> None:
    # Ten canaries of 4 to 24 forms: no coalition member could reach 1e-6 under the
    # collusion tests, so the single-leaker test gets all of eps.
    canaries = 1 / np.array([5, 24, 24, 4, 11, 24, 5, 4, 5, 7], dtype=np.float64)
    tests = score_tests(canaries, colluders=3, read_error=0.02)
    assert usable_shares(tests, canaries, union=100, eps=1e-6) == {"single": 1.0}
    # A long quote's 400 binary positions: every test can work, and they share as before.
    long = np.full(400, 0.5)
    tests = score_tests(long, colluders=3, read_error=0.02)
    assert usable_shares(tests, long, union=1000, eps=1e-6) == eps_shares([t.name for t in tests])


def test_choosing_the_tests_from_the_evidence_keeps_the_whole_rule_within_eps() -> None:
    """Innocents scored on short q-ary observations, where the tests kept vary with what
    was read: the family-wise rate of accusing anyone stays at most eps."""
    rng = np.random.default_rng(20261203)
    eps, trials, accused = 0.2, 3000, 0
    holders = [str(r) for r in range(5)]
    kept: set[int] = set()
    for trial in range(trials):
        m = int(rng.integers(2, 24))
        # Binary positions (house style) beside 3- to 24-way ones (canaries), uniform as issued.
        alphabets = {k: q for k in range(m) if (q := int(rng.integers(2, Code.MAX_Q + 1))) > 2}
        spec = CodeSpec(qary_uniform=True)
        code = Code.derive(b"simulation-key-0123456789abcdef", f"pick:{trial}", m, spec, alphabets=alphabets)
        pos = np.sort(rng.choice(m, size=int(rng.integers(1, m + 1)), replace=False)).astype(np.int64)
        # The leaker "L" is not scored: everyone scored is innocent.
        block = Block(code, Observation(pos, code.codeword("L")[pos]), frozenset(holders))
        found = decode_blocks([block], holders, colluders=3, read_error=0.02, eps=eps)
        accused += any(e.bound <= eps for e in found)
        p = code.p_symbol(pos, code.codeword("L")[pos])
        kept.add(len(usable_shares(score_tests(p, colluders=3, read_error=0.02), p, union=5, eps=eps)))
    assert {1, 4} <= kept  # the rule was exercised: single alone, and with the collusion tests
    assert accused / trials <= eps + 4 * math.sqrt(eps * (1 - eps) / trials)
