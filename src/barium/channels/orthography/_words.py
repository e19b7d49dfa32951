"""One pass for every word-list rule: words and short phrases looked up in a table.

Most rules are lists of words (``towards``/``toward``, ``e-mail``/``email``, the
-ise families). A regex per rule costs a scan of the document per rule; instead
the text is cut into words once, and every run of one to three words joined by
single spaces is looked up in a table of all listed forms. A word glued to a
hyphen or a full stop belongs to a longer token (``anti-e-mail``), exactly as the
rule's own pattern would decide.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from barium.channels.orthography._rules import Rule, key

# A word as forms are written: letters first, inner apostrophes, hyphens and full stops
# ("e-mail", "U.S.", "don't", "e.g."), and one trailing full stop.
_WORD = re.compile(r"[^\W\d_][\w'\u2019]*(?:[-.][\w'\u2019]+)*\.?")
_POSSESSIVE = ("'s", "\u2019s")


def _glued(text: str, start: int) -> bool:
    """True when the word continues a token to its left (``5m``, ``mid-term``)."""
    if start == 0:
        return False
    ch = text[start - 1]
    return ch.isalnum() or ch in "-._"


@dataclass(frozen=True, slots=True)
class Hit:
    """A listed form found in the text, and the rules (by position) that list it."""

    start: int
    end: int
    rules: tuple[int, ...]


class WordIndex:
    """Every form of a set of word-list rules, for one combined lookup pass."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        table: dict[str, list[int]] = {}
        heads: set[str] = set()
        for i, rule in enumerate(self.rules):
            for form_set in rule.sets:
                for form in form_set:
                    if form:
                        table.setdefault(key(form), []).append(i)
                        if " " in form:
                            heads.add(key(form.split(" ", 1)[0]))
        self.table = {k: tuple(dict.fromkeys(v)) for k, v in table.items()}
        self.longest = max((k.count(" ") + 1 for k in self.table), default=1)
        # First words of the multi-word forms: only after one of these is a phrase tried.
        self.heads = frozenset(heads)

    def _lookup(self, text: str, start: int, end: int) -> Hit | None:
        found = self.table.get(key(text[start:end]))
        if found is not None:
            return Hit(start, end, found)
        # A sentence's full stop or a possessive is not part of the word.
        if text[end - 1] == ".":
            found = self.table.get(key(text[start : end - 1]))
            if found is not None:
                return Hit(start, end - 1, found)
        for tail in _POSSESSIVE:
            if text.endswith(tail, start, end):
                found = self.table.get(key(text[start : end - 2]))
                if found is not None:
                    return Hit(start, end - 2, found)
        return None

    def hits(self, text: str) -> Iterator[Hit]:
        """Longest listed phrase at each word, left to right, never overlapping."""
        words = [(m.start(), m.end()) for m in _WORD.finditer(text) if not _glued(text, m.start())]
        i = 0
        n = len(words)
        while i < n:
            best: Hit | None = None
            width = 0
            widest = min(self.longest, n - i) if key(text[words[i][0] : words[i][1]]) in self.heads else 1
            for k in range(widest, 0, -1):
                last = i + k - 1
                if any(text[words[j][1] : words[j + 1][0]] != " " for j in range(i, last)):
                    continue
                if k > 1 and text[words[last - 1][1] - 1] == ".":
                    continue
                best = self._lookup(text, words[i][0], words[last][1])
                if best is not None:
                    width = k
                    break
            if best is not None:
                yield best
                i += width
            else:
                i += 1
