"""The keyed code: deterministic, key-dependent, with the intended bias statistics."""

from __future__ import annotations

import numpy as np

from barium.codes import Code, CodeSpec, Observation, decode

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
