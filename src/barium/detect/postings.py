"""The inverted index of word n-grams, kept up to date as versions come and go.

Every n-gram of every indexed version, sorted, with the version (a slot) and the
position it starts at; and the *banal* n-grams, those found in more than
``max_document_frequency`` documents (versions of one document count once).

It is built in one sort the first time it is needed; after that adding a version
merges its n-grams in and removing one masks them out, both linear in the size of
the index, and only the n-grams of that version can change banality, so only
their document frequencies are recounted. Banal n-grams stay in the arrays: a
search ignores them (and public ones) when it looks them up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from barium.detect.fingerprints import Hashes, distinct, member, ngram_hashes, union

Ints = npt.NDArray[np.int32]


@dataclass(slots=True)
class Postings:
    """Sorted n-gram postings of the versions in ``keys`` (slot ``i`` is ``keys[i]``)."""

    ngram: int
    max_document_frequency: int
    grams: Hashes = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    docs: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    positions: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    banal: Hashes = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    keys: list[str] = field(default_factory=list)
    # Document (group) of every slot, as small integers.
    slot_group: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    _group_ids: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, versions: Sequence[tuple[str, str, Hashes]], *, ngram: int, max_document_frequency: int) -> Postings:
        """Postings of ``(key, document, word hashes)`` triples, in one sort."""
        p = cls(ngram, max_document_frequency)
        per_doc = [ngram_hashes(words, ngram) for _, _, words in versions]
        p.keys = [key for key, _, _ in versions]
        p.slot_group = np.asarray([p._group(g) for _, g, _ in versions], dtype=np.int64)
        if not per_doc:
            return p
        grams = np.concatenate(per_doc)
        docs = np.repeat(np.arange(len(per_doc), dtype=np.int32), [len(g) for g in per_doc])
        positions = np.concatenate([np.arange(len(g), dtype=np.int32) for g in per_doc])
        order = np.argsort(grams, kind="stable")
        p.grams, p.docs, p.positions = grams[order], docs[order], positions[order]
        p.banal = p._banal_among(distinct(p.grams))
        return p

    def add(self, key: str, document: str, words: Hashes) -> None:
        """Merge one version's n-grams in; only their banality can change."""
        grams = ngram_hashes(words, self.ngram)
        slot = len(self.keys)
        self.keys.append(key)
        self.slot_group = np.append(self.slot_group, self._group(document))
        if len(grams) == 0:
            return
        order = np.argsort(grams, kind="stable")
        new = grams[order]
        # After the equal n-grams already there: within one n-gram, slots stay in
        # the order a single sort of every version would give.
        at = np.searchsorted(self.grams, new, side="right")
        self.grams = np.insert(self.grams, at, new)
        self.docs = np.insert(self.docs, at, np.int32(slot))
        self.positions = np.insert(self.positions, at, order.astype(np.int32))
        self.banal = union(self.banal, self._banal_among(distinct(new)))

    def remove(self, key: str) -> None:
        """Mask one version's n-grams out; n-grams it made banal may stop being so."""
        slot = self.keys.index(key)
        mine = self.docs == slot
        touched = distinct(self.grams[mine])
        keep = ~mine
        self.grams, self.docs, self.positions = self.grams[keep], self.docs[keep], self.positions[keep]
        self.docs = self.docs - (self.docs > slot).astype(np.int32)
        del self.keys[slot]
        self.slot_group = np.delete(self.slot_group, slot)
        were = touched[member(touched, self.banal)]
        gone = were[~member(were, self._banal_among(were))]
        self.banal = self.banal[~member(self.banal, gone)]

    def lookup(self, grams: Hashes) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """For each n-gram, the half-open range of its postings."""
        return (
            np.searchsorted(self.grams, grams, side="left"),
            np.searchsorted(self.grams, grams, side="right"),
        )

    # -- internals --------------------------------------------------------------

    def _group(self, name: str) -> int:
        return self._group_ids.setdefault(name, len(self._group_ids))

    def _banal_among(self, unique: Hashes) -> Hashes:
        """Those of the (sorted, distinct) n-grams found in too many documents."""
        if len(unique) == 0:
            return unique
        lo, hi = self.lookup(unique)
        counts = hi - lo
        total = int(counts.sum())
        which = np.repeat(np.arange(len(unique), dtype=np.int64), counts)
        at = np.repeat(lo - np.concatenate(([0], np.cumsum(counts)[:-1])), counts) + np.arange(total)
        groups = self.slot_group[self.docs[at]]
        width = np.int64(len(self._group_ids) + 1)
        pairs = distinct(which * width + groups)  # one per (n-gram, document)
        df = np.bincount(pairs // width, minlength=len(unique))
        return unique[df > self.max_document_frequency]
