"""How long a quote of a document names its source: an estimate from the version's own marks.

For a passage of w consecutive words of one recipient's copy, the version's plan says which
code positions its marks carry. Read as the tracer assumes (each mark right but for
``read_error``), the passage gives its holder the single-leaker test's expected score on
those positions; it names the holder when the exact Chernoff bound at that score, with the
union over the recipients and the test's share of eps that :func:`barium.codes.decode_blocks`
uses, is at most eps. The estimate is the shortest w at which at least half of the passages
of w words, taken evenly across the document, name their (virtual) holder: codewords drawn
from the version's code for identities no recipient has.

Two journeys of a leak: *pasted* (the text as it is: every channel a text shows) and
*retyped* (what survives a retype: author variants and canaries, orthography, punctuation
style). Layout is read only from a PDF or a picture, and is counted in neither.

An estimate, not a measurement: it assumes that every mark in the passage is read. The
tracing benchmark measures the real figures on the BBC corpus (README, Evidence); on its
house-style documents both say about 2,000 retyped words.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from barium.codes import Code
from barium.codes.bounds import TailBound
from barium.codes.decode import score_tests, usable_shares
from barium.marking.plan import MarkPlan
from barium.text import tokenize

PASTED = frozenset({"variants", "orthography", "punctuation", "typography", "invisible"})
RETYPED = frozenset({"variants", "orthography", "punctuation"})
# Passage lengths tried, in words: round figures, as the estimate is given.
SIZES: tuple[int, ...] = (10, 15, 20, 25, 30, 40, 50, 60, 75, 100, 125, 150, 200, 250, 300, 400, 500, 600, 800)
SIZES += (1000, 1250, 1500, 2000, 2500, 3000, 4000, 5000, 7500, 10_000, 15_000, 20_000)
PASSAGES = 24  # passages tried per length
HOLDERS = 8  # virtual holders, one per passage in turn


@dataclass(frozen=True, slots=True)
class Reach:
    """Words of a quote that name its holder among ``recipients`` at ``max_false_accusation``
    (None: not even the whole document), pasted and retyped; and the distinct code positions
    per 100 words each journey keeps."""

    recipients: int
    max_false_accusation: float
    words: int
    pasted: int | None
    retyped: int | None
    pasted_positions: float
    retyped_positions: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "recipients": self.recipients,
            "max_false_accusation": self.max_false_accusation,
            "words": self.words,
            "pasted_words": self.pasted,
            "retyped_words": self.retyped,
            "pasted_positions_per_100_words": round(self.pasted_positions, 2),
            "retyped_positions_per_100_words": round(self.retyped_positions, 2),
        }


def reach(
    plan: MarkPlan,
    code: Code,
    master: str,
    *,
    recipients: int,
    max_false_accusation: float,
    read_error: float,
    colluders: int,
) -> Reach:
    starts = [t.start for t in tokenize(master)]
    words = len(starts)
    union = max(recipients, 1)
    marks: dict[frozenset[str], list[tuple[int, tuple[int, ...]]]] = {PASTED: [], RETYPED: []}
    for i, site in enumerate(plan.sites):
        positions = plan.positions_of(i)
        if not positions:
            continue
        word = max(bisect.bisect_right(starts, site.start) - 1, 0)
        for journey, channels in marks.items():
            if site.channel in journey:
                channels.append((word, positions))

    def names(positions: np.ndarray[Any, np.dtype[np.int64]], holder: int) -> bool:
        if positions.size == 0:
            return False
        symbols = code.codeword(f"reach-{holder}")[positions]
        p = code.p_symbol(positions, symbols)
        tests = score_tests(p, colluders=colluders, read_error=read_error)
        single = tests[0]
        share = usable_shares(tests, p, union=union, eps=max_false_accusation)["single"]
        expected = float(np.sum((1 - read_error) * single.match + read_error * single.mismatch))
        log_bound = TailBound(p, single.match, single.mismatch).log_bound(expected) + math.log(union / share)
        return log_bound <= math.log(max_false_accusation)

    def shortest(found: list[tuple[int, tuple[int, ...]]]) -> int | None:
        at = [w for w, _ in found]
        for size in (s for s in SIZES if s <= words) if words else ():
            first = np.linspace(0, words - size, num=min(PASSAGES, words - size + 1)).astype(int)
            named = 0
            for n, k in enumerate(first.tolist()):
                lo, hi = bisect.bisect_left(at, k), bisect.bisect_left(at, k + size)
                inside = np.unique(np.array([q for _, ps in found[lo:hi] for q in ps], dtype=np.int64))
                named += names(inside, n % HOLDERS)
            if 2 * named >= len(first):
                return size
        whole = np.unique(np.array([q for _, ps in found for q in ps], dtype=np.int64))
        return words if words and names(whole, 0) else None

    def density(found: list[tuple[int, tuple[int, ...]]]) -> float:
        distinct = len({q for _, ps in found for q in ps})
        return 100 * distinct / words if words else 0.0

    return Reach(
        recipients,
        max_false_accusation,
        words,
        shortest(marks[PASTED]),
        shortest(marks[RETYPED]),
        density(marks[PASTED]),
        density(marks[RETYPED]),
    )
