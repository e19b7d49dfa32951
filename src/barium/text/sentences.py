"""The one definition of a sentence, used by every part of Barium.

A sentence ends

* at a run of ``.``, ``!``, ``?`` or ``…`` (``?!`` and ``...`` are one end), with
  any closing quotes, brackets or emphasis marks after it, when whitespace
  follows and the next word starts with a capital letter or a digit (after any
  opening quotes, brackets or emphasis marks): ``He left. "Then?" she asked.``
  is two sentences, ``"Why?" he asked.`` one;
* but not at a lone full stop after a single letter (initials and dotted
  abbreviations: ``J. K.``, ``U.S.``, ``e.g.``, ``a.m.``), after a word of
  :data:`NON_FINAL`, abbreviations that always have something after them
  (``Mr.``, ``Dr.``, ``No.``, ``Fig.``, ``Sept.``), or after the number of a
  list item (``1. `` opening a line);
* always at a paragraph break (a blank line, or U+2029), whatever the
  punctuation, at a line break before a list item or a heading (``- ``, ``* ``,
  ``+ ``, ``1. ``, ``2) ``, ``# ``) and at the line break after a heading.

A single line break is no end of its own: plain text is wrapped. A stop needs
whitespace after it to end anything, so decimals (``3.5``), dotted names and
addresses never split.

Marks never move a boundary: every form a channel offers for a site leaves the
sentences where they were (one or two spaces, curly or straight quotes, ``…`` or
``...``, ``Dr`` or ``Dr.``, ``US`` or ``U.S.``), so a copy has the master's
sentences, one for one (``tests/text/test_sentences.py``).

Invisible characters (:mod:`barium.text.invisible`) are not there: the sentences
of a text sprinkled with them are those of the text without them.

Spans are ``(start, end)`` with ``text[start:end]`` the sentence: in text order,
never overlapping, each starting and ending with a visible character that is not
whitespace, and nothing but whitespace and invisible characters between or around
them. Finding them is linear in the text, whatever it holds.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from barium.text.invisible import CLASS as _INVISIBLE_CLASS

__all__ = [
    "CLOSERS",
    "NON_FINAL",
    "OPENERS",
    "TERMINALS",
    "at_sentence_start",
    "sentence_at",
    "sentence_spans",
    "sentences_within",
]

# A full stop after one of these is the abbreviation's, never a sentence's end: each
# stands before what it qualifies (a name, a number, a day). Abbreviations that can
# end a sentence (etc., Inc., Ltd., Jr.) are left out: before a capital they end one.
NON_FINAL = frozenset(
    (
        *("Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Rev", "Fr", "St", "Hon", "Gov", "Sen", "Rep"),
        *("Gen", "Col", "Lt", "Sgt", "Capt", "Maj", "Cmdr", "Adm", "Insp", "Supt"),
        *("No", "Nos", "Vol", "Fig", "Figs", "pp", "vs", "cf", "approx"),
        *("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"),
    )
)

TERMINALS = ".!?\u2026"
# After a stop: closing quotes, brackets, guillemets and Markdown emphasis.
CLOSERS = "\"'\u201d\u2019\u00bb)]}*_"
# Before a sentence's first word: opening quotes, brackets, guillemets and emphasis.
OPENERS = "\"'\u201c\u2018\u201e\u00ab([{*_"
_BREAK = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

# Anchored at a run's first character so that a long run not followed by
# whitespace is read once, not once per character (possessive: no backtracking).
_STOP = re.compile(rf"(?<![{TERMINALS}])[{TERMINALS}]++[{re.escape(CLOSERS)}]*+(?=\s)")
_SPACE = re.compile(r"\s+")
_LINE_BREAK = re.compile(rf"(?:\r\n|[{_BREAK}])\s*")
_ONE_BREAK = re.compile(rf"\r\n|[{_BREAK}]")
_BLOCK_START = re.compile(r"(?:#{1,6}|[-+*]|\d{1,3}[.)])[ \t]")
_HEADING = re.compile(r"[ \t]*#{1,6}[ \t]")
# What may stand before a sentence's first word: list, heading and quotation marks, then openers.
_LEAD = re.compile(rf"(?:(?:#{{1,6}}|[-+*]|\d{{1,3}}[.)])[ \t]+|>[ \t]*)*+[{re.escape(OPENERS)}{_INVISIBLE_CLASS}]*+")
_LONGEST_NON_FINAL = max(map(len, NON_FINAL))
_INVISIBLE = re.compile(f"[{_INVISIBLE_CLASS}]")
_VISIBLE = re.compile(f"[^{_INVISIBLE_CLASS}]+")
# What stands before an initial: "J. K.", "U.S.", "(e.g.".
_BEFORE_INITIAL = frozenset("." + OPENERS)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` as ``(start, end)`` spans (see the module docstring)."""
    if _INVISIBLE.search(text) is None:
        return _spans(text)
    # Found in the text without its invisible characters, then mapped back.
    runs = [m.span() for m in _VISIBLE.finditer(text)]
    plain = "".join(text[a:b] for a, b in runs)
    at = list(itertools.accumulate((b - a for a, b in runs), initial=0))  # where each run starts in plain

    def original(k: int) -> int:
        r = bisect.bisect_right(at, k) - 1
        return runs[r][0] + k - at[r]

    return [(original(a), original(b - 1) + 1) for a, b in _spans(plain)]


def _spans(text: str) -> list[tuple[int, int]]:
    gaps = {gap for m in _STOP.finditer(text) if (gap := _after_stop(text, m.start(), m.end()))}
    line = 0  # where the line before the break starts
    for m in _LINE_BREAK.finditer(text):
        start = m.start()
        while start > 0 and text[start - 1].isspace():
            start -= 1
        breaks = m.group()
        if (
            len(_ONE_BREAK.findall(breaks)) >= 2
            or "\u2029" in breaks
            or _BLOCK_START.match(text, m.end())
            or _HEADING.match(text, line, start)
        ):
            gaps.add((start, m.end()))
        line = m.end()
    end = len(text.rstrip())
    pos = len(text) - len(text.lstrip())
    spans = []
    for a, b in sorted(gaps):
        if a > pos:
            spans.append((pos, a))
        pos = max(pos, b)
    if end > pos:
        spans.append((pos, end))
    return spans


def _after_stop(text: str, stop: int, closed: int) -> tuple[int, int] | None:
    """The whitespace after the stop ``text[stop:closed]`` (closers included) when it ends a sentence."""
    gap = _SPACE.match(text, closed)
    if gap is None:
        return None
    first = gap.end()
    while first < len(text) and text[first] in OPENERS:
        first += 1
    if first == len(text) or not (text[first].isupper() or text[first].isdigit()):
        return None
    if text[stop] == "." and text[stop + 1] not in TERMINALS:
        word = _word_before(text, stop)
        before = text[word - 1 : word]
        initial = stop - word == 1 and (not before or before.isspace() or before in _BEFORE_INITIAL)
        if initial or text[word:stop] in NON_FINAL or _numbers_list_item(text, stop):
            return None
    return closed, gap.end()


def _word_before(text: str, stop: int) -> int:
    """Where the word ending at ``stop`` starts: letters, and apostrophes between them
    ("end's"); past the longest :data:`NON_FINAL` word, only far enough to tell it is longer."""
    word = stop
    while word > 0 and stop - word <= _LONGEST_NON_FINAL:
        ch = text[word - 1]
        if not (ch.isalpha() or (ch in "'\u2019" and word - 1 > 0 and text[word - 2].isalpha() and word < stop)):
            break
        word -= 1
    return word


def _numbers_list_item(text: str, stop: int) -> bool:
    """Whether the full stop at ``stop`` follows a number of one to three digits that opens
    a line: a list item's ("1. "). "2024." opening a wrapped line still ends a sentence."""
    j = stop
    while j > 0 and stop - j < 3 and text[j - 1] in "0123456789":
        j -= 1
    if j == stop:
        return False
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    return j == 0 or text[j - 1] in _BREAK


@dataclass(frozen=True, slots=True)
class _Map:
    starts: list[int]
    ends: list[int]
    firsts: list[int]  # where each sentence's first word (or what stands for it) begins


@lru_cache(maxsize=4)
def _map(text: str) -> _Map:
    # Callers ask many questions of one text (a master, a suggestion's document);
    # the spans are found once. A hit on the same string object costs no comparison.
    spans = sentence_spans(text)
    return _Map(
        [a for a, _ in spans],
        [b for _, b in spans],
        [_lead_end(text, a, b) for a, b in spans],
    )


def _lead_end(text: str, start: int, end: int) -> int:
    m = _LEAD.match(text, start, end)
    return m.end() if m else start


def sentence_at(text: str, i: int) -> tuple[int, int] | None:
    """The span of the sentence running through offset ``i``: the last one that starts
    at or before it (so an offset in the space after a sentence gives that sentence);
    None before the first."""
    m = _map(text)
    k = bisect.bisect_right(m.starts, i) - 1
    return (m.starts[k], m.ends[k]) if k >= 0 else None


def at_sentence_start(text: str, i: int) -> bool:
    """Whether a sentence's first word starts at ``i``: nothing but opening quotes,
    brackets, emphasis, or a list, heading or quotation mark lies between the
    sentence's start and ``i`` (also true before the first sentence)."""
    m = _map(text)
    k = bisect.bisect_right(m.starts, i) - 1
    return k < 0 or i <= m.firsts[k]


def sentences_within(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the sentences that lie wholly inside ``text[start:end]``, in order."""
    m = _map(text)
    k = bisect.bisect_left(m.starts, start)
    out = []
    while k < len(m.starts) and m.ends[k] <= end:
        out.append((m.starts[k], m.ends[k]))
        k += 1
    return out
