"""The text of pages read word by word (OCR, or a PDF's text layer), laid out as a master's.

>>> page = assemble(paragraphs)      # paragraphs of lines of WordBox   # doctest: +SKIP
>>> whole = join_pages([page, ...])                                    # doctest: +SKIP

Paragraphs are separated by a blank line and the lines of a paragraph joined by one
space, as in the text masters the tracer aligns to. A word broken across a line end
is joined only where joining cannot change a mark: the hyphen is kept
(``recom-`` + ``mendation`` reads ``recom-mendation``, which aligns like
``recommendation`` since word keys ignore hyphens, while ``e-`` + ``mail`` stays
``e-mail`` instead of becoming the other form of a mark); only a soft hyphen,
never part of the text, is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from barium.channels.base import PLACEHOLDER, WordBox

__all__ = ["PLACEHOLDER", "PageText", "assemble", "join_pages", "line_joiner"]

_SOFT_HYPHEN = "\u00ad"
_HYPHENS = "-\u2010"
_DASHES = "\u2013\u2014"
_PARAGRAPH = "\n\n"


@dataclass(frozen=True, slots=True)
class PageText:
    """A text with the words it was built from: ``words[i]`` begins at ``word_starts[i]``."""

    text: str
    words: tuple[WordBox, ...] = ()
    word_starts: tuple[int, ...] = ()


def line_joiner(before: str, after: str) -> tuple[str, str]:
    """How the last word of a line and the first of the next are joined: (``before`` as
    kept, separator). A hyphen between letters, or a dash right after a word, at a line
    end joins without a space; a soft hyphen is dropped; anything else takes a space."""
    if before.endswith(_SOFT_HYPHEN):
        return before[:-1], ""
    if not after:
        return before, " "
    hyphenated = len(before) >= 2 and before[-1] in _HYPHENS and before[-2].isalpha() and after[0].islower()
    dashed = len(before) >= 2 and before[-1] in _DASHES and not before[-2].isspace() and after[0].isalnum()
    return before, "" if hyphenated or dashed else " "


def assemble(paragraphs: Sequence[Sequence[Sequence[WordBox]]]) -> PageText:
    """The text of a page given as paragraphs of lines of words (each word's ``text``
    as it is to read: a placeholder already stands for an unsure word)."""
    parts: list[str] = []
    starts: list[int] = []
    kept: list[WordBox] = []
    size = 0
    for paragraph in paragraphs:
        words = [w for line in paragraph for w in line if w.text]
        if not words:
            continue
        if parts:
            parts.append(_PARAGRAPH)
            size += len(_PARAGRAPH)
        ends = {id(line[-1]) for line in paragraph if line}  # the last word of each line
        for i, word in enumerate(words):
            text, sep = word.text, " "
            if i + 1 < len(words):
                if id(word) in ends:
                    text, sep = line_joiner(text, words[i + 1].text)
            else:
                sep = ""
            starts.append(size)
            kept.append(word if text == word.text else replace(word, text=text))
            parts.append(text + sep)
            size += len(text) + len(sep)
    return PageText("".join(parts), tuple(kept), tuple(starts))


def join_pages(pages: Sequence[PageText]) -> PageText:
    """The pages one after another, a blank line between them."""
    parts: list[str] = []
    starts: list[int] = []
    words: list[WordBox] = []
    size = 0
    for page in pages:
        if not page.text:
            continue
        if parts:
            parts.append(_PARAGRAPH)
            size += len(_PARAGRAPH)
        parts.append(page.text)
        starts.extend(size + s for s in page.word_starts)
        words.extend(page.words)
        size += len(page.text)
    return PageText("".join(parts), tuple(words), tuple(starts))
