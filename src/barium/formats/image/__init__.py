"""Leaks that came back as pictures: scans, screenshots, phone photos (PNG, JPEG, TIFF).

>>> text = image_text(data, limits=limits, name="photo.jpg")      # doctest: +SKIP
>>> page = image_evidence(data, limits=limits, name="photo.jpg")  # text, word boxes

Each page is decoded under a pixel cap (``decode``), its background evened,
straightened and enlarged when small (``clean``), read by Tesseract (``tesseract``,
through the one bounded runner, ``run``) and laid out as a text master is
(``pagetext``); a word Tesseract is unsure of reads as a placeholder that aligns to
nothing, so the marks inside it are erasures (``read``).
"""

from __future__ import annotations

from barium.formats.image.decode import image_kind
from barium.formats.image.pagetext import PLACEHOLDER, PageText
from barium.formats.image.read import MIN_CONFIDENCE, image_pages
from barium.formats.image.run import run_tool
from barium.limits import Limits, TextKind

__all__ = ["MIN_CONFIDENCE", "PLACEHOLDER", "PageText", "image_evidence", "image_kind", "image_text", "run_tool"]


def image_evidence(data: bytes, *, limits: Limits, name: str) -> PageText:
    """The text of the image file ``data`` with Tesseract's word boxes (see :func:`image_text`)."""
    page = image_pages(data, limits=limits, name=name)
    limits.check_text(page.text, "leak", name=name)
    return page


def image_text(data: bytes, *, limits: Limits, name: str, kind: TextKind = "leak") -> str:
    """The text OCR reads in the image file ``data`` (PNG, JPEG, TIFF, by its bytes),
    paragraphs separated by a blank line; held to the cap of ``kind``."""
    return limits.check_text(image_pages(data, limits=limits, name=name).text, kind, name=name)
