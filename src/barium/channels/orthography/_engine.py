"""Finding sites: every rule's matches, kept only where a copy can be read back.

Two sites are kept only when at least one whole word that belongs to neither lies
between them. The tracer reads a site between the words that flank it; if a
flanking word were itself part of a neighbouring site, a copy showing another
form there would hide both. Spending one of two adjacent sites buys a reliable
reading of the other.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from barium.channels.base import Site
from barium.channels.orthography._forms import context_ok, forms_of
from barium.channels.orthography._rules import Rule
from barium.channels.orthography._words import WordIndex
from barium.formats.base import Region

# The tokenizer's own word pattern: sites are separated by whole tracer tokens.
from barium.text.tokens import _WORD as _TOKEN


@dataclass(frozen=True, slots=True)
class Candidate:
    """A match of one rule before regions and neighbours are checked."""

    order: int
    rule: Rule
    start: int
    end: int
    forms: tuple[str, ...]
    form: int


def _candidate(order: int, rule: Rule, text: str, span: tuple[int, int], whole: tuple[int, int]) -> Candidate | None:
    found = forms_of(rule, text, span[0], span[1], strict=True)
    if found is None:
        return None
    forms, form = found
    if form not in rule.detect or len(set(forms)) != len(forms):
        return None
    if not context_ok(rule, text, whole[0], whole[1]):
        return None
    return Candidate(order, rule, span[0], span[1], forms, form)


def candidates(text: str, rules: Sequence[Rule]) -> Iterator[Candidate]:
    """Every detectable match of every rule: word lists in one pass, patterns one by one."""
    order = {id(r): i for i, r in enumerate(rules)}
    words = word_index(tuple(r.id for r in rules if r.generated), [r for r in rules if r.generated])
    for hit in words.hits(text):
        for i in hit.rules:
            rule = words.rules[i]
            c = _candidate(order[id(rule)], rule, text, (hit.start, hit.end), (hit.start, hit.end))
            if c is not None:
                yield c
    for rule in rules:
        if rule.generated:
            continue
        for m in rule.regex.finditer(text):
            c = _candidate(order[id(rule)], rule, text, m.span("site"), m.span())
            if c is not None:
                yield c


_INDEXES: dict[tuple[str, ...], WordIndex] = {}


def word_index(ids: tuple[str, ...], rules: Sequence[Rule]) -> WordIndex:
    """The combined index of these word-list rules, built once per rule selection."""
    index = _INDEXES.get(ids)
    if index is None:
        if len(_INDEXES) > 64:  # per-document switches are few; keep memory bounded anyway
            _INDEXES.clear()
        index = _INDEXES[ids] = WordIndex(rules)
    return index


def _region_of(regions: Sequence[Region], starts: Sequence[int], a: int, b: int) -> Region | None:
    i = bisect.bisect_right(starts, a) - 1
    if i < 0:
        return None
    r = regions[i]
    return r if r.start <= a and b <= r.end else None


def select(text: str, regions: Sequence[Region], found: Iterable[Candidate], channel: str) -> list[Site]:
    """Sites inside one editable region each, in text order, with a free word between
    any two of them; on a clash the earlier site (then the earlier rule) wins."""
    starts = [r.start for r in regions]
    spans = [m.span() for m in _TOKEN.finditer(text)]
    tok_starts = [a for a, _ in spans]
    tok_ends = [b for _, b in spans]
    ordered = sorted(found, key=lambda c: (c.start, c.end, c.order))
    sites: list[Site] = []
    last_end = -1
    for c in ordered:
        region = _region_of(regions, starts, c.start, c.end)
        if region is None:
            continue
        if last_end >= 0:
            k = bisect.bisect_left(tok_starts, last_end)
            if k >= len(spans) or tok_ends[k] > c.start:
                continue
        sites.append(Site(channel, c.rule.group, c.start, c.end, c.forms, c.form, region.paragraph))
        last_end = c.end
    return sites
