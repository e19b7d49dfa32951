"""Transformations a leak goes through between a recipient's copy and publication."""

from __future__ import annotations

import re

from barium.text.fold import retype_key

_SPACE = re.compile(r"\s+")


def retype(text: str) -> str:
    """The retype attack: exactly what the tracer assumes a retype keeps
    (:func:`barium.text.fold.retype_key`): invisible characters gone, NFKC, curly
    quotes straight, every dash '-', ellipsis '...', whitespace runs one space."""
    return retype_key(text)


def html_paste(text: str) -> str:
    """Copy-paste through a web page: whitespace runs collapse, nothing else changes
    (glyphs and invisible characters survive a paste, unlike a retype)."""
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
