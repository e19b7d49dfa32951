"""The fingerprint code: keyed biases and symbols, decoders, rigorous bounds. No text, no I/O."""

from barium.codes.bounds import log_tail_bound
from barium.codes.code import Code, CodeSpec
from barium.codes.decode import Evidence, Observation, decode, test_values
from barium.codes.prf import permutation, uniforms

__all__ = [
    "Code",
    "CodeSpec",
    "Evidence",
    "Observation",
    "decode",
    "log_tail_bound",
    "permutation",
    "test_values",
    "uniforms",
]
