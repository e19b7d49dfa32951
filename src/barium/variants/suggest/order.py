"""The ``list-order`` and ``coordination-order`` families: ``A, B and C`` and ``A and B`` in other orders.

Only items of one kind from the :mod:`~barium.variants.suggest.gazetteer` or
people the document titles are reordered, and only where nothing around them
says the order matters (ranks, ``respectively``, parallel figures).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from typing import NamedTuple

from barium.variants.suggest.context import Candidate, Doc
from barium.variants.suggest.gazetteer import (
    ABBREVIATED_PLACES,
    CATEGORY,
    CITIES,
    COUNTRIES,
    FIXED_PAIRS,
    NATIONALITIES,
    PARTIES,
    THE_PLACES,
)
from barium.variants.suggest.lexicon import capitalise, wordset
from barium.variants.suggest.sentences import at_sentence_start, sentence_end, sentence_start_before


def _alternation(names: list[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


_ITEM = re.compile(
    r"(?<![\w'’.-])(?:"
    rf"(?P<the>[Tt]he )?(?P<tname>{_alternation(THE_PLACES)})"
    rf"|(?P<name>{_alternation(COUNTRIES + CITIES + NATIONALITIES + PARTIES)})"
    r"|(?P<title>(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady|Dame|Prof)\.? (?:[A-Z][a-z'’-]+ )?(?P<surname>[A-Z][a-z'’-]+))"
    r"|(?P<bare>[A-Z][a-z'’-]{2,})"
    r")(?![\w-])"
)
_PREPOSITIONS = wordset(
    "in on at for from with by over into against about after before during since under between to as than "
    "through across within without amid among amongst towards toward last this earlier later"
)
_CLAUSE_OPENERS = wordset("that while when whereas if because but although though as since both")
_ORDER_WORDS = re.compile(r"\b(?:respectively|former|latter|in that order|vice versa)\b", re.IGNORECASE)
# A list in a sentence about rank reads as ranked: "fourth after England, South Africa and France".
_RANKING = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|ranked|ranking|rankings|behind|"
    r"ahead of|followed by|top (?:two|three|four|five)|order)\b",
    re.IGNORECASE,
)
_PARALLEL_NUMBERS = re.compile(r"\d[\d,.]*(?:%|m|bn| per cent)? and [£$€]?\d")


_ORDERS: dict[int, list[tuple[int, ...]]] = {2: [(0, 1), (1, 0)], 3: [(0, 1, 2), (0, 2, 1), (1, 0, 2), (2, 1, 0)]}


class _Item(NamedTuple):
    start: int
    end: int
    name: str
    category: str
    the: bool  # written with its own "the"


def _items(doc: Doc, a: int, b: int) -> list[_Item]:
    out = []
    for m in _ITEM.finditer(doc.text, a, b):
        if m.group("tname"):
            name = m.group("tname")
            out.append(_Item(m.start(), m.end(), name, "place", bool(m.group("the"))))
        elif m.group("name"):
            out.append(_Item(m.start(), m.end(), m.group("name"), CATEGORY[m.group("name")], False))
        elif m.group("title"):
            out.append(_Item(m.start(), m.end(), m.group("title"), "person", False))
        elif m.group("bare") in doc.people and m.group("bare") not in CATEGORY:
            out.append(_Item(m.start(), m.end(), m.group("bare"), "person", False))
    return out


def find_lists(doc: Doc) -> Iterator[Candidate]:
    yield from _sequences(doc, three=True)


def find_pairs(doc: Doc) -> Iterator[Candidate]:
    yield from _sequences(doc, three=False)


def _sequences(doc: Doc, *, three: bool) -> Iterator[Candidate]:
    text = doc.text
    for a, b in doc.regions:
        items = _items(doc, a, b)
        n = 3 if three else 2
        for i in range(len(items) - n + 1):
            group = items[i : i + n]
            seps = [text[x.end : y.start] for x, y in pairwise(group)]
            if three:
                if seps[0] != ", " or seps[1] not in {" and ", ", and "}:
                    continue
            elif seps != [" and "]:
                continue
            cand = _reorder(doc, group, seps)
            if cand is not None:
                yield cand


def _reorder(doc: Doc, group: list[_Item], seps: list[str]) -> Candidate | None:
    text = doc.text
    if len({x.category for x in group}) != 1 or len({x.name for x in group}) != len(group):
        return None
    if any(frozenset((x.name, y.name)) in FIXED_PAIRS for x, y in pairwise(group)):
        return None
    first, last = group[0], group[-1]
    category = first.category
    sentence_start = at_sentence_start(doc, first.start)
    para = doc.paragraph_at(first.start)
    if _ORDER_WORDS.search(text, *para):
        return None
    end = sentence_end(doc, last.end)
    sentence = (sentence_start_before(doc, first.start), para[1] if end is None else end)
    if _PARALLEL_NUMBERS.search(text, *sentence) or _RANKING.search(text, *sentence):
        return None

    # What comes before: not part of a longer name, not the tail of a longer list.
    before = text[max(para[0], first.start - 60) : first.start]
    prev_words = re.findall(r"[\w'’-]+|[^\w\s]", before)
    prev = prev_words[-1] if prev_words else ""
    prev2 = prev_words[-2] if len(prev_words) > 1 else ""
    if before and not before[-1].isspace() and before[-1] not in "(":
        return None
    if prev in {"and", "or", "nor", "&", "-", "–", "/"}:
        return None
    if prev == "," and prev2[:1].isupper():
        return None
    if prev[:1].isupper() and not (
        at_sentence_start(doc, first.start - len(prev) - 1) and prev.lower() in _PREPOSITIONS | {"both", "between"}
    ):
        return None
    if prev == "of" and prev2[:1].isupper():
        return None
    clause_start = sentence_start or prev in _CLAUSE_OPENERS or (prev == "," and not prev2[:1].isupper())
    binding = prev in {"between", "both"}

    # What comes after the last item.
    after = text[last.end : last.end + 40]
    nxt = re.match(r"\s*([\w'’-]+|\S)?", after)
    follower = nxt.group(1) if nxt and nxt.group(1) else ""
    shared_the = (prev == "the" or prev == "The") and not any(x.the for x in group)
    adjectival = False
    closing = follower in {"", ".", ",", ";", ":", "!", "?", ")"} or after.startswith(("'s", "’s", "' ", "’ "))
    if closing or follower in _PREPOSITIONS:
        pass
    elif (
        follower[:1].isupper() or follower[:1].isdigit() or follower.lower() in {"-", "–", "/", "&", "and", "or", "nor"}
    ):
        return None
    elif category in {"nationality", "party"} or all(x.name in ABBREVIATED_PLACES and not x.the for x in group):
        adjectival = True
    elif not (clause_start or binding):
        return None
    if adjectival and any(x.the for x in group):
        return None
    bare_the = [x.name in THE_PLACES and not x.the for x in group]
    if any(x.the for x in group) and any(bare_the) and not shared_the:
        return None  # "the US, China and UK": a bare noun that needs its own "the" once moved

    words = [text[x.start : x.end] for x in group]
    if sentence_start and words[0].startswith("The "):
        words[0] = "the " + words[0][4:]
    orders = _ORDERS[len(group)]

    def build(order: tuple[int, ...]) -> str:
        pieces = [words[order[0]]]
        for sep, k in zip(seps, order[1:], strict=True):
            pieces += [sep, words[k]]
        out = "".join(pieces)
        return capitalise(out) if sentence_start else out

    forms = tuple(build(o) for o in orders)
    if forms[0] != text[first.start : last.end]:
        return None
    note = "list order" if len(group) == 3 else "coordination order"
    return Candidate(first.start, last.end, forms, note)
