"""The document a suggestion is made in: editable regions, quotations and word evidence.

One :class:`Doc` is built per call to ``suggest()`` and shared by every family.
It knows which spans may be edited (prose, not code or existing markup, never
inside a quotation), which spans earlier families have already claimed, and how
the document itself capitalises words, so that a word moved into or out of
first place is only lowered or kept on the document's own evidence.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from barium.formats.load import FORMATS
from barium.formats.variants import MAX_FORM_CHARS, MAX_FORMS
from barium.text import retype_key
from barium.variants.suggest.lexicon import capitalise, lower_first, wordset


class Candidate(NamedTuple):
    """A family's proposal, not yet checked by :meth:`Doc.accept`: ``forms[0]`` is ``text[start:end]``."""

    start: int
    end: int
    forms: tuple[str, ...]
    note: str


_LINE_BREAKS = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_MD_SYNTAX = re.compile(r"[*_`\[\]<>\\#~]")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*")
# A capitalised word after a lower-case word or comma: a name, not a sentence start.
_MID_CAPITAL = re.compile(r"(?<=[a-z,;] )[A-Z][\w'’-]*")
_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady|Dame|Prof)\.? (?:[A-Z][a-z'’-]+ )?([A-Z][a-z'’-]{2,})\b")
_OPEN_DOUBLE = "“«„"
QUOTE_MARKS = frozenset("\"“”«»„'‘’")
_CLOSE_DOUBLE = "”»"

# Sentence-initial words known to be ordinary words; other words need the document's evidence.
_FUNCTION_STARTERS = wordset(
    "shares sales prices profits investors analysts police officials ministers voters fans talks consumers "
    "unemployment inflation growth demand revenue revenues turnover exports imports figures results "
    "the a an he she it they we you there this these those its his her their our my your some many most several "
    "both all any each every no one two three four five six seven eight nine ten such other others"
)


class Doc:
    """The source text with its usable regions, quotations and word evidence."""

    def __init__(self, text: str, fmt: str) -> None:
        self.text = text
        self.fmt = fmt
        raw = FORMATS[fmt](text)
        usable = [r for r in raw.regions if "{{" not in text[r.start : r.end] and "}}" not in text[r.start : r.end]]
        self.regions = [(r.start, r.end) for r in usable]
        self._starts = [r.start for r in usable]
        paragraphs: dict[int, list[tuple[int, int]]] = {}
        for r in raw.regions:
            paragraphs.setdefault(r.paragraph, []).append((r.start, r.end))
        self.paragraphs = sorted((spans[0][0], spans[-1][1]) for spans in paragraphs.values())
        self._para_starts = [a for a, _ in self.paragraphs]
        self.quoted: list[tuple[int, int]] = []
        for spans in paragraphs.values():
            self.quoted.extend(_quotations(text, spans))
        self.quoted.sort()
        self._quote_starts = [a for a, _ in self.quoted]
        self._reach: list[int] = []  # furthest end among the quotations so far
        for _, b in self.quoted:
            self._reach.append(max(b, self._reach[-1]) if self._reach else b)
        self.quote_ends = {b for _, b in self.quoted}
        self.lower_words = set(_LOWER_WORD.findall(text))
        self.mid_capitals = set(_MID_CAPITAL.findall(text))
        self.people = set(_TITLED.findall(text))
        self.taken: list[tuple[int, int]] = []

    def region_at(self, pos: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and self.regions[i][0] <= pos < self.regions[i][1]:
            return self.regions[i]
        return None

    def paragraph_at(self, pos: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self._para_starts, pos) - 1)
        return self.paragraphs[i] if self.paragraphs else (0, len(self.text))

    def in_quotation(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._quote_starts, end)
        return i > 0 and self._reach[i - 1] > start

    def accept(self, c: Candidate) -> bool:
        """Whether ``c`` is safe to propose; if so, it claims its span."""
        text = self.text
        region = self.region_at(c.start)
        if region is None or c.end > region[1] or c.end <= c.start or text[c.start : c.end] != c.forms[0]:
            return False
        if not 2 <= len(c.forms) <= MAX_FORMS or self.in_quotation(c.start, c.end):
            return False
        for form in c.forms:
            if len(form) > MAX_FORM_CHARS or any(ch in form for ch in "{}|") or _LINE_BREAKS.search(form):
                return False
        if self.fmt == "markdown" and _MD_SYNTAX.search(c.forms[0]):
            return False
        if text[c.start - 1 : c.start] in {"\\", "{", "}"} or text[c.end : c.end + 1] in {"{", "}"}:
            return False
        keys = [retype_key(f) for f in c.forms]
        if len(set(keys)) != len(keys):
            return False
        i = bisect.bisect_left(self.taken, (c.start, c.end))
        # Not even touching a neighbour: a reader sees two separate wordings.
        if i > 0 and self.taken[i - 1][1] >= c.start:
            return False
        if i < len(self.taken) and self.taken[i][0] <= c.end:
            return False
        self.taken.insert(i, (c.start, c.end))
        return True

    def is_common(self, word: str) -> bool:
        """A capitalised sentence-initial ``word`` that is an ordinary word, not a name."""
        lower = word.lower()
        return lower in _FUNCTION_STARTERS or (lower in self.lower_words and word not in self.mid_capitals)

    def mid_sentence(self, phrase: str) -> str | None:
        """``phrase`` (which starts a sentence) as it reads inside one, or None when unsure."""
        words = phrase.split(" ")
        first = words[0]
        if first == "I" or self.is_name(first):
            return phrase
        if not self.is_common(first):
            return None
        if first == "The" and len(words) > 1 and words[1][:1].isupper():
            # "The Magic Roundabout" may be a title: follow what the text does mid-sentence.
            name = re.escape(words[1])
            if re.search(rf"(?<=[a-z,] )the {name}\b", self.text):
                return lower_first(phrase)
            return phrase if re.search(rf"(?<=[a-z,] )The {name}\b", self.text) else None
        return lower_first(phrase)

    def sentence_initial(self, phrase: str, *, any_word: bool) -> str | None:
        """``phrase`` (from inside a sentence) as it reads opening one, or None when unsure.

        With ``any_word`` false, only a determiner, pronoun or name may open it.
        """
        first = phrase.split(" ", 1)[0]
        if first in _FUNCTION_STARTERS or (any_word and first.islower() and first.isalpha()):
            return capitalise(phrase)
        if first[:1].isupper() and self.is_name(first):
            return phrase
        return None

    def is_name(self, word: str) -> bool:
        """A capitalised ``word`` the document itself treats as a name."""
        if word == "I" or (len(word) > 1 and word.isupper()):
            return True
        return word in self.mid_capitals and word.lower() not in self.lower_words


def _quotations(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quoted stretches of one paragraph, quotation marks included.

    Whether a straight mark opens or closes is read from its neighbours, not by
    counting: news copy often reopens a quotation it never closed. A quotation still
    open at the end of the paragraph runs to its end (news style reopens one that
    continues in the next paragraph), and a closing mark with no opener protects
    everything before it.
    """
    out: list[tuple[int, int]] = []
    first, end = spans[0][0], spans[-1][1]
    double: int | None = None
    single: int | None = None
    for a, b in spans:
        for i in range(a, b):
            ch = text[i]
            if ch not in QUOTE_MARKS:
                continue
            before = text[i - 1] if i > first else " "
            after = text[i + 1] if i + 1 < end else " "
            if ch in "'‘’":
                if double is not None:
                    continue
                if single is None and ch != "’" and not before.isalnum() and after.isalnum():
                    single = i
                elif single is not None and ch != "‘" and before.isalnum() and not after.isalnum():
                    # "players' union" inside a quotation: a closing s' may be a possessive.
                    if before == "s" and any(text.find(q, i + 1, end) != -1 for q in "'’"):
                        continue
                    out.append((single, i + 1))
                    single = None
                continue
            if ch in _OPEN_DOUBLE:
                opening = True
            elif ch in _CLOSE_DOUBLE:
                opening = False
            elif before.isspace() or before in "([{—–-":
                opening = not after.isspace()
            elif after.isspace() or after in ".,;:!?)]}—–-":
                opening = False
            else:
                opening = double is None
            if opening:
                if double is None:
                    double = i
                if single is not None:  # a double mark ends any single-quoted stretch
                    out.append((single, i))
                    single = None
            elif double is not None:
                out.append((double, i + 1))
                double = None
            else:
                out.append((first, i + 1))
    if double is not None:
        out.append((double, end))
    if single is not None:
        out.append((single, end))
    return out
