"""The ``time-fronting`` and ``source-fronting`` families: an adverbial at either end of a sentence.

``Shares fell on Monday.`` and ``On Monday, shares fell.``; ``Sales rose,
according to X.`` and ``According to X, sales rose.``. Only short one-clause
sentences qualify: with a second clause, a scope word or a second verb, the
moved phrase could attach to something else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from barium.variants.suggest.context import QUOTE_MARKS, Candidate, Doc
from barium.variants.suggest.lexicon import (
    DETERMINERS,
    NOT_IN_SIMPLE,
    NOT_IN_SUBJECT,
    WORDS,
    capitalise,
    lower_first,
    verbish,
    wordset,
)
from barium.variants.suggest.sentences import sentences_in

_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_YEAR = r"(?:19|20)\d\d"
# Time adverbials as they read at the end of a sentence (first letter lower case).
_ADVERBIAL = (
    rf"(?:(?:late |early )?on {_DAY}(?: (?:morning|afternoon|evening|night))?"
    rf"|(?:last|this|next) (?:week|month|year|weekend|season|summer|autumn|winter|spring|{_DAY}|{_MONTH})"
    rf"|last night|(?:earlier|later) this (?:week|month|year)"
    rf"|in {_MONTH}(?: {_YEAR})?|in {_YEAR}"
    rf"|in the (?:first|second|third|fourth|final|last) quarter(?: of (?:the year|{_YEAR}))?"
    rf"|(?:two|three|four|five|six|seven|eight|nine|ten|\d{{1,2}}) (?:days|weeks|months|years) ago"
    rf"|a (?:day|week|month|year) ago"
    rf"|on \d{{1,2}} {_MONTH}(?: {_YEAR})?|(?:over|at) the weekend|yesterday|today)"
)
_AT_END = re.compile(rf"(?P<body>.+?) (?P<adv>{_ADVERBIAL})")
_AT_START = re.compile(rf"(?P<adv>{_ADVERBIAL})(?P<comma>,?) (?P<body>.+)")
_TIME_WORD = re.compile(rf"\b(?:{_DAY}|{_MONTH}|{_YEAR}|yesterday|today|tonight|ago|week|month|year)\b")
_PLAIN = re.compile(r"[A-Za-z0-9£$€%'’ .-]+")
# Verbs whose object can carry its own date (a forecast for 2005 is not made in 2005).
_FORWARD_LOOKING = tuple(
    wordset(
        "forecast predict expect plan project estimat aim target intend propos seek sought want hope hoping "
        "anticipat envisag promis pledg vow threat warn schedul budget prepar"
    )
)
_SUBJECT_PRONOUNS = wordset("he she it they we i you there")
_NOT_BEFORE_ADVERBIAL = wordset(
    "of the a an from since until to for by between before after during as than and or but in on at with "
    "earlier later early late"
)


def find_time_fronting(doc: Doc) -> Iterator[Candidate]:
    text = doc.text
    for a, b in doc.regions:
        for s, e in sentences_in(doc, a, b):
            sentence = text[s:e]
            if (m := _AT_END.fullmatch(sentence)) and _simple(m.group("body")):
                body, adv = m.group("body"), m.group("adv")
                # A sentence does not open with a numeral.
                if (moved := doc.mid_sentence(body)) is None or adv[0].isdigit():
                    continue
                yield Candidate(s, e, (sentence, f"{capitalise(adv)}, {moved}"), "time adverbial fronted")
            elif (m := _AT_START.fullmatch(lower_first(sentence))) and _simple(m.group("body")):
                adv, comma, body = m.group("adv"), m.group("comma"), m.group("body")
                # Without the comma, "Today programme ..." is not "Today, programme ...".
                if (moved := doc.sentence_initial(body, any_word=bool(comma))) is None:
                    continue
                yield Candidate(s, e, (sentence, f"{moved} {adv}"), "time adverbial moved to the end")


def find_source_fronting(doc: Doc) -> Iterator[Candidate]:
    """'Sales rose 5%, according to the firm.' and 'According to the firm, sales rose 5%.'"""
    text = doc.text
    for a, b in doc.regions:
        for s, e in sentences_in(doc, a, b):
            sentence = text[s:e]
            if m := _SOURCE_AT_END.fullmatch(sentence):
                body, source = m.group("body"), m.group("source")
                if not (_source(source) and _clause(body)) or (moved := doc.mid_sentence(body)) is None:
                    continue
                yield Candidate(s, e, (sentence, f"{capitalise(source)}, {moved}"), "source fronted")
            elif m := _SOURCE_AT_START.fullmatch(sentence):
                source, body = m.group("source"), m.group("body")
                if not (_source(source) and _clause(body)):
                    continue
                if (moved := doc.sentence_initial(body, any_word=True)) is None:
                    continue
                yield Candidate(s, e, (sentence, f"{moved}, {lower_first(source)}"), "source moved to the end")


_SOURCE_AT_END = re.compile(r"(?P<body>[A-Z][^,;:]+), (?P<source>according to [^,;:]+)")
_SOURCE_AT_START = re.compile(r"(?P<source>According to [^,;:]+), (?P<body>[^,;:]+)")


def _source(source: str) -> bool:
    words = WORDS.findall(source)[2:]  # after "according to"
    return 1 <= len(words) <= 8 and not any(w.lower() in _CLAUSE_WORDS | NOT_IN_SUBJECT - {"of", "for"} for w in words)


def _clause(body: str) -> bool:
    """One plain clause: no quotation, no second clause for the source to cover alone."""
    if any(ch in QUOTE_MARKS or ch in "()[]—–" for ch in body) or re.search(r"\s-\s", body):
        return False
    words = WORDS.findall(body)
    return 3 <= len(words) <= 30 and not any(w.lower() in _CLAUSE_WORDS for w in words)


_CLAUSE_WORDS = wordset(
    "and but or nor while whilst whereas although though because if whether that which who said says told "
    "according confirmed claimed believes believed thinks thought"
)


def _simple(body: str) -> bool:
    """A short one-clause sentence body with no quotation, comparison or scope word."""
    if not _PLAIN.fullmatch(body) or re.search(r"(?<![A-Za-z])['’]|\.(?!\d)|\s-|-\s", body):
        return False
    words = WORDS.findall(body)
    if not 2 <= len(words) <= 25 or _TIME_WORD.search(body):
        return False
    lower = [re.split(r"['’]", w.lower())[0] for w in words]  # it's -> it
    if any(w in NOT_IN_SIMPLE for w in lower) or re.search(r"n['’]t\b|['’]ve\b", body):
        return False
    if any(w.startswith(_FORWARD_LOOKING) for w in lower):
        return False  # "is forecasting growth in 2005": the date belongs to the growth
    if any(w in _SUBJECT_PRONOUNS for w in lower[1:]) or lower[-1] in _NOT_BEFORE_ADVERBIAL:
        return False
    for w, nxt, raw in zip(lower, lower[1:], words[1:], strict=False):
        if w == "to" and not (raw[:1].isupper() or raw[:1] in "£$€0123456789" or nxt in DETERMINERS):
            return False  # an infinitive: "plans to cut jobs in 2005" has two times to attach to
    return _verb_groups(lower[1:]) <= 1


def _verb_groups(words: list[str]) -> int:
    """Verb phrases among ``words``: an auxiliary chain and its verb count once."""
    groups = 0
    in_group = False
    for w in words:
        if verbish(w):
            groups += not in_group
            in_group = True
        elif not (in_group and (w.endswith("ly") or w in {"also", "still", "already"})):
            in_group = False
    return groups
