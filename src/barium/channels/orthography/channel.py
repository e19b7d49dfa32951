"""The orthography channel: house-style alternations that survive a retype.

Copy-paste, web publishing, retyping and verbatim quotation all keep spelling,
punctuation style and number style, so these are the marks a leak is most likely
to carry. Every alternation is one a native editor accepts in context: the rules
live in ``rules/*.toml`` with their contexts and examples.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from barium.channels.base import PROFILE_SWITCH, WHOLE_DOCUMENT, Channel, Site
from barium.channels.orthography._canon import canonicalize_with
from barium.channels.orthography._engine import candidates, select
from barium.channels.orthography._rules import Rule, load_rules
from barium.channels.orthography.profile import read_profile
from barium.formats.base import ParsedDocument
from barium.text.fold import retype_key

_SPACED_DASH = re.compile(r"\s*-\s*")


@cache
def rules_table() -> tuple[Rule, ...]:
    """The packaged rules, loaded and compiled once per process."""
    return load_rules()


@cache
def _comma_groups() -> frozenset[str]:
    return frozenset(r.group for r in rules_table() if r.category == "commas")


def fold(text: str) -> str:
    """The retype key (:func:`~barium.text.fold.retype_key`) with case folded too; forms stay distinct.

    Quotation-mark style and dash spacing are folded as well: they belong to the
    punctuation channel, and a window around an orthographic site often holds one.
    """
    return _SPACED_DASH.sub("-", retype_key(text).replace('"', "'")).casefold()


def canonicalize(text: str) -> str:
    """Rewrite every form of every rule to its canonical form.

    For any copy rendered from a master by choosing forms at its sites,
    ``canonicalize(copy) == canonicalize(master)``.
    """
    return canonicalize_with(rules_table(), text)


class OrthographyChannel(Channel):
    """Spelling, hyphenation, comma, number, contraction and abbreviation style.

    ``disabled`` switches off a rule by its id, its consistency group or its category.
    """

    name = "orthography"
    consistent = True

    def groups(self) -> list[str]:
        """The consistency groups (``Site.rule``): rules one paragraph renders alike."""
        return list(dict.fromkeys(r.group for r in rules_table()))

    def find_sites(self, doc: ParsedDocument, *, disabled: frozenset[str] = frozenset()) -> list[Site]:
        """Every rule's sites. Unless ``disabled`` names :data:`PROFILE_SWITCH`, only
        alternations of the master's own style are kept (:mod:`.profile`), and a rule
        of document scope keeps one form in the whole copy."""
        active = [r for r in rules_table() if not ({r.id, r.group, r.category} & disabled)]
        if not active or not doc.regions:
            return []
        found = list(candidates(doc.text, active))
        if PROFILE_SWITCH in disabled:
            return select(doc.text, doc.regions, found, self.name)
        # The author's variants are not the master's habit: a number canary's "7" says
        # nothing of how the master writes numbers.
        spans = [(v.start, v.end) for v in doc.variants]
        profile = read_profile(doc.text, [c for c in found if not any(a < c.end and c.start < b for a, b in spans)])
        styled = [
            c
            for c in found
            if all(profile.allows(style, c.rule.group, j) for j, style in enumerate(c.rule.style) if j != c.form)
        ]
        whole = {r.group for r in active if r.scope == "document"}
        return [
            replace(site, paragraph=WHOLE_DOCUMENT) if site.rule in whole else site
            for site in select(doc.text, doc.regions, styled, self.name)
        ]

    def rules(self) -> list[str]:
        return [r.id for r in rules_table()] + [PROFILE_SWITCH]

    def set_by_publisher(self, site: Site) -> bool:
        # The rules of document scope are a house style (numbers, dates, abbreviations,
        # "per cent"), and so are optional commas; a quote keeps the copy's spelling and
        # grammar ("said that").
        return site.paragraph == WHOLE_DOCUMENT or site.rule in _comma_groups()

    def fold(self, text: str) -> str:
        return fold(text)

    def flat_form(self, rule: str) -> int | None:
        # No common leak journey collapses a spelling or comma style.
        return None
