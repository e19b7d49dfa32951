"""Colluders mixing their copies."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from barium.marking.plan import MarkPlan
from barium.text.sentences import sentence_spans


def interleave_sentences(copies: Sequence[str], rng: random.Random) -> str:
    """Each sentence taken from a random colluder's copy, joined by single spaces.

    Every copy is split into its own sentences (:mod:`barium.text.sentences`) and the
    i-th sentence comes from one of them: marks never move a sentence boundary, so
    the i-th sentences of two copies are the same sentence of the master.
    """
    split = [[c[a:b] for a, b in sentence_spans(c)] for c in copies]
    n = min(len(s) for s in split)
    return " ".join(split[rng.randrange(len(copies))][i] for i in range(n))


def majority_per_site(
    plan: MarkPlan, master: str, codewords: Sequence[npt.NDArray[np.uint8]], rng: random.Random
) -> str:
    """At every site where the copies differ, the form most colluders show (ties at random).

    Colluders find the sites by comparing their copies, so sites where they agree keep
    the common form: the marking assumption.
    """
    chosen = [plan.forms_for(w) for w in codewords]
    mixed: list[int] = []
    for forms in zip(*chosen, strict=True):
        counts = Counter(forms).most_common()
        top = [f for f, c in counts if c == counts[0][1]]
        mixed.append(top[0] if len(top) == 1 else rng.choice(top))
    return plan.render_forms(master, mixed)
