"""Local alignment of two word sequences (Smith-Waterman), giving exact spans.

Words are compared by hash. The dynamic programme runs one leak word at a time,
vectorised over the document words: with a linear gap score the best horizontal
gap into cell j is a running maximum, so a row costs a handful of numpy
operations. Each cell carries where its alignment started, so the best local
alignment's span comes out without a traceback matrix.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from barium.detect.fingerprints import Hashes

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Local:
    """The best local alignment: half-open word ranges in both sequences."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    score: int


def local_align(a: Hashes, b: Hashes, *, match: int, mismatch: int, gap: int) -> Local | None:
    """Best-scoring local alignment of ``a`` and ``b``, or None if nothing scores above 0."""
    m = len(b)
    if len(a) == 0 or m == 0:
        return None
    idx = np.arange(m, dtype=np.int64)
    penalty = -gap * idx  # gap < 0: a horizontal gap of length k costs -gap * k
    h_prev = np.zeros(m, dtype=np.int64)
    # Start of the alignment ending in each cell, packed as a_start * m + b_start.
    s_prev = np.zeros(m, dtype=np.int64)
    best = Local(0, 0, 0, 0, 0)
    for i in range(len(a)):
        s = np.where(b == a[i], match, mismatch)
        diag = np.empty(m, dtype=np.int64)
        diag[0] = s[0]
        diag[1:] = h_prev[:-1] + s[1:]
        diag_start = np.empty(m, dtype=np.int64)
        diag_start[0] = i * m
        diag_start[1:] = np.where(h_prev[:-1] > 0, s_prev[:-1], i * m + idx[1:])
        up = h_prev + gap
        e = np.maximum(np.maximum(diag, up), 0)
        e_start = np.where(diag >= up, diag_start, s_prev)
        vals = e + penalty
        run = np.maximum.accumulate(vals)
        arg = np.maximum.accumulate(np.where(vals == run, idx, 0))
        h = run - penalty
        start = e_start[arg]
        j = int(np.argmax(h))
        if h[j] > best.score:
            st = int(start[j])
            best = Local(st // m, i + 1, st % m, j + 1, int(h[j]))
        h_prev, s_prev = h, start
    return best if best.score > 0 else None


def matched_words(a: Hashes, b: Hashes) -> int:
    """Words of ``a`` aligned to identical words of ``b`` (longest common blocks)."""
    sm = difflib.SequenceMatcher(None, a.tolist(), b.tolist(), autojunk=False)
    return sum(block.size for block in sm.get_matching_blocks())


def trimmed_blocks(a: Hashes, b: Hashes) -> list[tuple[int, int, int]]:
    """Blocks ``(i, j, size)`` of identical words, without lone words at either end.

    A local alignment may reach past the passage to one chance match (a "the"
    across a gap): a single word at the edge is no evidence, so it is dropped.
    """
    sm = difflib.SequenceMatcher(None, a.tolist(), b.tolist(), autojunk=False)
    blocks = [(m.a, m.b, m.size) for m in sm.get_matching_blocks() if m.size]
    while len(blocks) > 1 and blocks[0][2] == 1:
        blocks.pop(0)
    while len(blocks) > 1 and blocks[-1][2] == 1:
        blocks.pop()
    return blocks
