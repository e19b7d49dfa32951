"""Spans inside a line of prose that marks must never touch."""

from __future__ import annotations

import re

# URLs, e-mail addresses and domain-like tokens: changing one character breaks them.
URLISH = re.compile(
    r"(?:https?|ftp)://[^\s<>\"')\]]+"
    r"|www\.[^\s<>\"')\]]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|io|co\.uk|uk|eu|int)\b(?:/[^\s<>\"')\]]*)?",
    re.IGNORECASE,
)

# Markdown inline syntax whose content is not prose: code spans, autolinks, HTML
# tags and entities, link/image targets, reference labels, backslash escapes.
MD_INLINE = re.compile(
    r"(?P<code>(`+)[\s\S]*?(?<!`)\2(?!`))"
    r"|(?P<auto><(?:https?|ftp|mailto):[^>\s]*>|<[\w.+-]+@[\w-]+(?:\.[\w-]+)+>)"
    r"|(?P<html></?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>|<!--[\s\S]*?-->)"
    r"|(?P<entity>&(?:#\d+|#x[0-9A-Fa-f]+|\w+);)"
    r"|(?P<target>\]\((?:[^()\s]|\([^()]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\))"
    r"|(?P<ref>\]\[[^\]]*\])"
    r"|(?P<image>!\[[^\]]*\])"
    r"|(?P<escape>\\[!-/:-@\[-`{-~])"
)


def free_spans(line: str, start: int, end: int, protected: list[re.Pattern[str]]) -> list[tuple[int, int]]:
    """The parts of ``line[start:end]`` not covered by any protected pattern."""
    covered: list[tuple[int, int]] = []
    for pattern in protected:
        covered.extend((m.start(), m.end()) for m in pattern.finditer(line, start, end))
    covered.sort()
    out: list[tuple[int, int]] = []
    pos = start
    for a, b in covered:
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if pos < end:
        out.append((pos, end))
    return [(a, b) for a, b in out if line[a:b].strip()]
