"""A master's house style, read from the master: which alternations a copy may use.

A copy must read as the same document. So before any rule marks it, the master's
style is read: its spelling variety (British or American) and its register (formal:
no contractions). A form whose style the master does not share is never shown:
no "afterward" in a British memo, no "don't" in a formal one, no "Dr." where the
master writes "Dr", no "5" where it writes "five". Rules whose style is visible across the document (a spelling,
a date or number style, an abbreviation) keep one form in the whole copy
(``scope = "document"`` in the rule files), so no copy writes "19 November" in one
section and "November 8" in another.

The variety is read from the forms the rules find in the master and from a few
spellings no rule varies (``colour``/``color``): the variety with more evidence
wins; with none, or a tie, only forms of no variety are used.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from barium.channels.base import PROFILE_SWITCH
from barium.channels.orthography._engine import Candidate

__all__ = ["PROFILE_SWITCH", "StyleProfile", "read_profile"]


# Spellings that tell the variety and that no rule varies.
_UK = re.compile(
    r"\b(?:colour|favour|honour|labour|neighbour|behaviour|harbour|rumour|centre|theatre|metre|litre|fibre|"
    r"programme|defence|offence|licence|catalogue|travelled|travelling|cancelled|modelled|grey|cheque|tyre|"
    r"aluminium|jewellery|manoeuvre|paediatric|anaemia|oestrogen|whilst|amongst|kerb|storey)s?\b",
    re.IGNORECASE,
)
# A contraction: what an informal register writes and a formal one never does.
_CONTRACTION = re.compile(r"\b\w+n['\u2019]t\b|\b(?:I|we|they|you|he|she|it|that|there)['\u2019](?:re|ve|ll|d|m|s)\b")
# Two to nine in words, and alone in digits (not part of a larger number, a date or a decimal).
_SMALL_WORDS = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine)\b", re.IGNORECASE)
_SMALL_DIGITS = re.compile(r"(?<![\d.,:/£$€-])\b[2-9]\b(?![\d.,:/-]\d)")
_US = re.compile(
    r"\b(?:color|favor|honor|labor|neighbor|behavior|harbor|rumor|center|theater|meter|liter|fiber|"
    r"defense|offense|catalog|traveled|traveling|canceled|modeled|gray|tire|aluminum|jewelry|maneuver|"
    r"pediatric|anemia|estrogen)s?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class StyleProfile:
    """The master's spelling variety (None: not told), whether it is informal, and,
    for each rule group, the form(s) the master writes most (its house style)."""

    variety: str | None
    informal: bool
    house: dict[str, frozenset[int]] = field(default_factory=dict)

    def allows(self, style: str, group: str, form: int) -> bool:
        """May a copy show form ``form`` of a rule of ``group``, of this style
        (``barium.channels.orthography._rules.STYLES``)?"""
        if style == "any":
            return True
        if style == "informal":
            return self.informal
        if style == "house":
            # A date, number or abbreviation style: only the one the master writes most.
            return form in self.house.get(group, frozenset())
        return style == self.variety


def read_profile(text: str, found: Iterable[Candidate]) -> StyleProfile:
    """The style of the master ``text``, from the rule matches ``found`` in it."""
    evidence = {"uk": len(_UK.findall(text)), "us": len(_US.findall(text)), "informal": len(_CONTRACTION.findall(text))}
    uses: dict[str, Counter[int]] = {}
    for c in found:
        style = c.rule.style[c.form] if c.rule.style else "any"
        if style in evidence:
            evidence[style] += 1
        uses.setdefault(c.rule.group, Counter())[c.form] += 1
    uk, us = evidence["uk"], evidence["us"]
    variety = "uk" if uk > us else "us" if us > uk else None
    # A house style is the form the master writes at least twice as often as any other:
    # a copy may bring a stray form into line with it, never the reverse. A master
    # without so clear a habit has no house style for the rule, and it is not varied.
    # How the master writes two to nine is read from all of it, not only where the rule
    # matches: "7 per cent" and "2 of them" show the habit as much as "five years" does.
    if "small-numbers" in uses:
        uses["small-numbers"] = Counter({0: len(_SMALL_WORDS.findall(text)), 1: len(_SMALL_DIGITS.findall(text))})
    house = {g: frozenset(_clear_habit(u)) for g, u in uses.items()}
    return StyleProfile(variety, evidence["informal"] > 0, house)


def _clear_habit(uses: Counter[int]) -> set[int]:
    uses = +uses  # forms the master writes at least once
    if not uses:
        return set()
    (top, n), *rest = uses.most_common()
    runner_up = rest[0][1] if rest else 0
    return {top} if n >= 2 * runner_up and rest else set()
