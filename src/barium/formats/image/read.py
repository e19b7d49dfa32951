"""OCR of page images: each page cleaned, read by Tesseract, and laid out as text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PIL import Image

from barium.channels.base import WordBox
from barium.formats.image.clean import prepare_page
from barium.formats.image.decode import page_images
from barium.formats.image.pagetext import PLACEHOLDER, PageText, assemble, join_pages
from barium.formats.image.tesseract import OcrWord, ocr_words
from barium.limits import Limits

__all__ = ["MIN_CONFIDENCE", "image_pages", "ocr_pages", "read_words"]

# Tesseract's word confidence (0-100) below which a word is no reading. Measured on two
# BBC pages at 96, 150 and 200 dpi, scanned (1.5 degrees, blur, noise, JPEG q60) and
# photographed (uneven light too), 5,563 words: of the words at 95 or more, 0.1% are
# wrong; 90-95, 3%; 80-90, 14%; 70-80, 31%; under 60, 53-83%. At 80, the words kept
# are wrong 0-0.3% of the time on every page but the unreadable 96-dpi photo (11%),
# under the 2% misreading the tracer assumes (``read_error``), and 0.3-2% of the right
# words are given up: an erasure costs one reading, a wrong word could flip a mark.
MIN_CONFIDENCE = 80.0


def read_words(words: Sequence[OcrWord], *, page: int = 0, min_confidence: float = MIN_CONFIDENCE) -> PageText:
    """The text of one page from Tesseract's words: a word under ``min_confidence``
    reads as :data:`~barium.formats.image.pagetext.PLACEHOLDER`."""
    paragraphs: dict[tuple[int, int], dict[int, list[WordBox]]] = {}
    for w in words:
        text = w.text if w.conf >= min_confidence else PLACEHOLDER
        box = WordBox(text, w.left, w.top, w.width, w.height, max(0.0, w.conf) / 100.0, page, w.line)
        paragraphs.setdefault((w.block, w.paragraph), {}).setdefault(w.line, []).append(box)
    return assemble([list(lines.values()) for lines in paragraphs.values()])


def ocr_pages(pages: Iterable[tuple[int, Image.Image]], *, limits: Limits, name: str) -> list[PageText]:
    """Each (page number, grey image) cleaned (:func:`~barium.formats.image.clean.prepare_page`) and read."""
    out = []
    for number, grey in pages:
        prepared = prepare_page(grey, limits=limits)
        out.append(read_words(ocr_words(prepared, limits=limits, name=name), page=number))
    return out


def image_pages(data: bytes, *, limits: Limits, name: str) -> PageText:
    """The text (and word boxes) of the image file ``data``, every page of it.

    A TIFF's frames are its pages, counted against ``limits.image_frames`` before any
    is read. Boxes are in pixels of the cleaned page Tesseract read (straightened and
    perhaps enlarged), not of the file.
    """
    pages = ocr_pages(enumerate(page_images(data, limits=limits, name=name)), limits=limits, name=name)
    return join_pages(pages)
