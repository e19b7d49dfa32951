"""A stand-in for an author writing variants, so that benchmarks can measure what
author variants buy before anyone has written them for the BBC corpus.

Every ``every`` words one lower-case word becomes a variant with ``forms``
alternatives: the word itself and other words of the same article. The wording is
not meant to read well; for tracing only two things matter, and both hold for a
real author's one-word alternatives: the alternatives differ after a retype, and
the words around them are the master's.
"""

from __future__ import annotations

import random
import re

from barium.variants import format_variant

_WORD = re.compile(r"(?<![\w'’-])[a-z]{4,12}(?![\w'’-])")


def synthetic_variants(text: str, every: int, rng: random.Random, forms: int = 4) -> str:
    """``text`` with a ``forms``-way variant on about one word in ``every``."""
    words = [m for m in _WORD.finditer(text)]
    pool = sorted({m.group(0) for m in words})
    if len(pool) < forms:
        return text
    total = len(text.split())
    targets = max(1, total // every)
    picked = sorted(rng.sample(range(len(words)), min(targets, len(words))))
    out: list[str] = []
    pos = 0
    for i in picked:
        m = words[i]
        others = rng.sample([w for w in pool if w != m.group(0)], forms - 1)
        out.append(text[pos : m.start()])
        out.append(format_variant([m.group(0), *others]))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)
