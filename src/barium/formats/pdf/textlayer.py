"""A PDF's text layer, page by page, through ``pdftotext -bbox-layout``.

Not ``-layout``: it pads lines with spaces to keep columns where they stood, which
turns the single space between two sentences into a run the typography channel
would read as the other spacing style, and interleaves the lines of side-by-side
columns. Not ``-raw`` either: content-stream order is not reading order. The
default mode follows poppler's reading order (flows, then blocks); ``-bbox-layout``
gives the same words in the same order, with their blocks, lines and boxes, so
paragraphs come out separated by a blank line, as in a text master, and each word
carries its box (points, confidence 1).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from barium.channels.base import WordBox
from barium.formats.image.pagetext import PageText, assemble
from barium.formats.image.run import run_tool
from barium.limits import Limits

__all__ = ["text_layer"]

_TAG = re.compile(r"<(/?)(page|block|line|word)\b([^>]*)>([^<]*)")
_ATTR = re.compile(r'(xMin|yMin|xMax|yMax)="([-\d.eE+]+)"')


def text_layer(path: Path, *, pages: int, limits: Limits, name: str) -> list[PageText]:
    """The text of each of the ``pages`` pages of the PDF at ``path``, as laid out by
    :func:`~barium.formats.image.pagetext.assemble` (a page without text: empty)."""
    done = run_tool(
        ["pdftotext", "-enc", "UTF-8", "-bbox-layout", "-f", "1", "-l", str(pages), str(path), "-"],
        limits=limits,
        name=name,
    )
    return parse_bbox_layout(done.stdout.decode("utf-8", "replace"), pages=pages)


def parse_bbox_layout(xhtml: str, *, pages: int) -> list[PageText]:
    """The pages of ``pdftotext -bbox-layout`` output.

    Read as a flat sequence of tags, not as XML: poppler writes one fixed shape, and a
    PDF's text may hold characters no XML parser accepts.
    """
    out: list[list[list[list[WordBox]]]] = []
    block: list[list[WordBox]] = []
    line: list[WordBox] = []
    lines = 0  # lines so far on this page
    for m in _TAG.finditer(xhtml):
        closing, tag, attrs, text = m.groups()
        if tag == "page" and not closing:
            out.append([])
            lines = 0
        elif not out:
            continue
        elif tag == "block":
            block = []
            if not closing:
                out[-1].append(block)
        elif tag == "line":
            line = []
            if not closing:
                block.append(line)
                lines += 1
        elif tag == "word" and not closing:
            box = {k: float(v) for k, v in _ATTR.findall(attrs)}
            word = html.unescape(text).strip()
            if word and len(box) == 4:
                x0, y0 = box["xMin"], box["yMin"]
                line.append(
                    WordBox(word, x0, y0, box["xMax"] - x0, box["yMax"] - y0, 1.0, len(out) - 1, lines - 1, ink=False)
                )
    texts = [assemble(page) for page in out[:pages]]
    return texts + [PageText("")] * (pages - len(texts))
