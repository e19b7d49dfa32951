"""Scoring recipients against what a leak shows, and bounding false accusation.

Several tests run side by side, each a sum over readable positions of a match
value ``a`` or a mismatch value ``b``; each has its own rigorous tail bound
(:mod:`barium.codes.bounds`), and a recipient's reported bound is the best one
times the number of tests and the number of recipients scored (a union bound):

- ``single``: log-likelihood ratio of "this recipient is the only source" (with a
  small read-error rate) against "innocent". Strongest when one person leaked.
- ``interleave-c``: log-likelihood ratio against c colluders mixing their copies
  (Laarhoven 2015): robust to collusion and to edits, for c = 2..colluders.
- ``tardos``: the symmetric Tardos score (Skoric et al.), mean 0 and variance 1
  per position for an innocent whatever the attack.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from barium.codes.bounds import TailBound
from barium.codes.code import Code, Holder

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Observation:
    """What a leak shows: one symbol at each readable position.

    Positions whose sites showed both symbols (copies were mixed) are counted in
    ``ambiguous`` and carry no term: treating them as erasures keeps every test's
    innocent distribution exact.
    """

    positions: Ints
    symbols: npt.NDArray[np.uint8]
    ambiguous: int = 0

    def __len__(self) -> int:
        return int(self.positions.shape[0])


@dataclass(frozen=True, slots=True)
class ScoreTest:
    name: str
    match: Floats
    mismatch: Floats


@dataclass(frozen=True, slots=True)
class Evidence:
    """One recipient's scores and the rigorous false-accusation bound of the best test."""

    recipient: Holder
    test: str
    score: float
    bound: float
    scores: dict[str, float] = field(default_factory=dict)


def score_tests(p_match: Floats, *, colluders: int, read_error: float) -> list[ScoreTest]:
    """Match/mismatch values of every test, given P(innocent symbol agrees) per position."""
    p = np.clip(p_match, 1e-12, 1 - 1e-12)
    tests = [
        ScoreTest(
            "single",
            np.log((1 - read_error) / p),
            np.full_like(p, math.log(read_error)) - np.log(p),
        ),
        ScoreTest("tardos", np.sqrt((1 - p) / p), -np.sqrt(p / (1 - p))),
    ]
    for c in range(2, colluders + 1):
        tests.append(
            ScoreTest(
                f"interleave-{c}",
                np.log((1 / c + (c - 1) / c * p) / p),
                np.full_like(p, math.log((c - 1) / c)),
            )
        )
    return tests


def decode(
    code: Code,
    observation: Observation,
    recipients: Sequence[Holder],
    *,
    colluders: int,
    read_error: float,
    union: int | None = None,
    eps: float = 1e-6,
    top: int = 5,
) -> list[Evidence]:
    """Score every recipient; return the strongest evidence first.

    Returned: every recipient whose bound is at most ``eps`` under some test, and
    the ``top`` best of each test beyond them (the leading candidates). The bound is
    monotone in each test's score, so recipients are bounded in descending score
    order and the search stops at the first one over ``eps``: nobody who could be
    accused is skipped. ``union`` is the number of recipients the bound is
    union-bounded over (all recipients of every version considered); it defaults to
    ``len(recipients)``.
    """
    if not recipients:
        return []
    n_union = union if union is not None else len(recipients)
    pos = observation.positions
    y = observation.symbols
    if len(pos) == 0:
        return [Evidence(r, "none", 0.0, 1.0) for r in recipients[:top]]
    p1 = code.biases[pos]
    p_match = np.where(y == 1, p1, 1 - p1)
    tests = score_tests(p_match, colluders=colluders, read_error=read_error)
    matches = (code.codewords(recipients, pos) == y[None, :]).astype(np.float64)
    log_union = math.log(len(tests) * n_union)
    log_eps = math.log(eps)

    scores = {t.name: matches @ (t.match - t.mismatch) + float(t.mismatch.sum()) for t in tests}
    best: dict[int, tuple[float, str]] = {}
    for t in tests:
        bound = TailBound(p_match, t.match, t.mismatch)
        for rank, i in enumerate(np.argsort(-scores[t.name], kind="stable")):
            lb = bound.log_bound(float(scores[t.name][i])) + log_union
            j = int(i)
            if lb < best.get(j, (0.0, "none"))[0]:
                best[j] = (lb, t.name)
            else:
                best.setdefault(j, (0.0, "none"))
            if lb > log_eps and rank + 1 >= top:
                break
    out: list[Evidence] = []
    for i, (lb, name) in best.items():
        per_test = {n: float(s[i]) for n, s in scores.items()}
        bound_value = math.exp(lb) if lb > -745 else 0.0
        score = per_test[name] if name != "none" else per_test["tardos"]
        out.append(Evidence(recipients[i], name, score, min(1.0, bound_value), per_test))
    out.sort(key=lambda e: (e.bound, -e.scores["tardos"]))
    return out
