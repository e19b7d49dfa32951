"""Transformations a leak goes through between a recipient's copy and publication."""

from __future__ import annotations

import re
import unicodedata

from barium.text.fold import fold_typography, strip_invisible

_SPACE = re.compile(r"\s+")


def retype(text: str) -> str:
    """The retype attack: NFKC; curly quotes straight; every dash to '-'; ellipsis to
    '...'; every run of whitespace to one space; Unicode format characters removed."""
    text = strip_invisible(fold_typography(unicodedata.normalize("NFKC", text)))
    return _SPACE.sub(" ", text).strip()


def html_paste(text: str) -> str:
    """Copy-paste through a web page: whitespace runs collapse, nothing else changes."""
    return _SPACE.sub(" ", text).strip()


def excerpt_words(text: str, start: int, count: int) -> str:
    """``count`` whitespace-separated words of ``text`` from word ``start`` on, verbatim."""
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    if not spans:
        return ""
    start = max(0, min(start, len(spans) - 1))
    end = min(len(spans), start + count)
    return text[spans[start][0] : spans[end - 1][1]]


def embed(passage: str, *, before: str, after: str) -> str:
    """A passage inside someone else's article."""
    return f"{before.strip()}\n\n{passage.strip()}\n\n{after.strip()}\n"
