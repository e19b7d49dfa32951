"""OCR reads real pages back: a BBC article printed by LibreOffice, rendered by poppler at
96-300 dpi, scanned (tilted 1.5 degrees, blurred, noisy, JPEG q60) or photographed
(uneven light), then read through the leak reader with the real Tesseract.

Measured word accuracy on this page (421 words: the in-order share of the article's
words read back, tests/formats/pages.py), through the whole reader (background, deskew,
upscale, confidence threshold); the floors asserted are marked:

| dpi | clean | scan | photo |
|---|---|---|---|
| 300 | 0.995 (floor 0.99) | 0.995 (floor 0.97) | 0.995 |
| 200 | 0.998 | 0.995 (floor 0.97) | 0.991 |
| 150 | 1.000 | 0.995 | 0.983 (floor 0.97) |
| 96 | 0.995 (floor 0.97; enlarged 3x) | 0.960 | 0.399 |

The 96-dpi photo (blur of 1.2 pixels at 96 dpi, JPEG q60) is past what OCR reads; its
unsure words become placeholders (below).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from barium.formats.image import PLACEHOLDER, image_evidence, image_text
from barium.formats.image.clean import even_background, line_height, skew_angle
from barium.formats.image.read import MIN_CONFIDENCE, read_words
from barium.formats.image.tesseract import ocr_words
from barium.limits import Limits
from tests.formats.pages import bbc, needs_tools, photo, png, render, scan, to_pdf, word_accuracy

pytestmark = [pytest.mark.slow, needs_tools]
LIMITS = Limits()
SOURCE = bbc("business", 1)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ocr")
    (out / "article.txt").write_text(SOURCE, encoding="utf-8")
    return to_pdf(out / "article.txt", out)


@pytest.mark.parametrize(
    ("dpi", "journey", "floor"),
    [(300, "clean", 0.99), (300, "scan", 0.97), (200, "scan", 0.97), (150, "photo", 0.97), (96, "clean", 0.97)],
)
def test_a_page_reads_back_nearly_word_for_word(pdf: Path, dpi: int, journey: str, floor: float) -> None:
    page = render(pdf, dpi)
    data = {"clean": png, "scan": scan, "photo": photo}[journey](page)
    assert word_accuracy(SOURCE, image_text(data, limits=LIMITS, name="leak")) >= floor


def test_the_tilt_of_a_scan_is_measured_to_a_tenth_of_a_degree(pdf: Path) -> None:
    page = render(pdf, 150)
    for angle in (1.5, -2.7):
        tilted = Image.open(io.BytesIO(scan(page, angle=angle))).convert("L")
        assert abs(skew_angle(even_background(tilted)) + angle) <= 0.1


def test_uneven_light_is_evened_out(pdf: Path) -> None:
    lit = Image.open(io.BytesIO(photo(render(pdf, 150), angle=0.0))).convert("L")
    paper = even_background(lit)
    # The unlit side's paper, dark grey in the photo, reads as paper again.
    corner = (0, 0, 60, 60)
    assert lit.crop(corner).getextrema()[1] < 200 <= paper.crop(corner).getextrema()[1]


def test_small_text_is_measured_for_enlarging(pdf: Path) -> None:
    heights = {dpi: line_height(render(pdf, dpi)) for dpi in (96, 300)}
    assert heights[96] is not None and heights[300] is not None and 2.5 < heights[300] / heights[96] < 3.6


def test_words_tesseract_is_unsure_of_are_placeholders_never_readings(pdf: Path) -> None:
    # A 96-dpi phone photo: far past what OCR reads well, so many words are unsure.
    rough = Image.open(io.BytesIO(photo(render(pdf, 96)))).convert("L")
    words = ocr_words(rough, limits=LIMITS, name="rough.jpg")
    unsure = [w for w in words if w.conf < MIN_CONFIDENCE]
    assert len(unsure) >= 10
    page = read_words(words)
    assert sum(w.text == PLACEHOLDER for w in page.words) == len(unsure)
    assert all(w.text != PLACEHOLDER for w in page.words if w.confidence * 100 >= MIN_CONFIDENCE)
    assert page.text.count(PLACEHOLDER) == len(unsure)


def test_a_multi_page_tiff_reads_every_page_with_boxes(pdf: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text(bbc("tech", 10), encoding="utf-8")
    first, second = render(pdf, 150), render(to_pdf(other, tmp_path), 150)
    buf = io.BytesIO()
    first.save(buf, "TIFF", save_all=True, append_images=[second], compression="tiff_deflate")
    page = image_evidence(buf.getvalue(), limits=LIMITS, name="scan.tiff")
    cut = page.word_starts[next(i for i, w in enumerate(page.words) if w.page == 1)]
    assert word_accuracy(SOURCE, page.text[:cut]) >= 0.97
    assert word_accuracy(bbc("tech", 10), page.text[cut:]) >= 0.97
    assert {w.page for w in page.words} == {0, 1} and len(page.words) == len(page.word_starts)
