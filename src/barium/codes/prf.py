"""Keyed pseudo-random streams: every secret choice derives from the workspace key.

HMAC-SHA256 of the key and a label gives a seed; SHAKE-256 of the seed gives as
many bytes as needed. Nothing else about a copy must stay secret, and any copy
can be re-derived later for evidence from the key and the stored site list.
"""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]


def stream(key: bytes, label: str, *parts: bytes | str | int, nbytes: int) -> bytes:
    msg = label.encode()
    for part in parts:
        piece = part if isinstance(part, bytes) else str(part).encode()
        msg += b"\x1f" + piece
    seed = hmac.digest(key, msg, "sha256")  # one-shot: the same HMAC, a third of the cost per call
    return hashlib.shake_256(seed).digest(nbytes)


def uniforms(key: bytes, label: str, *parts: bytes | str | int, n: int) -> Floats:
    """n floats uniform on the open interval (0, 1), 53 bits each."""
    raw = np.frombuffer(stream(key, label, *parts, nbytes=8 * n), dtype="<u8")
    return (raw >> np.uint64(11)).astype(np.float64) * 2.0**-53 + 2.0**-54


def permutation(key: bytes, label: str, *parts: bytes | str | int, n: int) -> npt.NDArray[np.int64]:
    """A keyed permutation of range(n)."""
    if n <= _SMALL:
        return np.array(small_permutation(key, label, *parts, n=n), dtype=np.int64)
    return _permutation(key, label, *parts, n=n)


_SMALL = 16


def _permutation(key: bytes, label: str, *parts: bytes | str | int, n: int) -> npt.NDArray[np.int64]:
    return np.argsort(uniforms(key, label, *parts, n=n), kind="stable").astype(np.int64)


def small_permutation(key: bytes, label: str, *parts: bytes | str | int, n: int) -> list[int]:
    """:func:`permutation` for a few elements, without numpy's per-call overhead
    (a master has one per mark group): the same floats, the same stable order."""
    raw = stream(key, label, *parts, nbytes=8 * n)
    values = [(int.from_bytes(raw[8 * i : 8 * i + 8], "little") >> 11) * 2.0**-53 + 2.0**-54 for i in range(n)]
    return sorted(range(n), key=values.__getitem__)
