"""What a match is and what else it could be: forms, case, numbers and contexts.

Every function here answers one question about one regex match of one rule, so
that detection (``_engine``) and canonicalization (``_canon``) agree exactly on
what counts as a form.
"""

from __future__ import annotations

import bisect
import re

from barium.channels.orthography._rules import Rule, key
from barium.text.sentences import at_sentence_start, sentence_at

NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve".split()  # noqa: SIM905
)
MONTHS = (
    "January February March April May June July August September October November December".split()  # noqa: SIM905
)
_DAY_FIRST = re.compile(r"(\d{1,2}) ([A-Z][a-z]+)\Z")
_MONTH_FIRST = re.compile(r"([A-Z][a-z]+) (\d{1,2})\Z")
# Past a match's end, how far ``after`` and ``not_after`` contexts may read: a
# context pattern such as "no comma before the sentence ends" would otherwise read
# to the end of a sentence of a million words at every match in it.
AFTER_WINDOW = 2000


_commas: tuple[str, list[int]] | None = None


def _commas_of(text: str) -> list[int]:
    # One text at a time is searched (a master, then its variants' alternatives),
    # so the last one's commas are kept; the identity test is O(1).
    global _commas
    if _commas is None or _commas[0] is not text:
        _commas = (text, [m.start() for m in re.finditer(",", text)])
    return _commas[1]


def sentence_begin(text: str, i: int) -> int:
    """Index where the sentence holding ``i`` starts (:mod:`barium.text.sentences`)."""
    sentence = sentence_at(text, i)
    return sentence[0] if sentence else 0


def comma_between(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` holds a comma."""
    commas = _commas_of(text)
    k = bisect.bisect_left(commas, start)
    return k < len(commas) and commas[k] < end


def capitalise(form: str) -> str:
    return form[:1].upper() + form[1:] if form[:1].isalpha() else form


def _apostrophe(form: str, like: str) -> str:
    return form.replace("'", "\u2019") if "\u2019" in like else form


def text_forms(rule: Rule, text: str, start: int, site: str, *, strict: bool) -> tuple[tuple[str, ...], int] | None:
    """The forms of a listed-word site and which one ``site`` is, in the master's case.

    ``strict`` (detection) accepts a capitalised lower-case form only at a sentence
    start, because a capital mid-sentence means a name; canonicalization takes any.
    """
    hit = rule.lookup.get(key(site))
    if hit is None:
        return None
    i, j = hit
    listed = rule.sets[i][j]
    plain = site.replace("\u2019", "'")
    if plain == listed:
        cap = False
    elif rule.case == "lower" and plain == capitalise(listed) and (not strict or at_sentence_start(text, start)):
        cap = True
    elif not strict and rule.case == "lower":
        cap = plain[:1].isupper()
    else:
        return None
    forms = tuple(_apostrophe(capitalise(f) if cap else f, site) for f in rule.sets[i])
    return forms, j


def number_forms(site: str) -> tuple[tuple[str, ...], int] | None:
    """``five`` / ``5``: the word form first, so the digit form is index 1 everywhere."""
    low = site.casefold()
    if low.isdigit():
        value, j = int(low), 1
    elif low in NUMBER_WORDS:
        value, j = NUMBER_WORDS.index(low), 0
    else:
        return None
    if not 0 <= value < len(NUMBER_WORDS):
        return None
    word = NUMBER_WORDS[value]
    return (capitalise(word) if site[:1].isupper() else word, str(value)), j


def thousands_forms(site: str) -> tuple[tuple[str, ...], int] | None:
    """``1,500`` / ``1500``: same digits, same value; only the separator differs."""
    plain = site.replace(",", "")
    if not plain.isdigit():
        return None
    with_comma = f"{int(plain):,}" if len(plain) <= 4 else site
    return (with_comma, plain), 0 if "," in site else 1


def day_month_forms(site: str) -> tuple[tuple[str, ...], int] | None:
    """``1 January`` / ``January 1``: the same date, day first or month first."""
    if m := _DAY_FIRST.match(site):
        day, month, j = m.group(1), m.group(2), 0
    elif m := _MONTH_FIRST.match(site):
        month, day, j = m.group(1), m.group(2), 1
    else:
        return None
    if month not in MONTHS or not 1 <= int(day) <= 31:
        return None
    return (f"{day} {month}", f"{month} {day}"), j


def forms_of(rule: Rule, text: str, start: int, end: int, *, strict: bool) -> tuple[tuple[str, ...], int] | None:
    """Dispatch on the rule's kind: the forms of the site ``text[start:end]`` and the
    index of the one it shows."""
    site = text[start:end]
    if rule.kind == "text":
        return text_forms(rule, text, start, site, strict=strict)
    if rule.kind == "number-words":
        return number_forms(site)
    if rule.kind == "thousands":
        return thousands_forms(site)
    return day_month_forms(site)


def context_ok(rule: Rule, text: str, start: int, end: int) -> bool:
    """The detection-only conditions around a match ``text[start:end]`` that a regex
    cannot express cheaply."""
    if rule.sentence_start and not at_sentence_start(text, start):
        return False
    if rule.mid_sentence and at_sentence_start(text, start):
        return False
    if rule.no_comma_before and comma_between(text, sentence_begin(text, start), start):
        return False
    lo = max(0, start - 80)
    if rule.before is not None and not rule.before.search(text, lo, start):
        return False
    if rule.not_before is not None and rule.not_before.search(text, lo, start):
        return False
    hi = end + AFTER_WINDOW
    if rule.after is not None and not rule.after.match(text, end, hi):
        return False
    return not (rule.not_after is not None and rule.not_after.match(text, end, hi))
