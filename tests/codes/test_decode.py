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


def test_a_position_read_as_a_set_agrees_with_a_copy_showing_any_of_it() -> None:
    code = Code.derive(
        b"simulation-key-0123456789abcdef", "sets", 3, CodeSpec(qary_uniform=True), alphabets={0: 24, 2: 6}
    )
    obs = Observation.of_sets({0: {3, 7}, 1: {1}, 2: {0, 1, 2}})
    assert np.allclose(
        obs.agree_chance(code), [2 / 24, code.p_symbol(np.array([1]), np.array([1], np.uint8))[0], 3 / 6]
    )
    words = np.array([[7, 1, 5], [4, 0, 2]], dtype=np.uint8)
    assert obs.agrees(words).tolist() == [[True, True, False], [False, False, True]]
    # Two leaks of one copy: what both allow; nothing in common: ambiguous.
    merged = Observation.merge([obs, Observation.of_sets({0: {7, 9}, 2: {4}})])
    assert merged.accepted() == {0: {7}, 1: {1}} and merged.ambiguous == 1


def test_innocents_drawn_from_the_code_agree_with_a_set_as_often_as_its_chance_says() -> None:
    alphabets = {k: 24 for k in range(8)}
    code = Code.derive(
        b"simulation-key-0123456789abcdef", "set-check", 8, CodeSpec(qary_uniform=True), alphabets=alphabets
    )
    obs = Observation.of_sets({k: set(range(k + 1)) for k in range(8)})
    agree = obs.agrees(code.codewords([f"i{r}" for r in range(20_000)], obs.positions)).mean(axis=0)
    assert np.max(np.abs(agree - obs.agree_chance(code))) < 0.02


def test_set_valued_readings_keep_the_whole_rule_within_eps() -> None:
    """Short observations of lists named in part (sets of 1 to q-1 symbols), the leaker
    not scored: the family-wise rate of accusing anyone stays at most eps."""
    rng = np.random.default_rng(20261204)
    eps, trials, accused = 0.2, 2000, 0
    holders = [str(r) for r in range(5)]
    for trial in range(trials):
        m = int(rng.integers(2, 16))
        alphabets = {k: int(rng.integers(3, Code.MAX_Q + 1)) for k in range(m)}
        code = Code.derive(
            b"simulation-key-0123456789abcdef", f"sets:{trial}", m, CodeSpec(qary_uniform=True), alphabets=alphabets
        )
        leaked = code.codeword("L")
        sets = {}
        for k, q in alphabets.items():
            others = [s for s in range(q) if s != leaked[k]]
            sets[k] = {
                int(leaked[k]),
                *rng.choice(others, size=int(rng.integers(0, min(3, q - 1))), replace=False).tolist(),
            }
        block = Block(code, Observation.of_sets(sets), frozenset(holders))
        found = decode_blocks([block], holders, colluders=3, read_error=0.02, eps=eps)
        accused += any(e.bound <= eps for e in found)
    assert accused / trials <= eps + 4 * math.sqrt(eps * (1 - eps) / trials)
