"""The fingerprint code: keyed biases and symbols, decoders, rigorous bounds. No text, no I/O."""

from barium.codes.bounds import log_tail_bound
from barium.codes.code import Code, CodeSpec, Holder
from barium.codes.decode import Block, Evidence, Observation, decode, decode_blocks, score_of, score_tests
from barium.codes.prf import permutation, uniforms

__all__ = [
    "Block",
    "Code",
    "CodeSpec",
    "Evidence",
    "Holder",
    "Observation",
    "decode",
    "decode_blocks",
    "log_tail_bound",
    "permutation",
    "score_of",
    "score_tests",
    "uniforms",
]
