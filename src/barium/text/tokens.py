"""Word tokens with their offsets, as used for alignment.

A token is a run of letters and digits, with inner apostrophes, hyphens,
commas and full stops kept (``don't``, ``e-mail``, ``1,500``, ``3.5``) so that
one token stays one token whichever typographic variant a copy uses. The
``key`` folds case, typography and invisible characters, so a marked copy and
its master tokenise to the same keys everywhere except at orthographic sites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from barium.text.fold import retype_key
from barium.text.invisible import CLASS as _INVIS

_JOIN = "'\u2019\u2018\\-\u2010\u2011.,"
# A word: alphanumerics, joined by single joiner characters (and invisible chars).
_WORD = re.compile(
    rf"[^\W_](?:[{_INVIS}]*(?:[{_JOIN}][{_INVIS}]*)?[^\W_])*",
)
_KEY_DROP = re.compile(rf"[{_INVIS}'\-.,]")
_ASCII_DROP = str.maketrans("", "", "'-.,")


@dataclass(frozen=True, slots=True)
class Token:
    """One word: its folded key and its span in the text it came from."""

    key: str
    start: int
    end: int


def token_key(word: str) -> str:
    """The folded identity of a word: its retype key (:func:`~barium.text.fold.retype_key`),
    case-folded, without joiners."""
    if word.isascii():
        # The retype key of an ASCII word is the word itself, and casefold is lower:
        # most words take this path, several times faster than the general one.
        return word.lower().translate(_ASCII_DROP)
    return _KEY_DROP.sub("", retype_key(word).casefold())


def tokenize(text: str) -> list[Token]:
    """Split text into word tokens, keeping offsets into the original string."""
    out: list[Token] = []
    for m in _WORD.finditer(text):
        key = token_key(m.group())
        if key:
            out.append(Token(key, m.start(), m.end()))
    return out
