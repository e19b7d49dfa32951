"""Plain text: paragraphs split by blank lines; URLs and addresses protected."""

from __future__ import annotations

from barium.formats.base import ParsedDocument, Region
from barium.formats.inline import free_spans, urlish_spans


def parse_text(text: str) -> ParsedDocument:
    regions: list[Region] = []
    paragraph = 0
    in_paragraph = False
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if not body.strip():
            if in_paragraph:
                paragraph += 1
            in_paragraph = False
        else:
            in_paragraph = True
            for a, b in free_spans(body, 0, len(body), [urlish_spans]):
                regions.append(Region(offset + a, offset + b, paragraph))
        offset += len(line)
    return ParsedDocument(text=text, format="text", regions=tuple(regions))
