"""The keyed code: deterministic, key-dependent, with the intended bias statistics."""

from __future__ import annotations

import numpy as np
import pytest

from barium.codes import Block, Code, CodeSpec, Observation, decode, decode_blocks

KEY = b"k" * 32


def test_codewords_are_deterministic_and_depend_on_key_document_and_recipient() -> None:
    code = Code.derive(KEY, "1:1", 500, CodeSpec())
    assert np.array_equal(code.codeword("7"), Code.derive(KEY, "1:1", 500, CodeSpec()).codeword("7"))
    assert not np.array_equal(code.codeword("7"), code.codeword("8"))
    assert not np.array_equal(code.codeword("7"), Code.derive(KEY, "1:2", 500, CodeSpec()).codeword("7"))
    assert not np.array_equal(code.codeword("7"), Code.derive(b"x" * 32, "1:1", 500, CodeSpec()).codeword("7"))


def test_biases_respect_the_cutoff_and_the_uniform_share() -> None:
    spec = CodeSpec(cutoff=0.05, uniform_share=0.3)
    p = Code.derive(KEY, "d", 20_000, spec).biases
    assert p.min() >= 0.05 - 1e-12 and p.max() <= 0.95 + 1e-12
    assert abs(np.mean(p == 0.5) - 0.3) < 0.02


def test_symbol_frequencies_follow_the_biases() -> None:
    code = Code.derive(KEY, "freq", 200, CodeSpec(uniform_share=0.0))
    words = code.codewords([str(r) for r in range(3000)])
    assert np.max(np.abs(words.mean(axis=0) - code.biases)) < 0.05


def test_decoding_a_clean_codeword_names_its_holder_alone() -> None:
    code = Code.derive(KEY, "dec", 400, CodeSpec())
    pos = np.arange(0, 400, 5, dtype=np.int64)
    obs = Observation(pos, code.codeword("42")[pos])
    evidence = decode(code, obs, [str(r) for r in range(1000)], colluders=3, read_error=0.02)
    assert evidence[0].recipient == "42" and evidence[0].bound < 1e-6
    assert all(e.bound > 1e-6 for e in evidence[1:])


def test_no_readable_positions_accuse_no_one() -> None:
    code = Code.derive(KEY, "empty", 50, CodeSpec())
    obs = Observation(np.array([], dtype=np.int64), np.array([], dtype=np.uint8))
    assert all(e.bound == 1.0 for e in decode(code, obs, ["1", "2", "3"], colluders=3, read_error=0.02))


def test_blocks_score_each_recipient_only_on_the_versions_they_hold() -> None:
    codes = [Code.derive(KEY, f"blk:{k}", 300, CodeSpec()) for k in range(2)]
    pos = np.arange(0, 300, 3, dtype=np.int64)
    everyone = [str(r) for r in range(100)]
    blocks = [
        Block(codes[0], Observation(pos, codes[0].codeword("7")[pos]), frozenset(everyone)),
        Block(codes[1], Observation(pos, codes[1].codeword("7")[pos]), frozenset(everyone[:50])),
    ]
    found = {e.recipient: e for e in decode_blocks(blocks, everyone, colluders=2, read_error=0.02, top=100)}
    seven = found["7"]
    assert seven.bound < 1e-9 and seven.parts[0] is not None and seven.parts[1] is not None
    assert seven.score == pytest.approx(seven.parts[0] + seven.parts[1])
    assert all(e.parts[1] is None for r, e in found.items() if int(r) >= 50)
    assert all(e.bound > 1e-6 for r, e in found.items() if r != "7")
    # Alone, the first block's evidence is weaker than both together.
    (first,) = (
        e for e in decode(codes[0], blocks[0].observation, everyone, colluders=2, read_error=0.02) if e.recipient == "7"
    )
    assert first.bound > seven.bound


def test_merging_a_version_s_observations_counts_each_position_once() -> None:
    a = Observation(np.array([1, 2, 3], dtype=np.int64), np.array([0, 1, 1], dtype=np.uint8))
    b = Observation(np.array([3, 4], dtype=np.int64), np.array([0, 1], dtype=np.uint8), ambiguous=2)
    merged = Observation.merge([a, b])
    assert merged.positions.tolist() == [1, 2, 4] and merged.symbols.tolist() == [0, 1, 1]
    assert merged.ambiguous == 3  # two from b, and position 3 seen both ways
    assert Observation.merge([a, a]).positions.tolist() == [1, 2, 3]


def test_qary_symbols_follow_their_probabilities_and_an_innocent_s_match_chance_is_known() -> None:
    alphabets = {k: 3 + k % 6 for k in range(0, 60, 2)}
    code = Code.derive(KEY, "qfreq", 60, CodeSpec(uniform_share=0.5), alphabets=alphabets)
    words = code.codewords([str(r) for r in range(4000)])
    for pos, q in alphabets.items():
        probs = code.qary[pos]
        assert len(probs) == q and abs(probs.sum() - 1) < 1e-12
        freq = np.bincount(words[:, pos], minlength=q) / len(words)
        assert np.max(np.abs(freq - probs)) < 0.04
    pos = np.array(sorted(alphabets), dtype=np.int64)
    y = np.zeros(len(pos), dtype=np.uint8)
    assert np.allclose(code.p_symbol(pos, y), [code.qary[int(p)][0] for p in pos])
