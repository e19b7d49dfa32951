"""Perspective correction: a page photographed at a slant comes out square; a square one
is left alone. Pages typeset by typst, rendered by poppler, warped by Pillow."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PIL import Image

from barium.formats.image.clean import deskew, even_background
from barium.formats.image.rectify import _lines, _margin, rectify
from barium.formats.typeset import typeset_pdf
from tests.formats.pages import bbc, needs_tools, render

pytestmark = needs_tools


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Image.Image:
    pdf = tmp_path_factory.mktemp("rectify") / "page.pdf"
    pdf.write_bytes(typeset_pdf(bbc("business", 1) + "\n\n" + bbc("business", 2), fmt="text"))
    return render(pdf, 150)


def slanted(page: Image.Image, d: float) -> Image.Image:
    """The page seen from below: its top ``d`` of the width narrower on each side."""
    w, h = page.size
    quad = (d * w, 0, 0, h, w, h, w - d * w, 0)
    return page.transform(page.size, Image.Transform.QUAD, quad, Image.Resampling.BICUBIC, fillcolor=255)


def margin_angles(grey: Image.Image) -> tuple[float, float]:
    """The angles (degrees from vertical) of the text block's left and right margins."""
    ink = np.asarray(grey, dtype=np.uint8) < 191
    rows = np.flatnonzero(ink.sum(axis=1) >= 2)
    y, lefts, rights = _lines(ink, rows)
    tol = 0.004 * ink.shape[1]
    left, right = _margin(y, lefts, tol, side=-1), _margin(y, rights, tol, side=1)
    assert left is not None and right is not None
    return math.degrees(math.atan(left[1])), math.degrees(math.atan(right[1]))


@pytest.mark.parametrize("d", [0.03, 0.08])
def test_a_slanted_page_comes_out_square(page: Image.Image, d: float) -> None:
    before = deskew(even_background(slanted(page, d)))
    left, right = margin_angles(before)
    assert left - right > 1.5  # the margins close in towards the top
    after = rectify(before)
    left, right = margin_angles(after)
    assert abs(left) < 0.2 and abs(right) < 0.2


def test_a_square_page_is_left_as_it_is(page: Image.Image) -> None:
    square = deskew(even_background(page))
    assert rectify(square) is square


def test_a_page_without_margins_to_fit_is_left_as_it_is() -> None:
    blank = Image.new("L", (800, 1000), 255)
    assert rectify(blank) is blank
