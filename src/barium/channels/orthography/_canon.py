"""Canonicalization: every form of every rule rewritten to the rule's canonical form.

The press-detection index fingerprints text after this, so that every marked copy
of a master fingerprints exactly like the master. It therefore ignores the
detection-only conditions (sentence start, detectable forms, ``before``/``after``
contexts): a copy may show any form wherever the master had a site, and the
rewrite must reach it there. Where even a rule's own pattern depends on text that
other rules change (an introductory phrase's extent, a neighbour's spelling), the
rule gives a broader ``canon_pattern``: all the comma rules drop every comma
before a space, which is lossy but cannot disagree between two copies.

Pattern rules run in file order, one pass each; the word-list rules then run
together in one pass (they never feed one another).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from barium.channels.orthography._engine import word_index
from barium.channels.orthography._forms import forms_of
from barium.channels.orthography._rules import Rule


def _canonical(rule: Rule, text: str, start: int, end: int) -> str | None:
    found = forms_of(rule, text, start, end, strict=False)
    return None if found is None else found[0][rule.canonical]


def _rewriter(rule: Rule) -> Callable[[re.Match[str]], str]:
    def repl(m: re.Match[str]) -> str:
        a, b = m.span("site")
        canon = _canonical(rule, m.string, a, b)
        if canon is None:
            return m.group(0)
        s = m.start()
        whole = m.group(0)
        return whole[: a - s] + canon + whole[b - s :]

    return repl


def canonicalize_with(rules: Sequence[Rule], text: str) -> str:
    """``text`` with every rule's forms replaced by that rule's canonical form."""
    for rule in rules:
        if not rule.generated:
            text = rule.canon_regex.sub(_rewriter(rule), text)
    listed = [r for r in rules if r.generated]
    index = word_index(tuple(r.id for r in listed), listed)
    parts: list[str] = []
    pos = 0
    for hit in index.hits(text):
        canon = _canonical(index.rules[hit.rules[0]], text, hit.start, hit.end)
        if canon is not None:
            parts.append(text[pos : hit.start])
            parts.append(canon)
            pos = hit.end
    parts.append(text[pos:])
    return "".join(parts)
