"""Sentences as the suggestion families need them, all read from the one definition
(:mod:`barium.text.sentences`) and kept inside one paragraph.

Where a family cannot tell where a sentence starts or ends it makes no suggestion.
"""

from __future__ import annotations

from collections.abc import Iterator

from barium.text import sentences
from barium.variants.suggest.context import Doc


def at_sentence_start(doc: Doc, pos: int) -> bool:
    """Whether a sentence starts at ``pos`` (a word's first letter)."""
    return sentences.at_sentence_start(doc.text, pos)


def sentence_end(doc: Doc, pos: int) -> int | None:
    """Offset of the mark (``.``, ``!``, ``?`` or ``…``) that ends the sentence running
    through ``pos``, in its paragraph; None for a sentence without one."""
    text = doc.text
    span = sentences.sentence_at(text, pos)
    if span is None or span[1] < pos:
        return None
    start, end = span
    while end > start and text[end - 1] in sentences.CLOSERS:
        end -= 1
    _, para_end = doc.paragraph_at(pos)
    if start < end <= para_end and text[end - 1] in sentences.TERMINALS:
        return end - 1
    return None


def sentence_start_before(doc: Doc, pos: int) -> int:
    """Where the sentence running through ``pos`` starts, within its paragraph."""
    para_start, _ = doc.paragraph_at(pos)
    span = sentences.sentence_at(doc.text, pos)
    return para_start if span is None else max(para_start, span[0])


def sentences_in(doc: Doc, a: int, b: int) -> Iterator[tuple[int, int]]:
    """Sentences wholly inside region ``a:b`` that start with a capital and end with a
    lone full stop (no ellipsis, no closing quote or bracket after it), without the stop."""
    text = doc.text
    for s, e in sentences.sentences_within(text, a, b):
        if e - s >= 2 and text[s].isupper() and text[e - 1] == "." and text[e - 2] != ".":
            yield s, e - 1
