"""A page image made fit for OCR: even background, straight lines, a square page, text of a workable size.

>>> page = prepare_page(grey, limits=limits)   # doctest: +SKIP

Four steps, each measured on real pages (tests/formats/image/):

1. **Background**: a phone photo is lit unevenly; the paper's brightness is estimated
   by a maximum filter wider than any stroke (ink is darker than the paper around it)
   on a reduced copy, smoothed, and divided out, so the paper reads white everywhere.
2. **Skew**: Tesseract drops whole paragraphs of a page tilted by 1-2 degrees
   (research/pdf-layout: 30-47% of the words of a 200-dpi scan). The angle is the one
   whose horizontal projection profile (ink per row) is the most peaked, lines of text
   then falling on rows of their own: a coarse search over -5..5 degrees by 0.5, then
   a fine one by 0.05 around the best. Tilts beyond 5 degrees and a page upside down or
   sideways (without an EXIF orientation) are not corrected.
3. **Perspective**: a page photographed at a slant is mapped back to a rectangle
   (:mod:`~barium.formats.image.rectify`: its margins and first and last lines).
4. **Size**: text whose lines are under :data:`MIN_LINE_PX` high (a 96-dpi screenshot,
   a distant photo) is enlarged (Lanczos), at most :data:`MAX_UPSCALE` times and never
   past ``limits.image_pixels``. Tesseract's accuracy falls off below about 10 pt at
   300 dpi, whose lines of ink stand about 35 pixels high.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageFilter

from barium.formats.image.rectify import rectify
from barium.limits import Limits

__all__ = [
    "MAX_SKEW",
    "MAX_UPSCALE",
    "MIN_LINE_PX",
    "deskew",
    "even_background",
    "line_height",
    "prepare_page",
    "skew_angle",
    "upscale",
]

Floats = npt.NDArray[np.float64]

MAX_SKEW = 5.0  # degrees searched either way
_COARSE, _FINE = 0.5, 0.05
_MIN_ROTATION = 0.1  # degrees; straightening less than this would only blur
_PROFILE_WIDTH = 1_000  # pixels the skew is measured at: 0.05 degree moves a row by 0.9
MIN_LINE_PX = 13
TARGET_LINE_PX = 32
MAX_UPSCALE = 4.0
_BACKGROUND_SIDE = 400  # the reduced copy the paper's brightness is estimated on
_INK = 64  # ink is this much darker than the paper; fainter is noise or background


def prepare_page(grey: Image.Image, *, limits: Limits) -> Image.Image:
    """``grey`` (mode "L") with its background evened, straightened and, when its text is
    small, enlarged: the image Tesseract reads."""
    page = even_background(grey)
    page = rectify(deskew(page), max_pixels=limits.image_pixels)
    return upscale(page, limits=limits)


def even_background(grey: Image.Image) -> Image.Image:
    """``grey`` divided by the paper's estimated brightness, so the paper reads white."""
    width, height = grey.size
    factor = max(1, min(width, height) // _BACKGROUND_SIDE)
    small = grey.reduce(factor) if factor > 1 else grey.copy()
    # On the reduced copy a 7-pixel window spans 7 * factor pixels of the page: wider
    # than any stroke, so every window holds some paper.
    paper = small.filter(ImageFilter.MaxFilter(7)).filter(ImageFilter.GaussianBlur(3))
    paper = paper.resize(grey.size, Image.Resampling.BILINEAR)
    ink = np.asarray(grey, dtype=np.float64)
    bright = np.maximum(np.asarray(paper, dtype=np.float64), 1.0)
    return Image.fromarray(np.clip(ink * (255.0 / bright), 0, 255).astype(np.uint8))


def skew_angle(grey: Image.Image) -> float:
    """The angle (degrees, counter-clockwise as :meth:`PIL.Image.Image.rotate` takes it)
    that straightens the lines of text of ``grey``; 0 for a page without text lines."""
    width, height = grey.size
    scale = min(1.0, _PROFILE_WIDTH / width)
    small = grey.resize((max(1, round(width * scale)), max(1, round(height * scale))), Image.Resampling.BOX)
    # Ink as the bright value, faint ink dropped, so the rotated-in corners (0) are blank.
    ink = small.point(lambda v: 255 - v if v < 255 - _INK else 0)
    if not np.asarray(ink).any():
        return 0.0

    def peakedness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, Image.Resampling.BILINEAR), dtype=np.float64).sum(axis=1)
        return float(np.square(rows).sum())

    coarse = np.arange(-MAX_SKEW, MAX_SKEW + _COARSE / 2, _COARSE)
    best = max(coarse, key=peakedness)
    fine = np.arange(best - _COARSE, best + _COARSE + _FINE / 2, _FINE)
    angle = float(max(fine, key=peakedness))
    return round(angle, 2)


def deskew(grey: Image.Image) -> Image.Image:
    """``grey`` rotated by :func:`skew_angle`, grown so that no corner is cut, on white."""
    angle = skew_angle(grey)
    if abs(angle) < _MIN_ROTATION:
        return grey
    return grey.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def line_height(grey: Image.Image) -> float | None:
    """The median height in pixels of the runs of rows holding ink (the lines of text of a
    straight page), or None when there are none to measure."""
    ink = 255.0 - np.asarray(grey, dtype=np.float64)
    ink[ink < _INK] = 0.0
    rows = ink.sum(axis=1)
    if not rows.any():
        return None
    inked = rows > 0.1 * float(np.percentile(rows[rows > 0], 90))
    runs = _run_lengths(inked)
    runs = runs[runs >= 3]  # specks and rules
    if len(runs) < 3:
        return None
    return float(np.median(runs))


def _run_lengths(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    return (ends - starts).astype(np.int64)


def upscale(grey: Image.Image, *, limits: Limits) -> Image.Image:
    """``grey`` enlarged so its lines of text stand :data:`TARGET_LINE_PX` high, when they
    are under :data:`MIN_LINE_PX`; unchanged otherwise."""
    height = line_height(grey)
    if height is None or height >= MIN_LINE_PX:
        return grey
    width, tall = grey.size
    room = math.sqrt(limits.image_pixels / (width * tall))
    factor = min(TARGET_LINE_PX / height, MAX_UPSCALE, room)
    if factor <= 1.05:
        return grey
    size = (round(width * factor), round(tall * factor))
    return grey.resize(size, Image.Resampling.LANCZOS)
