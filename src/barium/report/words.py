"""The bound said in plain words, for a reader who is not a statistician."""

from __future__ import annotations

import math

from barium.tracing.result import BOUND_FLOOR

__all__ = ["format_bound", "odds_in_words"]

_SCALES = [(15, "quadrillion"), (12, "trillion"), (9, "billion"), (6, "million"), (3, "thousand")]
_SMALL = {0: "one", 1: "ten", 2: "a hundred"}


def _power_in_words(k: int) -> str:
    """10**k in words: 10 -> "ten billion", 4 -> "ten thousand"."""
    if k <= 2:
        return _SMALL[k]
    for scale, name in _SCALES:
        if scale <= k <= scale + 2:
            rest = k - scale
            return f"{'a' if rest == 0 else _SMALL[rest]} {name}"
    return f"10^{k} (a one followed by {k} zeros)"


def odds_in_words(bound: float) -> str:
    """ "one in ten billion" for a bound of 1e-10 or below: the largest round odds it is under."""
    if bound >= 1:
        return "certain"
    k = 300 if bound <= 0 else min(300, math.floor(-math.log10(bound) + 1e-12))
    if k <= 0:
        return f"about {bound:.0%}"
    return f"one in {_power_in_words(k)}"


def format_bound(x: float) -> str:
    """A false-accusation bound for people: never ``0``, which would read as certainty."""
    if x < BOUND_FLOOR:
        return f"< {BOUND_FLOOR:g}"
    return f"{x:.1e}" if x < 0.01 else f"{x:.3f}"
