"""The fingerprint code: per-position biases and per-recipient symbols.

Position i has a bias p_i; recipient j's symbol is 1 with probability p_i, drawn
from the keyed stream. Biases follow the arcsine density on [t, 1-t] (optimal
against colluders, Tardos/Skoric), except a share ``uniform_share`` of positions
fixed at p = 1/2, which carry a full bit each and win the common single-leaker
case (FIELD.md section 1: measure both, bound each).

A position may also be q-ary (a site with q usable forms carries one symbol of q
values rather than floor(log2 q) bits). Its symbol probabilities are uniform, 1/q
each, for the same share of positions, and otherwise q arcsine draws normalised to
sum to one (biased symbols, as the binary code's, for collusion). The decoders need
only P(an innocent shows the symbol read) per position (:meth:`Code.p_symbol`), so
their bounds hold unchanged. Binary positions derive exactly as in a code without
q-ary positions, so copies issued before stay what they were.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from barium.codes.prf import stream, uniforms

Floats = npt.NDArray[np.float64]
Bits = npt.NDArray[np.uint8]
# Who holds a codeword: a recipient's code identity (``RecipientInfo.uid``), minted
# once and never reused. Never a database row id, which a restored database reissues:
# an int is refused, so that a row id cannot slip in where the identity belongs.
Holder = str


@dataclass(frozen=True, slots=True)
class CodeSpec:
    """How biases are drawn.

    ``cutoff`` (t) keeps biases away from 0 and 1, where a position's score is
    heavy-tailed; ``uniform_share`` is the fraction of positions with p = 1/2.
    """

    cutoff: float = 0.02
    uniform_share: float = 0.75
    # Every q-ary position uniform (1/q per symbol): q-ary positions are an author's
    # few variants and content canaries, where a single leaker's evidence is what
    # counts. Versions registered before this came have some arcsine ones.
    qary_uniform: bool = False

    def __post_init__(self) -> None:
        if not 0 < self.cutoff < 0.5:
            raise ValueError("cutoff must lie in (0, 0.5)")
        if not 0 <= self.uniform_share <= 1:
            raise ValueError("uniform_share must lie in [0, 1]")


@dataclass(frozen=True, slots=True)
class Code:
    """The code of one document version: its key, identity and biases."""

    key: bytes = field(repr=False)  # the workspace key: never printed
    code_id: str
    biases: Floats  # P(symbol 1) of each binary position (unused at q-ary ones)
    # Per q-ary position, its symbols' probabilities (q of them, summing to one).
    qary: dict[int, Floats] = field(default_factory=dict)
    # Codewords already derived (bounded): tracing many leaks reuses them.
    _cache: dict[str, Bits] = field(default_factory=dict, repr=False, compare=False)
    CACHE_LIMIT = 4096
    MAX_Q = 24  # an order of four items has 24 forms

    @classmethod
    def derive(
        cls, key: bytes, code_id: str, length: int, spec: CodeSpec, alphabets: dict[int, int] | None = None
    ) -> Code:
        """The code of a version; ``alphabets`` maps each q-ary position to its q (3..MAX_Q)."""
        u = uniforms(key, "bias", code_id, n=length)
        v = uniforms(key, "bias-mix", code_id, n=length)
        r0 = math.asin(math.sqrt(spec.cutoff))
        p = np.sin(r0 + u * (math.pi / 2 - 2 * r0)) ** 2
        p[v < spec.uniform_share] = 0.5
        qary: dict[int, Floats] = {}
        for pos, q in sorted((alphabets or {}).items()):
            if not 2 < q <= cls.MAX_Q or not 0 <= pos < length:
                raise ValueError(f"a q-ary position needs 2 < q <= {cls.MAX_Q} and a place in the code")
            if spec.qary_uniform or v[pos] < spec.uniform_share:
                qary[pos] = np.full(q, 1.0 / q)
            else:
                r = np.sin(r0 + uniforms(key, "qbias", code_id, pos, n=q) * (math.pi / 2 - 2 * r0)) ** 2
                qary[pos] = r / r.sum()
        return cls(key=key, code_id=code_id, biases=p, qary=qary)

    def p_symbol(self, positions: npt.NDArray[np.int64], symbols: npt.NDArray[np.uint8]) -> Floats:
        """P(an innocent recipient's symbol is ``symbols[i]`` at ``positions[i]``)."""
        p1 = self.biases[positions]
        out: Floats = np.where(symbols == 1, p1, 1 - p1)
        if self.qary:
            for i, (pos, sym) in enumerate(zip(positions.tolist(), symbols.tolist(), strict=True)):
                probs = self.qary.get(pos)
                if probs is not None:
                    out[i] = probs[sym] if sym < len(probs) else 0.0
        return out

    @property
    def length(self) -> int:
        return int(self.biases.shape[0])

    def codeword(self, holder: Holder) -> Bits:
        """The holder's symbols at every position (0/1)."""
        if not isinstance(holder, str):
            raise TypeError(f"a codeword's holder is a code identity (str), not {type(holder).__name__}")
        word = self._cache.get(holder)
        if word is None:
            raw = np.frombuffer(
                stream(self.key, "symbols", self.code_id, holder, nbytes=4 * self.length),
                dtype="<u4",
            )
            u = raw.astype(np.float64) * 2.0**-32
            word = (u < self.biases).astype(np.uint8)
            for pos, probs in self.qary.items():
                # The first symbol whose cumulative probability passes u (clipped: rounding).
                word[pos] = min(int(np.searchsorted(np.cumsum(probs), u[pos], side="right")), len(probs) - 1)
            word.flags.writeable = False
            if len(self._cache) < self.CACHE_LIMIT:
                self._cache[holder] = word
        return word

    def fingerprint(self, holder: Holder) -> str:
        """A digest of the holder's codeword, to refuse two holders one code."""
        word = self.codeword(holder)
        return hashlib.sha256(self.code_id.encode() + b"\x1f" + np.packbits(word).tobytes()).hexdigest()

    def codewords(self, recipients: Sequence[Holder], positions: npt.NDArray[np.int64] | None = None) -> Bits:
        """A matrix of codewords, one row per recipient, optionally restricted to positions."""
        rows = np.empty((len(recipients), self.length if positions is None else len(positions)), np.uint8)
        for row, recipient in enumerate(recipients):
            word = self.codeword(recipient)
            rows[row] = word if positions is None else word[positions]
        return rows
