"""Word hashes and word n-gram hashes: the fingerprints the index stores.

A word's hash is the first 8 bytes of its key's BLAKE2b digest, stable across
processes (unlike :func:`hash`), so that saved indexes stay valid. N-gram hashes
are a polynomial over word hashes, computed for a whole text at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

import numpy as np
import numpy.typing as npt

Hashes = npt.NDArray[np.uint64]
T = TypeVar("T", bound=np.generic)

_CACHE: dict[str, int] = {}
_CACHE_MAX = 500_000
# Odd 64-bit multipliers: a polynomial hash over random word hashes.
_MULT = np.uint64(0x9E3779B97F4A7C15)


def word_hash(key: str) -> int:
    h = _CACHE.get(key)
    if h is None:
        h = int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = h
    return h


def word_hashes(keys: Sequence[str]) -> Hashes:
    """One uint64 per word key."""
    return np.fromiter((word_hash(k) for k in keys), dtype=np.uint64, count=len(keys))


def ngram_hashes(words: Hashes, n: int) -> Hashes:
    """Hash of every run of ``n`` consecutive words (``len(words) - n + 1`` values)."""
    count = len(words) - n + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    out = words[:count].copy()
    for k in range(1, n):
        out *= _MULT  # wraps modulo 2**64, which is what a hash wants
        out ^= words[k : k + count]
    return out


def distinct(values: npt.NDArray[T]) -> npt.NDArray[T]:
    """The sorted distinct values.

    What :func:`numpy.unique` returns, by a sort and a mask: numpy 2.4's unique
    (and ``isin``, ``union1d``, ``setdiff1d``, built on it) is a hundred times
    slower on arrays of random 64-bit hashes.
    """
    s = np.sort(values)
    if len(s) < 2:
        return s
    keep = np.empty(len(s), dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def member(values: Hashes, among: Hashes) -> npt.NDArray[np.bool_]:
    """Which ``values`` are in ``among`` (sorted and distinct), by binary search."""
    if len(among) == 0:
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(among, values), len(among) - 1)
    return np.asarray(among[at] == values, dtype=bool)


def union(*parts: Hashes) -> Hashes:
    """Sorted distinct values of all parts."""
    return distinct(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.uint64)
