"""Rigorous tail bounds for an innocent recipient's score.

For an innocent recipient, each position's term is a two-point variable: the
value ``a`` (symbols agree) with probability P, else ``b``, independent across
positions and of whatever the leakers did. So the exact Chernoff bound

    P(S >= s) <= min over lambda > 0 of exp(-lambda s) * prod_i (P_i e^{lambda a_i} + (1-P_i) e^{lambda b_i})

holds for every lambda; the minimiser only makes it tight. Numerical error in the
search can only loosen the bound, never invalidate it, because every lambda the
search evaluates gives a true bound; the cumulant sum is computed in log space.
The search is a log-spaced grid, refined linearly around its best point.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]

_COARSE = np.geomspace(1e-4, 1e3, 120)


def _cumulants(lams: Floats, p: Floats, a: Floats, b: Floats) -> Floats:
    """sum_i log(P_i e^{lam a_i} + (1 - P_i) e^{lam b_i}) for every lam at once."""
    lp, lq = np.log(p), np.log1p(-p)
    terms = np.logaddexp(lp[None, :] + lams[:, None] * a[None, :], lq[None, :] + lams[:, None] * b[None, :])
    out: Floats = terms.sum(axis=1)
    return out


class TailBound:
    """Tail bounds for many scores against one set of positions (shared cumulants)."""

    def __init__(self, p: Floats, a: Floats, b: Floats) -> None:
        self.p, self.a, self.b = p, a, b
        self.ceiling = float(np.maximum(a, b).sum()) if p.size else 0.0
        self.scale = float(np.max(np.abs(a - b))) if p.size else 1.0
        self.grid = _COARSE / (self.scale or 1.0)
        self.k = _cumulants(self.grid, p, a, b) if p.size else np.zeros_like(self.grid)

    def log_bound(self, s: float) -> float:
        """Natural log of a rigorous upper bound on P(S_innocent >= s)."""
        p, a, b = self.p, self.a, self.b
        if p.size == 0:
            return 0.0 if s <= 0 else -math.inf
        tol = 1e-9 * max(1.0, abs(self.ceiling))
        if s > self.ceiling + tol:
            return -math.inf
        if s >= self.ceiling - tol:
            # Only the all-maximal outcome reaches s: its probability exactly.
            return float(np.sum(np.log(np.where(a >= b, p, 1 - p))))
        values = -self.grid * s + self.k
        i = int(np.argmin(values))
        lo = self.grid[max(i - 1, 0)]
        hi = self.grid[min(i + 1, len(self.grid) - 1)]
        fine = np.linspace(lo, hi, 64)
        refined = -fine * s + _cumulants(fine, p, a, b)
        return min(float(values[i]), float(refined.min()), 0.0)


def log_tail_bound(s: float, p: Floats, a: Floats, b: Floats) -> float:
    """Natural log of a rigorous upper bound on P(S_innocent >= s)."""
    return TailBound(p, a, b).log_bound(s)
