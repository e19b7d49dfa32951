"""How different two renderings of a page look: structural similarity (SSIM).

The one measure the formats benchmark reports and the tests hold the layout marks to
(Wang et al. 2004: a Gaussian window of sigma 1.5 pixels, constants for 8-bit grey).
SSIM does not measure visibility (a page moved one pixel, which no reader notices,
scores about 0.83); it bounds how much a copy's page differs from the master's.
"""

from __future__ import annotations

import numpy as np

__all__ = ["gaussian_filter", "ssim"]


def gaussian_filter(a: np.ndarray, sigma: float) -> np.ndarray:
    """``a`` blurred by a Gaussian of ``sigma`` pixels (radius 4 sigma), edges repeated."""
    r = int(4 * sigma + 0.5)
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    for axis in (0, 1):
        padded = np.pad(a, [(r, r) if i == axis else (0, 0) for i in (0, 1)], mode="edge")
        n = a.shape[axis]
        a = sum(w * np.take(padded, range(i, i + n), axis=axis) for i, w in enumerate(k))
    return a


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean structural similarity of two grey pages of one size (values 0-255)."""
    a, b = a.astype(np.float64), b.astype(np.float64)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mu_a, mu_b = gaussian_filter(a, 1.5), gaussian_filter(b, 1.5)
    va = gaussian_filter(a * a, 1.5) - mu_a**2
    vb = gaussian_filter(b * b, 1.5) - mu_b**2
    cov = gaussian_filter(a * b, 1.5) - mu_a * mu_b
    num = (2 * mu_a * mu_b + c1) * (2 * cov + c2)
    return float((num / ((mu_a**2 + mu_b**2 + c1) * (va + vb + c2))).mean())
