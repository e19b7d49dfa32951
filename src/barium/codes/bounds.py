"""Rigorous tail bounds for an innocent recipient's score.

For an innocent recipient, each position's term is a two-point variable: the
value ``a`` (symbols agree) with probability P, else ``b``, independent across
positions and of whatever the leakers did. So the exact Chernoff bound

    P(S >= s) <= min over lambda > 0 of exp(-lambda s) * prod_i (P_i e^{lambda a_i} + (1-P_i) e^{lambda b_i})

holds for every lambda; the minimiser only makes it tight. Numerical error in the
search can only loosen the bound, never invalidate it, because every lambda the
search evaluates gives a true bound; the cumulant sum is computed in log space.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]

_GRID = np.geomspace(1e-4, 1e3, 90)


def _cumulant(lam: float, p: Floats, a: Floats, b: Floats) -> float:
    """sum_i log(P_i e^{lam a_i} + (1 - P_i) e^{lam b_i})."""
    return float(np.sum(np.logaddexp(np.log(p) + lam * a, np.log1p(-p) + lam * b)))


def log_tail_bound(s: float, p: Floats, a: Floats, b: Floats) -> float:
    """Natural log of a rigorous upper bound on P(S_innocent >= s)."""
    if p.size == 0:
        return 0.0 if s <= 0 else -math.inf
    top = np.maximum(a, b)
    ceiling = float(top.sum())
    if s > ceiling + 1e-9 * max(1.0, abs(ceiling)):
        return -math.inf
    if s >= ceiling - 1e-9 * max(1.0, abs(ceiling)):
        # Only the all-maximal outcome reaches s: its probability exactly.
        p_top = np.where(a >= b, p, 1 - p)
        return float(np.sum(np.log(p_top)))
    scale = float(np.max(np.abs(a - b))) or 1.0
    grid = _GRID / scale

    def f(lam: float) -> float:
        return -lam * s + _cumulant(lam, p, a, b)

    values = [f(float(lam)) for lam in grid]
    k = int(np.argmin(values))
    lo = float(grid[max(k - 1, 0)])
    hi = float(grid[min(k + 1, len(grid) - 1)])
    best = values[k]
    # Golden-section refinement on the convex function between the neighbours.
    g = (math.sqrt(5) - 1) / 2
    x1, x2 = hi - g * (hi - lo), lo + g * (hi - lo)
    f1, f2 = f(x1), f(x2)
    for _ in range(40):
        if f1 < f2:
            hi, x2, f2 = x2, x1, f1
            x1 = hi - g * (hi - lo)
            f1 = f(x1)
        else:
            lo, x1, f1 = x1, x2, f2
            x2 = lo + g * (hi - lo)
            f2 = f(x2)
    return min(best, f1, f2, 0.0)
