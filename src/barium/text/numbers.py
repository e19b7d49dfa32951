"""Numbers as people write them: digits ("1,250", "4.5") and words ("thirty-six").

One reading of a number for everything that compares quantities: content canaries
read from a reporter's paraphrase, and the entities paraphrase detection keeps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["SMALL_NUMBERS", "NumberMention", "hedged_before", "number_mentions", "parse_number"]

_UNITS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
SMALL_NUMBERS: dict[str, int] = {w: i for i, w in enumerate((*_UNITS, "twenty"))}
_WORD_VALUE: dict[str, int] = {
    **{w: i for i, w in enumerate(_UNITS)},
    **{w: 20 + 10 * i for i, w in enumerate(_TENS)},
}
_SCALES = {"dozen": 12, "hundred": 100, "thousand": 1000}

# Digits with thousands separators or a decimal part, and a money-style magnitude
# after them ("£3.7m", "$48bn", "670k": the number written is 3.7, 48, 670, as in
# "£3.7 million"); not part of a longer word ("M62", "3rd", "2024-25" give no number:
# a code, an ordinal, a range).
_DIGITS = re.compile(r"(?<![\w.,])(?<!\d-)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:m|bn|k)?(?![\w]|[.,]\d|-\d)")
_VALUE_WORD = "|".join((*_WORD_VALUE, *_SCALES))
# Number words joined by spaces, hyphens, "and" or "a" ("two hundred and forty",
# "one hundred a"); a leading "a" only before a scale ("a thousand").
_WORDS = re.compile(
    rf"\b(?:a\s+(?=(?:dozen|hundred|thousand)\b))?(?:{_VALUE_WORD})(?:(?:[\s-]+(?:and|a))*[\s-]+(?:{_VALUE_WORD}))*\b",
    re.IGNORECASE,
)


_ABOVE = frozenset({"over", "more than", "upwards of", "at least", "odd", "plus"})
_BELOW = frozenset({"nearly", "almost", "under", "up to", "fewer than", "less than", "at most", "as many as"})
# Words that make the number after them an estimate or a bound, not a count:
# "about 40 officers", "nearly 2,000 flyers", "more than 60 days".
_HEDGE = re.compile(
    r"\b(about|around|nearly|almost|roughly|approximately|some|over|under|up\s+to|close\s+to|upwards\s+of"
    r"|more\s+than|fewer\s+than|less\s+than|at\s+least|at\s+most|as\s+many\s+as)\s+$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A number in a text: its value, where it is written, and whether it is written as
    an estimate: hedged (``hedge``: "about", "nearly", "more than", lower case) or in
    dozens ("two dozen")."""

    value: Decimal
    start: int
    end: int
    hedge: str = ""
    dozens: bool = False

    @property
    def hedged(self) -> bool:
        return bool(self.hedge)

    @property
    def bound(self) -> str:
        """Which way the estimate leans: "above" ("more than 40": at least 40), "below"
        ("nearly 40", "up to 40": at most 40) or "" (about it, or no estimate)."""
        word = " ".join(self.hedge.split())
        if word in _ABOVE:
            return "above"
        return "below" if word in _BELOW else ""


def parse_number(text: str) -> Decimal | None:
    """The value of ``text`` if it is one number in digits ("1,250", "4.5") or words
    ("thirty-six", "two hundred and forty"); None otherwise."""
    text = text.strip()
    m = _DIGITS.fullmatch(text)
    if m:
        try:
            return Decimal(m.group(1).replace(",", "") + (m.group(2) or ""))
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            return None
    value = _words_value(text)
    return Decimal(value) if value is not None else None


def number_mentions(text: str) -> list[NumberMention]:
    """Every number written in ``text``, in digits or in words, in order."""
    found = [
        NumberMention(
            Decimal(m.group(1).replace(",", "") + (m.group(2) or "")),
            m.start(),
            m.end(),
            _hedge(text, m.start(), m.end()),
        )
        for m in _DIGITS.finditer(text)
    ]
    for m in _WORDS.finditer(text):
        value = _words_value(m.group())
        if value is not None:
            dozens = "dozen" in m.group().casefold()
            found.append(NumberMention(Decimal(value), m.start(), m.end(), _hedge(text, m.start(), m.end()), dozens))
    return sorted(found, key=lambda n: n.start)


# Words after a number that make it an estimate: "twenty-odd", "40-plus", "30 or so".
_HEDGE_AFTER = re.compile(r"(?:[\s-]+(odd|plus)\b|\s+(or\s+so)\b)", re.IGNORECASE)


def _hedge(text: str, start: int, end: int | None = None) -> str:
    m = _HEDGE.search(text, max(0, start - 24), start)
    if m:
        return m.group(1).casefold()
    after = _HEDGE_AFTER.match(text, end) if end is not None else None
    return (after.group(1) or after.group(2)).casefold() if after else ""


def hedged_before(text: str, start: int) -> bool:
    """Whether ``text`` hedges what starts at ``start`` ("about ", "more than ")."""
    return bool(_hedge(text, start))


def _words_value(text: str) -> int | None:
    """ "thirty-six" -> 36, "two hundred and forty" -> 240, "a thousand" -> 1000; None
    for anything that is not one number ("five six", "twenty thirty")."""
    words = [w for w in re.split(r"[\s-]+", text.casefold()) if w and w != "and"]
    if not words:
        return None
    total = current = 0
    last = ""  # the kind of the previous word: unit, ten or scale
    for i, w in enumerate(words):
        if w == "a":  # "a hundred", "a dozen": only before a scale
            if i + 1 == len(words) or words[i + 1] not in _SCALES or last:
                return None
            current, last = 1, "unit"
            continue
        if w in _SCALES:
            if last not in ("unit", "ten") or (w == "hundred" and current >= 100):
                return None
            if w == "dozen":
                if current >= 12:
                    return None
                current *= 12
            elif w == "hundred":
                current *= 100
            else:
                total, current = total + current * 1000, 0
            last = "scale"
            continue
        value = _WORD_VALUE.get(w)
        if value is None:
            return None
        kind = "ten" if value >= 20 else "unit"
        if last == "unit" or (last == "ten" and kind == "ten") or (last == "ten" and value >= 10):
            return None
        current += value
        last = kind
    if last == "":
        return None
    return total + current
