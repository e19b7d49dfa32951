"""Tesseract's words on one page image: text, box, confidence and place in the page's structure."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from barium.errors import InputError
from barium.formats.image.run import run_tool
from barium.limits import Limits

__all__ = ["OcrWord", "ocr_words"]

_WORD_LEVEL = "5"
_COLUMNS = 12


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One word as Tesseract read it: ``conf`` 0-100; ``block``, ``paragraph`` and ``line``
    number it within the page, in Tesseract's reading order; the box is in pixels of
    the image it was given."""

    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    block: int
    paragraph: int
    line: int


def ocr_words(page: Image.Image, *, limits: Limits, name: str) -> list[OcrWord]:
    """The words of ``page`` in reading order (``tesseract --psm 3``: automatic page
    segmentation, so columns and blocks come out one after another)."""
    with tempfile.TemporaryDirectory(prefix="barium-ocr-") as tmp:
        source = Path(tmp) / "page.png"
        page.save(source, format="PNG", compress_level=1)
        done = run_tool(
            ["tesseract", str(source), "-", "-l", "eng", "--psm", "3", "tsv"],
            limits=limits,
            name=name,
        )
    return parse_tsv(done.stdout.decode("utf-8", "replace"), name=name)


def parse_tsv(tsv: str, *, name: str) -> list[OcrWord]:
    """The words of Tesseract's TSV output (level 5 rows with text)."""
    lines = tsv.splitlines()
    if not lines or not lines[0].startswith("level\t"):
        raise InputError(f"{name}: tesseract printed no word table")
    words: list[OcrWord] = []
    for row in lines[1:]:
        cells = row.split("\t", _COLUMNS - 1)
        if len(cells) != _COLUMNS or cells[0] != _WORD_LEVEL:
            continue
        text = cells[11].strip()
        if not text:
            continue
        try:
            block, paragraph, line = int(cells[2]), int(cells[3]), int(cells[4])
            left, top, width, height = (int(c) for c in cells[6:10])
            conf = float(cells[10])
        except ValueError:
            continue
        words.append(OcrWord(text, left, top, width, height, conf, block, paragraph, line))
    return words
