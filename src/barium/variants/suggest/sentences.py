"""Sentence boundaries, read from the raw text of one paragraph.

Deliberately shallow (no parser): a full stop after an abbreviation or a single
letter does not end a sentence, and where a family cannot tell where a sentence
starts or ends it makes no suggestion.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from barium.variants.suggest.context import Doc
from barium.variants.suggest.lexicon import ABBREVIATIONS


def at_sentence_start(doc: Doc, pos: int) -> bool:
    """Whether a sentence starts at ``pos`` (a word's first letter)."""
    text = doc.text
    j = pos - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    if j < 0:
        return True
    if doc.fmt == "markdown" and text[j] != "\n":
        line = text.rfind("\n", 0, pos) + 1
        if _MD_LIST_OR_HEADING.fullmatch(text[line:pos]):
            return True
    if text[j] == "\n":
        j -= 1
        while j >= 0 and text[j] in " \t":
            j -= 1
        if j < 0 or text[j] == "\n":
            return True
    if text[j] in "\"'”’)" and j > 0:
        j -= 1
    if text[j] in "!?":
        return True
    if text[j] != "." or text[j - 1 : j] == ".":
        return False
    word = re.search(r"[A-Za-z]+$", text[max(0, j - 12) : j])
    return not (word and (len(word.group()) == 1 or word.group() in ABBREVIATIONS))


_MD_LIST_OR_HEADING = re.compile(r" {0,3}(?:>\s?)*(?:[-+*]|\d{1,9}[.)]|#{1,6})\s+")


def sentence_end(doc: Doc, pos: int) -> int | None:
    """Offset of the mark that ends the sentence running through ``pos``, in its paragraph."""
    _, b = doc.paragraph_at(pos)
    for m in _TERMINAL.finditer(doc.text, pos, b):
        if m.group() != ".":
            return m.start()
        word = re.search(r"[A-Za-z]+$", doc.text[max(0, m.start() - 12) : m.start()])
        if word and (len(word.group()) == 1 or word.group() in ABBREVIATIONS):
            continue
        return m.start()
    return None


_TERMINAL = re.compile(r"[.!?](?=[\s\"'”’)]|$)")


def sentence_start_before(doc: Doc, pos: int) -> int:
    """Where the sentence running through ``pos`` starts, within its paragraph."""
    para_start, _ = doc.paragraph_at(pos)
    start = para_start
    for m in _SENTENCE_BREAK.finditer(doc.text, para_start, pos):
        word = re.search(r"[A-Za-z]+$", doc.text[max(0, m.start() - 12) : m.start() + 1].rstrip(".!?\"'”’) "))
        if m.group().startswith(".") and word and (len(word.group()) == 1 or word.group() in ABBREVIATIONS):
            continue
        start = m.end()
    return start


_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+(?=[A-Z\"'“‘(])")


def sentences_in(doc: Doc, a: int, b: int) -> Iterator[tuple[int, int]]:
    """Sentences wholly inside region ``a:b`` that end with a full stop, without the stop."""
    text = doc.text
    start = a
    for m in _TERMINAL.finditer(text, a, b):
        if m.group() == ".":
            word = re.search(r"[A-Za-z]+$", text[max(a, m.start() - 12) : m.start()])
            if word and (len(word.group()) == 1 or word.group() in ABBREVIATIONS):
                continue
        s = start
        while s < m.start() and text[s] == " ":
            s += 1
        if m.group() == "." and s < m.start() and text[s].isupper() and at_sentence_start(doc, s):
            yield s, m.start()
        start = m.end()
