"""Perspective: a page photographed at a slant, made square again.

>>> page = rectify(straightened)   # doctest: +SKIP

A page seen at a slant is a quadrilateral: its justified text block's left and right
margins are straight lines that are no longer parallel, and its lines of text tilt
more at one end of the page than at the other. Both are measured on the (evened and
straightened) page: the margins as the robust line through the leftmost and the
rightmost ink of every line of text (a paragraph's short last line, a heading, the
page number trimmed as outliers), the tilt of the first and the last lines as the skew angle of a band of
lines at the top and at the bottom. The four lines meet at the text block's corners,
which a projective transform maps to a rectangle (Pillow's ``PERSPECTIVE``, bicubic);
the whole picture goes through it, so nothing outside the text block is cut off.

A page whose margins are parallel and whose lines tilt alike, to within
:data:`MIN_DISTORTION` degrees (a scan, a screenshot, a photo taken square on), is
left as it is: resampling only blurs it. So is a page whose margins do not fit a line
(columns, pictures, ragged text): a guess would do more harm than the slant.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from PIL import Image

__all__ = ["MIN_DISTORTION", "rectify"]

Floats = npt.NDArray[np.float64]

MIN_DISTORTION = 0.25  # degrees between the margins, or between the first and last lines
_INK = 64  # ink is this much darker than the (evened) paper
_BAND = 0.2  # share of the text block's height whose tilt is measured at its top and bottom
_MAX_TILT = 3.0  # degrees searched for a band's tilt
_FIT_TOLERANCE = 0.004  # of the page width: how far a margin's lines may stray from it
_MIN_LINES = 8  # lines of text a margin is fitted to, at least


def rectify(grey: Image.Image, *, max_pixels: int | None = None) -> Image.Image:
    """``grey`` with its text block mapped to a rectangle when it is seen at a slant; as
    it is when the squared picture would exceed ``max_pixels``."""
    ink = np.asarray(grey, dtype=np.uint8) < 255 - _INK
    rows = np.flatnonzero(ink.sum(axis=1) >= 2)
    if rows.size < 50:
        return grey
    y, lefts, rights = _lines(ink, rows)
    if y.size < _MIN_LINES:
        return grey
    tol = _FIT_TOLERANCE * ink.shape[1]
    left = _margin(y, lefts, tol, side=-1)
    right = _margin(y, rights, tol, side=1)
    if left is None or right is None:
        return grey
    top, bottom = float(rows[0]), float(rows[-1])
    band = max(10.0, _BAND * (bottom - top))
    tilt_top = _tilt(ink[int(top) : int(top + band)])
    tilt_bottom = _tilt(ink[int(bottom - band) : int(bottom) + 1])
    margins = math.degrees(abs(math.atan(left[1]) - math.atan(right[1])))
    lines = abs(tilt_top - tilt_bottom)
    if max(margins, lines) < MIN_DISTORTION:
        return grey
    # The top and bottom edges: through the first and last ink rows at the block's
    # middle, at the tilt measured there (a tilt up to the right lowers y to the right).
    x_mid = (left[0] + left[1] * (top + bottom) / 2 + right[0] + right[1] * (top + bottom) / 2) / 2
    edges = [(top, -math.tan(math.radians(tilt_top))), (bottom, -math.tan(math.radians(tilt_bottom)))]
    corners = [_meet(margin, (y0, slope), x_mid) for y0, slope in edges for margin in (left, right)]
    (tlx, tly), (trx, try_), (blx, bly), (brx, bry) = corners
    width = max(math.hypot(trx - tlx, try_ - tly), math.hypot(brx - blx, bry - bly))
    height = max(math.hypot(blx - tlx, bly - tly), math.hypot(brx - trx, bry - try_))
    block = [(0.0, 0.0), (width, 0.0), (0.0, height), (width, height)]
    # The whole picture is kept, not only the text block: what lies outside the margins
    # (a wide table, a note, a stamp) is still read.
    w, h = grey.size
    ahead = _perspective(corners, block)  # picture -> rectangle
    seen = [_apply(ahead, (x, y)) for x, y in ((0, 0), (w, 0), (0, h), (w, h))]
    x0, y0 = min(x for x, _ in seen), min(y for _, y in seen)
    x1, y1 = max(x for x, _ in seen), max(y for _, y in seen)
    if not (0 < x1 - x0 < 2 * w and 0 < y1 - y0 < 2 * h):
        return grey  # a transform that far from square is a misreading of the page
    target = [(x - x0, y - y0) for x, y in block]
    size = (round(x1 - x0), round(y1 - y0))
    if max_pixels is not None and size[0] * size[1] > max_pixels:
        return grey
    coeffs = _perspective(target, corners)  # Pillow asks: output point -> input point
    return grey.transform(size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC, fillcolor=255)


def _lines(ink: npt.NDArray[np.bool_], rows: npt.NDArray[np.int64]) -> tuple[Floats, Floats, Floats]:
    """Each line of text (a run of rows with ink): its middle row, its leftmost and its
    rightmost ink column."""
    breaks = np.flatnonzero(np.diff(rows) > 1) + 1
    ys, lefts, rights = [], [], []
    for run in np.split(rows, breaks):
        if run.size < 3:
            continue  # a speck, a rule
        cols = np.flatnonzero(ink[run[0] : run[-1] + 1].any(axis=0))
        ys.append((run[0] + run[-1]) / 2)
        lefts.append(float(cols[0]))
        rights.append(float(cols[-1]))
    return np.array(ys), np.array(lefts), np.array(rights)


def _margin(y: Floats, x: Floats, tol: float, *, side: int) -> tuple[float, float] | None:
    """The line x = a + b y through a margin's lines of text: least squares, then again
    without the lines that stop short of it by more than ``tol`` (a paragraph's last
    line, a heading, the page number), until none do; None when fewer than half the
    lines stay or they stray from it."""
    keep = np.ones(y.shape, dtype=bool)
    for _ in range(8):
        if keep.sum() < max(_MIN_LINES, y.size // 2):
            return None
        b, a = np.polyfit(y[keep], x[keep], 1)
        inside = (x - (a + b * y)) * -side  # positive: the row stops short of the margin
        new = inside < tol
        if (new == keep).all():
            break
        keep = new
    spread = float(np.abs(x[keep] - (a + b * y[keep])).mean()) if keep.any() else math.inf
    return (float(a), float(b)) if spread < tol else None


def _tilt(band: npt.NDArray[np.bool_]) -> float:
    """The tilt (degrees, up to the right positive) of the lines of text in ``band``: the
    shear under which its rows of ink are the most peaked."""
    if band.shape[0] < 4 or not band.any():
        return 0.0
    h, w = band.shape
    step = max(1, w // 400)
    cols = np.arange(0, w, step)
    ys, xs = np.nonzero(band[:, cols])
    xs = cols[xs].astype(np.float64)

    def peakedness(angle: float) -> float:
        shifted = ys + np.tan(math.radians(angle)) * (xs - w / 2)
        counts = np.bincount(np.clip(np.round(shifted).astype(np.int64) + h, 0, 3 * h), minlength=3 * h + 1)
        return float(np.square(counts.astype(np.float64)).sum())

    coarse = np.arange(-_MAX_TILT, _MAX_TILT + 0.05, 0.1)
    best = float(max(coarse, key=peakedness))
    fine = np.arange(best - 0.1, best + 0.1 + 0.005, 0.01)
    return float(max(fine, key=peakedness))


def _meet(margin: tuple[float, float], edge: tuple[float, float], x_mid: float) -> tuple[float, float]:
    """Where the margin x = a + b y meets the edge y = y0 + s (x - x_mid)."""
    a, b = margin
    y0, s = edge
    y = (y0 + s * (a - x_mid)) / (1 - s * b)
    return a + b * y, y


def _perspective(target: list[tuple[float, float]], source: list[tuple[float, float]]) -> list[float]:
    """Pillow's eight PERSPECTIVE coefficients: output point (x, y) -> input
    ((a x + b y + c) / (g x + h y + 1), (d x + e y + f) / (g x + h y + 1))."""
    rows = []
    rhs = []
    for (x, y), (u, v) in zip(target, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return [float(c) for c in np.linalg.solve(np.array(rows, dtype=np.float64), np.array(rhs, dtype=np.float64))]


def _apply(c: list[float], point: tuple[float, float]) -> tuple[float, float]:
    x, y = point
    d = c[6] * x + c[7] * y + 1
    return (c[0] * x + c[1] * y + c[2]) / d, (c[3] * x + c[4] * y + c[5]) / d
