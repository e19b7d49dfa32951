"""Markdown: prose is editable; code, URLs, link targets, HTML, front matter and
table structure are not.

A line scanner rather than a full parser: it only has to be conservative. Any
construct it is unsure of is protected, which costs a few mark sites and never
changes how the copy renders.
"""

from __future__ import annotations

import re

from barium.formats.base import ParsedDocument, Region
from barium.formats.inline import free_spans, markdown_spans, urlish_spans
from barium.formats.variants import MARKUP

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HTML_BLOCK = re.compile(r"^ {0,3}<(?:[A-Za-z][\w-]*|!--|\?|![A-Z]|/[A-Za-z])")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:")
_INDENTED = re.compile(r"^(?: {4}|\t)")
# Possessive quantifiers where giving characters back can never help: a line of
# 100,000 spaces or dashes is then matched in linear time, not quadratic.
_BREAK = re.compile(r"^ {0,3}(?:[-*_]\s*+){3,}+$")
_TABLE_RULE = re.compile(r"^\s*+(?:\|\s*+)?:?-++:?\s*+(?:\|\s*+:?-++:?\s*+)++\|?\s*$")
_SETEXT = re.compile(r"^ {0,3}(?:=++|-++)\s*+$")
# Block prefixes that are syntax, not prose: quote markers, list bullets, headings.
_PREFIX = re.compile(r"^(?: {0,3}>\s?)*\s*(?:(?:[-+*]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?)?(?:#{1,6}\s+)?")


def parse_markdown(text: str) -> ParsedDocument:
    lines = text.splitlines(keepends=True)
    regions: list[Region] = []
    paragraph = 0
    offset = 0
    fence: str | None = None
    in_html = False
    in_paragraph = False
    prev_blank = True

    if lines and lines[0].rstrip("\r\n") in {"---", "+++"}:
        closer = lines[0].rstrip("\r\n")
        for j in range(1, len(lines)):
            if lines[j].rstrip("\r\n") in {closer, "..."}:
                offset = sum(len(x) for x in lines[: j + 1])
                lines = lines[j + 1 :]
                break

    def next_paragraph() -> None:
        nonlocal paragraph, in_paragraph
        if in_paragraph:
            paragraph += 1
        in_paragraph = False

    for line in lines:
        body = line.rstrip("\r\n")
        start = offset
        offset += len(line)
        blank = not body.strip()

        if fence is not None:
            if re.match(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$", body):
                fence = None
            continue
        if m := _FENCE.match(body):
            next_paragraph()
            fence = m.group(1)
            continue
        if in_html:
            if blank:
                in_html = False
                prev_blank = True
            continue
        if blank:
            next_paragraph()
            prev_blank = True
            continue
        if _HTML_BLOCK.match(body) and prev_blank:
            next_paragraph()
            in_html = True
            continue
        if (_INDENTED.match(body) and prev_blank) or _REF_DEF.match(body) or _BREAK.match(body):
            prev_blank = False
            continue
        if _TABLE_RULE.match(body) or _SETEXT.match(body):
            prev_blank = False
            continue
        prev_blank = False

        prefix = _PREFIX.match(body)
        lead = prefix.end() if prefix else 0
        if lead and body[:lead].strip().startswith("#"):
            next_paragraph()  # a heading is a paragraph of its own
        elif lead and (body[:lead].strip()[:1] in "-+*" or body[:lead].strip()[:1].isdigit()):
            next_paragraph()  # so is each list item
        heading = bool(lead) and body[:lead].strip().startswith("#")

        cells = _cells(body, lead) if "|" in body else [(lead, len(body.rstrip("#").rstrip() if heading else body))]
        for a, b in cells:
            for x, y in free_spans(body, a, b, [markdown_spans, urlish_spans]):
                regions.append(Region(start + x, start + y, paragraph))
        in_paragraph = True
        if heading:
            next_paragraph()

    return ParsedDocument(text=text, format="markdown", regions=tuple(regions))


def _cells(body: str, lead: int) -> list[tuple[int, int]]:
    """Spans between unescaped pipes, outside code spans and author variants
    (``{{a|b}}``): a table row's cell contents."""
    spans: list[tuple[int, int]] = []
    pos = lead
    code = False
    # Pipes inside variants, as a set: one lookup per pipe keeps long lines linear.
    inside = {i for m in MARKUP.finditer(body) for i in range(m.start(), m.end()) if body[i] == "|"}
    for i, ch in enumerate(body):
        if i < lead:
            continue
        if ch == "`":
            code = not code
        elif ch == "|" and not code and (i == 0 or body[i - 1] != "\\") and i not in inside:
            spans.append((pos, i))
            pos = i + 1
    spans.append((pos, len(body)))
    return [(a, b) for a, b in spans if body[a:b].strip()]
