"""Leaks that came back as PDF: the text layer when there is one, OCR of the page when not.

>>> text = pdf_text(data, limits=limits, name="leak.pdf")      # doctest: +SKIP
>>> page = pdf_evidence(data, limits=limits, name="leak.pdf")  # text, word boxes

``pdfinfo`` first (``info``: pages against ``limits.pdf_pages``, a password refused),
then ``pdftotext`` (``textlayer``); a page with fewer than :data:`MIN_LAYER_WORDS`
words in its layer (a scan saved as PDF) is rendered at 300 dpi (``raster``) and
read as an image is (:mod:`barium.formats.image`). At most ``limits.image_frames``
pages are OCR'd. Every program runs through :func:`~barium.formats.image.run.run_tool`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from barium.errors import InputTooLarge
from barium.formats.image.pagetext import PageText, join_pages
from barium.formats.image.read import ocr_pages
from barium.formats.pdf.info import PdfInfo, pdf_info
from barium.formats.pdf.raster import render_page
from barium.formats.pdf.textlayer import text_layer
from barium.limits import Limits, TextKind
from barium.text import tokenize

__all__ = ["MIN_LAYER_WORDS", "PdfInfo", "is_pdf", "pdf_evidence", "pdf_info", "pdf_text"]

# A page whose text layer has fewer words is read as a picture: a scan's layer is
# empty, or holds only a stamp or a page number a copier added.
MIN_LAYER_WORDS = 5


def is_pdf(head: bytes) -> bool:
    """The bytes start as a PDF does."""
    return head.startswith(b"%PDF-")


def pdf_evidence(data: bytes, *, limits: Limits, name: str) -> PageText:
    """The text of the PDF ``data``, page after page, with its words' boxes (points on a
    text layer, pixels of the rendered page where OCR read it)."""
    with tempfile.TemporaryDirectory(prefix="barium-pdf-") as tmp:
        path = Path(tmp) / "leak.pdf"
        path.write_bytes(data)
        info = pdf_info(path, limits=limits, name=name)
        layer = text_layer(path, pages=info.pages, limits=limits, name=name)
        blank = [i for i, page in enumerate(layer) if len(tokenize(page.text)) < MIN_LAYER_WORDS]
        if len(blank) > limits.image_frames:
            raise InputTooLarge(
                f"{name}: {len(blank):,} pages without a text layer to OCR, over the limit of "
                f"{limits.image_frames:,} (image_frames)"
            )
        rendered = ((i, render_page(path, i + 1, info.sizes[i], limits=limits, name=name)) for i in blank)
        for i, page in zip(blank, ocr_pages(rendered, limits=limits, name=name), strict=True):
            # A short page (a title) keeps its layer unless OCR finds more words on it.
            if len(tokenize(page.text)) > len(tokenize(layer[i].text)):
                layer[i] = page
    page = join_pages(layer)
    limits.check_text(page.text, "leak", name=name)
    return page


def pdf_text(data: bytes, *, limits: Limits, name: str, kind: TextKind = "leak") -> str:
    """The text of the PDF ``data`` (see :func:`pdf_evidence`), held to the cap of ``kind``."""
    return limits.check_text(pdf_evidence(data, limits=limits, name=name).text, kind, name=name)
