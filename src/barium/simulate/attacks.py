"""Transformations a leak goes through between a recipient's copy and publication."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_RETYPE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
    }
)


def retype(text: str) -> str:
    """The retype attack: NFKC; curly quotes straight; every dash to '-'; ellipsis to
    '...'; every run of whitespace to one space; Unicode format characters removed."""
    text = unicodedata.normalize("NFKC", text).translate(_RETYPE)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
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
