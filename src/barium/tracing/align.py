"""Aligning a leak to a master word by word, even for excerpts, reordered or
embedded passages and light edits.

Anchors are shared runs of k consecutive word keys (k-grams). Matches on the same
diagonal extend into runs; runs are accepted longest first, each word of the leak
and of the master used at most once. Marks change a word here and there
(``towards``/``toward``), which only splits a run: the words around each site stay
aligned, which is all the site reader needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from barium.text.tokens import Token

Ints = npt.NDArray[np.int64]

K = 3
MAX_OCCURRENCES = 64  # k-grams more frequent than this in one master are no anchors
AMBIGUOUS_RUN = 4  # k-grams a run needs when none of them is unique in the master


@dataclass(frozen=True, slots=True)
class Run:
    leak_start: int
    master_start: int
    length: int


@dataclass(frozen=True, slots=True)
class Alignment:
    """``master_to_leak[j]`` is the leak word aligned to master word j, or -1."""

    master_to_leak: Ints
    runs: tuple[Run, ...]

    @property
    def aligned_words(self) -> int:
        return int(np.count_nonzero(self.master_to_leak >= 0))

    def evidence_words(self, min_run: int) -> int:
        """Words aligned in runs of at least ``min_run`` words: chance phrases excluded."""
        return sum(r.length for r in self.runs if r.length >= min_run)


class MasterIndex:
    """The k-gram anchors of one master, built once and reused across traces."""

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = list(tokens)
        keys = [t.key for t in self.tokens]
        index: dict[tuple[str, ...], list[int]] = {}
        for j in range(len(keys) - K + 1):
            index.setdefault(tuple(keys[j : j + K]), []).append(j)
        self._index = {g: js for g, js in index.items() if len(js) <= MAX_OCCURRENCES}

    def align(self, leak: Sequence[Token]) -> Alignment:
        keys = [t.key for t in leak]
        runs: list[Run] = []
        # diagonal -> (leak start, length in k-grams, any k-gram unique in the master)
        open_runs: dict[int, tuple[int, int, bool]] = {}

        def close(d: int, start: int, n: int, unique: bool) -> None:
            # A short run made only of phrases the master repeats ("it's early;
            # they'll" in every paragraph) may sit on the wrong occurrence: it would
            # anchor sites to another paragraph's words, so it anchors nothing.
            if unique or n >= AMBIGUOUS_RUN:
                runs.append(Run(start, start + d, n + K - 1))

        for i in range(len(keys) - K + 1):
            hits = self._index.get(tuple(keys[i : i + K]), ())
            still: dict[int, tuple[int, int, bool]] = {}
            for j in hits:
                d = j - i
                start, n, unique = open_runs.get(d, (i, 0, False))
                still[d] = (start, n + 1, unique or len(hits) == 1)
            for d, (start, n, unique) in open_runs.items():
                if d not in still:
                    close(d, start, n, unique)
            open_runs = still
        for d, (start, n, unique) in open_runs.items():
            close(d, start, n, unique)

        runs.sort(key=lambda r: (-r.length, r.leak_start))
        leak_used = np.zeros(len(keys), dtype=bool)
        master_to_leak = np.full(len(self.tokens), -1, dtype=np.int64)
        accepted: list[Run] = []
        for run in runs:
            took = 0
            for t in range(run.length):
                i, j = run.leak_start + t, run.master_start + t
                if leak_used[i] or master_to_leak[j] >= 0:
                    continue
                leak_used[i] = True
                master_to_leak[j] = i
                took += 1
            if took:
                accepted.append(Run(run.leak_start, run.master_start, took))
        return Alignment(master_to_leak=master_to_leak, runs=tuple(accepted))
