"""Merkle tree hashing of RFC 6962 (Certificate Transparency), as restated in RFC 9162.

A leaf's hash is ``SHA-256(0x00 || data)`` and an inner node's ``SHA-256(0x01 ||
left || right)``; the tree of ``n`` leaves splits at the largest power of two
below ``n``. The two prefixes keep a leaf from ever passing for a node. Anyone can
check an inclusion proof with these few lines and SHA-256: a reader of an evidence
report needs no Barium to do it (``verify_inclusion`` follows RFC 9162, 2.1.3.2).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["Frontier", "inclusion_proof", "leaf_hash", "node_hash", "tree_root", "verify_inclusion"]

EMPTY_ROOT = hashlib.sha256(b"").digest()  # the hash of a tree with no leaves (RFC 6962, 2.1)


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n >= 2): where RFC 6962 splits a tree."""
    return 1 << ((n - 1).bit_length() - 1)


@dataclass
class Frontier:
    """The roots of the perfect subtrees a log of ``size`` leaves ends in, largest first.

    Enough to append a leaf and to compute the tree's root in O(log n), without
    reading the leaves again: what the database keeps as the log's head.
    """

    size: int = 0
    roots: list[tuple[int, bytes]] = field(default_factory=list)  # (leaves under it, its hash)

    def append(self, leaf: bytes) -> None:
        self.roots.append((1, leaf))
        self.size += 1
        while len(self.roots) >= 2 and self.roots[-1][0] == self.roots[-2][0]:
            (width, right), (_, left) = self.roots.pop(), self.roots.pop()
            self.roots.append((2 * width, node_hash(left, right)))

    def root(self) -> bytes:
        if not self.roots:
            return EMPTY_ROOT
        # The right edge of an RFC 6962 tree: the smaller subtrees fold into the larger, right to left.
        acc = self.roots[-1][1]
        for _, left in reversed(self.roots[:-1]):
            acc = node_hash(left, acc)
        return acc

    def to_json(self) -> list[list[int | str]]:
        return [[width, digest.hex()] for width, digest in self.roots]

    @classmethod
    def from_json(cls, roots: list[list[int | str]]) -> Frontier:
        parsed = [(int(w), bytes.fromhex(str(h))) for w, h in roots]
        return cls(sum(w for w, _ in parsed), parsed)


def tree_root(leaves: Sequence[bytes]) -> bytes:
    """The root of the tree over ``leaves`` (leaf hashes), in one pass."""
    frontier = Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    return frontier.root()


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree over ``leaves`` (RFC 6962, 2.1.1)."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf {index} is not in a tree of {len(leaves)}")
    path: list[bytes] = []
    lo, hi = 0, len(leaves)
    while hi - lo > 1:
        k = _split(hi - lo)
        if index - lo < k:
            path.append(tree_root(leaves[lo + k : hi]))
            hi = lo + k
        else:
            path.append(tree_root(leaves[lo : lo + k]))
            lo += k
    return path[::-1]  # from the leaf's sibling up to the root's child


def verify_inclusion(leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes) -> bool:
    """Whether ``path`` proves that ``leaf`` is leaf ``index`` of the tree of ``size`` with ``root``."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root
