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

Evidence comes in blocks (:class:`Block`): one version's code and what the leaks showed of
it. Blocks of different versions use independent symbols (the PRF is keyed by the
version's code identity), so a recipient's score summed over the blocks they hold a
copy of is, for an innocent, still a sum of independent two-point terms, and one
exact Chernoff bound over exactly those positions covers it (:func:`decode_blocks`).
A recipient is never scored on a block they hold no copy of: that block's symbols
are not theirs, and counting it would only add noise to their score.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from barium.codes.bounds import TailBound
from barium.codes.code import Bits, Code, Holder

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Observation:
    """What a leak shows: one symbol at each readable position, or a few.

    Positions whose sites showed both symbols (copies were mixed) are counted in
    ``ambiguous`` and carry no term: treating them as erasures keeps every test's
    innocent distribution exact.

    ``also`` widens some positions to a set of symbols: a report that names only the
    first two of four cities fits two orders, so the copy showed one of two symbols
    ((index into ``positions``, the other symbols) pairs). A copy agrees there when its
    symbol is in the set, which an innocent's does with the summed chance of the set:
    still one two-point term per position, so every bound holds as it is.
    """

    positions: Ints
    symbols: npt.NDArray[np.uint8]
    ambiguous: int = 0
    also: tuple[tuple[int, tuple[int, ...]], ...] = ()

    def __len__(self) -> int:
        return int(self.positions.shape[0])

    def agree_chance(self, code: Code) -> Floats:
        """P(an innocent's symbol agrees), position by position."""
        p = code.p_symbol(self.positions, self.symbols)
        for i, more in self.also:
            pos = np.full(len(more), self.positions[i], dtype=np.int64)
            p[i] += float(code.p_symbol(pos, np.array(more, dtype=np.uint8)).sum())
        return p

    def agrees(self, words: Bits) -> npt.NDArray[np.bool_]:
        """Which of ``words`` (one codeword per row, at ``positions``) agree, position by position."""
        out: npt.NDArray[np.bool_] = words == self.symbols[None, :]
        for i, more in self.also:
            out[:, i] |= np.isin(words[:, i], more)
        return out

    def accepted(self) -> dict[int, set[int]]:
        """Position -> the symbols a copy may show there."""
        sets = {int(p): {int(y)} for p, y in zip(self.positions.tolist(), self.symbols.tolist(), strict=True)}
        for i, more in self.also:
            sets[int(self.positions[i])].update(more)
        return sets

    @classmethod
    def of_sets(cls, sets: Mapping[int, set[int]], ambiguous: int = 0) -> Observation:
        """The observation of position -> accepted symbols (an empty set: ambiguous).
        A set must rule some symbol out: one that allows all is no reading."""
        kept = sorted(p for p, b in sets.items() if b)
        first = [min(sets[p]) for p in kept]
        return cls(
            positions=np.array(kept, dtype=np.int64),
            symbols=np.array(first, dtype=np.uint8),
            ambiguous=ambiguous + sum(1 for b in sets.values() if not b),
            also=tuple(
                (i, tuple(sorted(sets[p] - {y})))
                for i, (p, y) in enumerate(zip(kept, first, strict=True))
                if len(sets[p]) > 1
            ),
        )

    @classmethod
    def merge(cls, observations: Sequence[Observation]) -> Observation:
        """What several leaks of one version show together: each position counted once.

        A position is kept with the symbols every leak that read it allows; where they
        allow none in common the leaks saw two copies (or a misreading) and it becomes
        ambiguous. Which positions are kept, and their symbols, depend on the leaks
        alone, never on any recipient's codeword, so an innocent's terms stay
        independent; the same article traced twice adds nothing.
        """
        if len(observations) == 1:
            return observations[0]
        seen: dict[int, set[int]] = {}
        for o in observations:
            for pos, allowed in o.accepted().items():
                seen[pos] = seen[pos] & allowed if pos in seen else set(allowed)
        return cls.of_sets(seen, sum(o.ambiguous for o in observations))


@dataclass(frozen=True, slots=True)
class Block:
    """One version's share of the evidence: its code, what the leaks showed of it, and
    who holds a copy of it (only they are scored on it)."""

    code: Code
    observation: Observation
    holders: frozenset[Holder]


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
    # Per block, the score of ``test`` on that block's positions; None where the
    # recipient holds no copy of the block's version. They sum to ``score``.
    parts: tuple[float | None, ...] = ()


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


SINGLE_SHARE = 0.5  # of eps, for the single-leaker test; the other tests share the rest equally


def eps_shares(names: Sequence[str]) -> dict[str, float]:
    """Each test's share of the false-accusation budget (weighted Bonferroni).

    One leaker is the common case, and the case with the least evidence to spare (a
    short quote, a paraphrase): its test gets half of eps, so that its bound pays a
    factor 2 for the union over tests rather than one per test; the collusion tests
    (interleaving, Tardos) split the other half.
    """
    others = [n for n in names if n != "single"]
    if "single" not in names:
        return {n: 1.0 / len(others) for n in others}
    if not others:
        return {"single": 1.0}
    return {"single": SINGLE_SHARE, **{n: (1.0 - SINGLE_SHARE) / len(others) for n in others}}


def usable_shares(tests: Sequence[ScoreTest], p_match: Floats, *, union: int, eps: float) -> dict[str, float]:
    """The shares of eps for the tests that could accuse someone on this evidence.

    A collusion test (interleaving, Tardos) that could not accuse a coalition member
    even at a lucky score (two standard deviations above a member's mean, under
    interleaving by as many colluders as the test assumes; two for Tardos) only spends
    budget: on a paraphrase's ten canaries it pays a factor 2 on the single-leaker
    test's bound for nothing. It is left out and the others share eps (the single
    test is always kept). The choice depends on the positions read and on P(an
    innocent's symbol agrees) alone, never on a recipient's codeword, so the union
    bound of :func:`decode_blocks` holds as it does for a fixed set of tests.
    """
    names = [t.name for t in tests]
    while True:
        shares = eps_shares(names)
        weak = [
            t.name
            for t in tests
            if t.name in names and t.name != "single" and not _could_accuse(t, p_match, union / shares[t.name], eps)
        ]
        if not weak:
            return shares
        names = [n for n in names if n not in weak]


def _could_accuse(test: ScoreTest, p_match: Floats, union: float, eps: float) -> bool:
    if p_match.size == 0:
        return False
    c = int(test.name.rsplit("-", 1)[1]) if test.name.startswith("interleave-") else 2
    guilty = 1 / c + (c - 1) / c * p_match  # a member of c interleaving colluders agrees
    gap = test.match - test.mismatch
    mean = float(np.sum(test.mismatch + guilty * gap))
    sd = float(np.sqrt(np.sum(guilty * (1 - guilty) * gap**2)))
    lucky = min(mean + 2 * sd, float(np.maximum(test.match, test.mismatch).sum()))
    return TailBound(p_match, test.match, test.mismatch).log_bound(lucky) + math.log(union) <= math.log(eps)


def decode(
    code: Code,
    observation: Observation,
    recipients: Sequence[Holder],
    *,
    colluders: int,
    read_error: float,
    union: int | None = None,
    eps: float = 1e-6,
    listed: float | None = None,
    top: int = 5,
) -> list[Evidence]:
    """Score every recipient on one version's evidence (see :func:`decode_blocks`)."""
    block = Block(code, observation, frozenset(recipients))
    return decode_blocks(
        [block], recipients, colluders=colluders, read_error=read_error, union=union, eps=eps, listed=listed, top=top
    )


def decode_blocks(
    blocks: Sequence[Block],
    recipients: Sequence[Holder],
    *,
    colluders: int,
    read_error: float,
    union: int | None = None,
    eps: float = 1e-6,
    listed: float | None = None,
    top: int = 5,
) -> list[Evidence]:
    """Score every recipient on the blocks they hold; return the strongest evidence first.

    Returned: every recipient whose bound is at most ``listed`` (default ``eps``, the
    accusation threshold) under some test, and the ``top`` best of each test beyond
    them (the leading candidates). Recipients who hold the same set of blocks share one
    set of positions and so one bound, which is monotone in the score: within such a
    group recipients are bounded in descending score order and the search stops at the
    first one over ``listed``, so nobody who could be accused is skipped. ``union`` is
    the number of recipients the bound is union-bounded over; it defaults to
    ``len(recipients)``.

    Why the union bound holds with per-recipient position sets: for an innocent j and
    a test t, the bound B_jt(s) >= P(S_jt >= s) is decreasing in s, so P(B_jt(S_jt) <=
    a) <= a for every a. Test t is given the share w_t of eps (:func:`usable_shares`,
    summing to one, chosen from the positions read alone). Accusing j when B_jt * union
    / w_t <= eps therefore accuses any given innocent under test t with probability at
    most w_t * eps / union, and summing over the tests and the (at most ``union``)
    recipients gives eps.
    """
    if not recipients:
        return []
    n_union = union if union is not None else len(recipients)
    log_eps = math.log(max(eps, listed or eps))
    patterns: dict[tuple[bool, ...], list[int]] = {}
    for i, r in enumerate(recipients):
        patterns.setdefault(tuple(r in b.holders for b in blocks), []).append(i)
    out: list[Evidence] = []
    for held, members in patterns.items():
        chosen = [b for b, h in zip(blocks, held, strict=True) if h and len(b.observation)]
        if not chosen:
            out.extend(
                Evidence(recipients[i], "none", 0.0, 1.0, parts=tuple(0.0 if h else None for h in held))
                for i in members[:top]
            )
            continue
        group = [recipients[i] for i in members]
        p_match, matches, spans = _stack(chosen, group)
        tests = score_tests(p_match, colluders=colluders, read_error=read_error)
        shares = usable_shares(tests, p_match, union=n_union, eps=eps)
        tests = [t for t in tests if t.name in shares]
        scores = {t.name: matches @ (t.match - t.mismatch) + float(t.mismatch.sum()) for t in tests}
        best: dict[int, tuple[float, str]] = {}
        for t in tests:
            bound = TailBound(p_match, t.match, t.mismatch)
            log_union = math.log(n_union / shares[t.name])
            for rank, k in enumerate(np.argsort(-scores[t.name], kind="stable")):
                lb = bound.log_bound(float(scores[t.name][k])) + log_union
                j = int(k)
                if lb < best.get(j, (0.0, "none"))[0]:
                    best[j] = (lb, t.name)
                else:
                    best.setdefault(j, (0.0, "none"))
                if lb > log_eps and rank + 1 >= top:
                    break
        by_name = {t.name: t for t in tests}
        for j, (lb, name) in best.items():
            per_test = {n: float(s[j]) for n, s in scores.items()}
            shown = by_name.get(name, by_name["single"])
            terms = np.where(matches[j] > 0, shown.match, shown.mismatch)
            sums = iter(float(terms[a:z].sum()) for a, z in spans)
            parts = tuple(
                (next(sums) if len(b.observation) else 0.0) if h else None for b, h in zip(blocks, held, strict=True)
            )
            bound_value = math.exp(lb) if lb > -745 else 0.0
            out.append(Evidence(group[j], name, per_test[shown.name], min(1.0, bound_value), per_test, parts))
    out.sort(key=lambda e: (e.bound, -e.scores.get("tardos", e.scores.get("single", 0.0))))
    return out


def _stack(blocks: Sequence[Block], group: Sequence[Holder]) -> tuple[Floats, Floats, list[tuple[int, int]]]:
    """P(an innocent's symbol agrees) and who agrees, over every block's positions in turn."""
    p_parts, m_parts, spans, at = [], [], [], 0
    for b in blocks:
        pos = b.observation.positions
        p_parts.append(b.observation.agree_chance(b.code))
        m_parts.append(b.observation.agrees(b.code.codewords(group, pos)).astype(np.float64))
        spans.append((at, at + len(pos)))
        at += len(pos)
    return np.concatenate(p_parts), np.concatenate(m_parts, axis=1), spans


def score_of(
    code: Code, observation: Observation, holder: Holder, *, test: str, colluders: int, read_error: float
) -> float:
    """One holder's score under the test named ``test`` on one observation alone."""
    if len(observation) == 0 or test == "none":
        return 0.0
    tests = score_tests(observation.agree_chance(code), colluders=colluders, read_error=read_error)
    (t,) = (t for t in tests if t.name == test)
    agrees = observation.agrees(code.codeword(holder)[observation.positions][None, :])[0]
    return float(np.where(agrees, t.match, t.mismatch).sum())
