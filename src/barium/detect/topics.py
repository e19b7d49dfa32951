"""Which document a report in the reporter's own words is about.

A reporter restating a document rewords every sentence but keeps its specifics:
the names of places, people, organisations and operations, and its figures. A
document is linked to an article when the article names many of the document's
specifics (``min_terms``) and they make up a good share of all the specifics the
article names (``min_share``): a report of a leak is mostly about the document; an
article on the same subject shares a few names ("Home Office", "Leeds") among many
of its own. The thresholds are calibrated in ``benchmarks/paraphrase_tracing.py``
(reports of leaks against same-topic articles and the BBC corpus, as false links per
10,000 articles).

Mark-blind: only the master's text is read, never a copy's, so linking cannot
depend on who holds which copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from barium.text.sentences import sentence_spans

__all__ = ["MIN_SHARE", "MIN_TERMS", "TopicLink", "document_terms", "known_terms", "link", "specific_terms"]

MIN_TERMS = 6
MIN_SHARE = 0.45

_WORD = re.compile(r"[^\W\d_][\w'\u2019&.-]*[^\W_]|[^\W\d_]|\d[\d,.]*\d|\d")
_CALENDAR = frozenset(
    (
        *("january", "february", "march", "april", "may", "june", "july", "august", "september"),
        *("october", "november", "december", "monday", "tuesday", "wednesday", "thursday"),
        *("friday", "saturday", "sunday"),
    )
)
# Capitalised after a colon, in a title or as a pronoun: no specifics.
_CAPITALISED_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "in",
        "on",
        "at",
        "of",
        "for",
        "and",
        "but",
        "or",
        "if",
        "as",
        "by",
        "with",
        "from",
        "to",
        "our",
        "their",
        "his",
        "her",
        "mr",
        "mrs",
        "ms",
        "dr",
    ]
)


def specific_terms(text: str) -> frozenset[str]:
    """The specifics a text names: capitalised words inside a sentence (names of
    places, people, organisations, operations), case-folded, and figures of 100 or
    more that are not years."""
    out: set[str] = set()
    for a, b in sentence_spans(text):
        first = True
        for m in _WORD.finditer(text, a, b):
            word = m.group()
            if word[0].isdigit():
                digits = word.replace(",", "")
                try:
                    value = float(digits)
                except ValueError:
                    continue
                year = 1900 <= value <= 2100 and digits.isdigit()
                if value >= 100 and not year:
                    out.add("#" + digits)
            elif word[0].isupper() and not first:
                key = word.casefold().rstrip(".").removesuffix("'s").removesuffix("\u2019s")
                if len(key) >= 3 and key not in _CALENDAR and key not in _CAPITALISED_WORDS:
                    out.add(key)
            first = False
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class TopicLink:
    """How much of an article's specifics one document names."""

    shared: int  # the document's specifics the article names
    named: int  # all the specifics the article names

    @property
    def share(self) -> float:
        return self.shared / self.named if self.named else 0.0

    def linked(self, *, min_terms: int = MIN_TERMS, min_share: float = MIN_SHARE) -> bool:
        return self.shared >= min_terms and self.share >= min_share


def link(article: frozenset[str], document: frozenset[str]) -> TopicLink:
    """The specifics of ``article`` (:func:`specific_terms`) that ``document``'s name too."""
    return TopicLink(len(article & document), len(article))


_DOCUMENTS: dict[str, frozenset[str]] = {}
_DOCUMENTS_KEPT = 4096


def known_terms(digest: str) -> frozenset[str] | None:
    """The specifics of the master registered as ``digest``, if this process has them."""
    return _DOCUMENTS.get(digest)


def document_terms(digest: str, master: str) -> frozenset[str]:
    """A master's specifics, computed once per process for each registered file (by its
    hash, ``digest``): a scan compares every article with every document."""
    terms = _DOCUMENTS.get(digest)
    if terms is None:
        terms = specific_terms(master)
        if len(_DOCUMENTS) < _DOCUMENTS_KEPT:
            _DOCUMENTS[digest] = terms
    return terms
