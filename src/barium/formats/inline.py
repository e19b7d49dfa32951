"""Spans inside a line of prose that marks must never touch.

Both finders run in time linear in the line (docs/limits.md): a master is
hostile input, and one line of a million dots or backticks must not stall
``doc add``. They find exactly the spans the plain regular expressions of
earlier releases found (a test compares them on random lines); only the search
differs, so that a failed attempt is never repeated at every later position.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

__all__ = ["URLISH", "Finder", "free_spans", "markdown_spans", "urlish_spans"]

Finder = Callable[[str, int, int], Iterator[tuple[int, int]]]

_STOP = r"[^\s<>\"')\]]"
# URLs, e-mail addresses and domain-like tokens: changing one character breaks them.
# The lookbehinds start an address or a domain only where a run of its characters
# starts: a later start in the same run fails for the same reason the first one
# did, and trying every one of them was quadratic. An address directly followed by
# another ("a@b.c+d@e.f") is taken as one span, as two adjacent matches were.
# A domain's leading hyphens and dots are consumed but not protected (group ``host``).
URLISH = re.compile(
    rf"(?:https?|ftp)://{_STOP}+"
    rf"|www\.{_STOP}+"
    r"|(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]+)+(?:[.+][\w.+-]*+@[\w-]++(?:\.[\w-]+)+)*"
    rf"|(?<![\w-])(?<![\w-]\.)(?>(?:-+\.?)*)(?!(?:https?|ftp)://{_STOP}|www\.{_STOP})"
    rf"(?P<host>[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|io|co\.uk|uk|eu|int)\b(?:/{_STOP}*)?)",
    re.IGNORECASE,
)


def urlish_spans(line: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """URLs, e-mail addresses and domains in ``line[start:end]``."""
    for m in URLISH.finditer(line, start, end):
        yield m.span("host") if m.group("host") is not None else m.span()


# Markdown inline syntax whose content is not prose: code spans, autolinks, HTML
# tags and comments, entities, link and image targets, reference labels, backslash
# escapes. Each construct starts with one of these characters.
_STARTS = re.compile(r"[`<&\]!\\]")
_TICKS = re.compile(r"`+")
_AUTO_SCHEME = re.compile(r"<(?:https?|ftp|mailto):")
_AUTO_MAIL = re.compile(r"<[\w.+-]++@[\w-]++(?:\.[\w-]+)+>")
# Its attribute part stops at the next angle bracket, so tries never overlap.
_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9A-Fa-f]+|\w+);")
_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
# A link target's path: characters other than parentheses and spaces, and
# parenthesised groups without nesting. Possessive: giving any back never helps.
_TARGET_PATH = re.compile(r"(?:[^()\s]++|\([^()]*+\))*+")
_SPACES = re.compile(r"\s+")
_CLOSE = re.compile(r"\s*\)")
_TITLE_END = {'"': '"', "'": "'", "(": r"\)"}


@dataclass
class _Next:
    """The first match of ``pattern`` at or after ``q``, remembered: the scan asks
    with growing ``q``, so each stretch of the line is searched once."""

    line: str
    pattern: re.Pattern[str]
    end: int
    _from: int = -1
    _at: int = -1

    def at(self, q: int) -> int:
        known = 0 <= self._from <= q and (self._at < 0 or q <= self._at)
        if not known:
            m = self.pattern.search(self.line, q, self.end)
            self._from, self._at = q, (m.start() if m else -1)
        return self._at


@dataclass
class _Scan:
    """One line's Markdown inline scan, with its memories."""

    line: str
    start: int
    end: int
    runs: list[tuple[int, int]] = field(default_factory=list)
    run_at: dict[int, int] = field(default_factory=dict)
    # closer run of each backtick run opening with its whole length, and with one
    # backtick less (after an escaped backtick): -1 when none
    closer: list[int] = field(default_factory=list)
    closer_short: list[int] = field(default_factory=list)
    nexts: dict[str, _Next] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.runs = [m.span() for m in _TICKS.finditer(self.line, self.start, self.end)]
        self.run_at = {a: i for i, (a, _) in enumerate(self.runs)}
        self._closers()

    def _closers(self) -> None:
        # A code span opened by k backticks closes at the next run of exactly k;
        # an opener with no such run tries k - 1, ..., 1 (as the old regex's
        # backtracking did): the longest k <= its length that occurs later wins.
        # Right to left, keeping the lengths seen so far sorted.
        n = len(self.runs)
        self.closer = [-1] * n
        self.closer_short = [-1] * n
        lengths: list[int] = []
        first: dict[int, int] = {}
        for i in range(n - 1, -1, -1):
            a, b = self.runs[i]
            for length, out in ((b - a, self.closer), (b - a - 1, self.closer_short)):
                k = bisect.bisect_right(lengths, length) - 1
                if length > 0 and k >= 0:
                    out[i] = first[lengths[k]]
            if b - a not in first:
                bisect.insort(lengths, b - a)
            first[b - a] = i

    def find(self, needle: str, q: int) -> int:
        """First index at or after ``q`` of ``needle`` (a regex), within the span."""
        finder = self.nexts.get(needle)
        if finder is None:
            finder = self.nexts[needle] = _Next(self.line, re.compile(needle), self.end)
        return finder.at(q)

    def code(self, p: int) -> int | None:
        i = self.run_at.get(p)
        if i is not None:
            j = self.closer[i]
        else:  # just after an escaped backtick: the run lost its first one
            i = self.run_at.get(p - 1)
            j = self.closer_short[i] if i is not None else -1
        return self.runs[j][1] if j >= 0 else None

    def angle(self, p: int) -> int | None:
        line, end = self.line, self.end
        if m := _AUTO_SCHEME.match(line, p, end):
            x = self.find(r"[>\s]", m.end())
            if x >= 0 and line[x] == ">":
                return x + 1
        if m := _AUTO_MAIL.match(line, p, end) or _TAG.match(line, p, end):
            return m.end()
        if line.startswith("<!--", p) and p + 4 <= end:
            x = self.find("-->", p + 4)
            return x + 3 if x >= 0 else None
        return None

    def bracket(self, p: int) -> int | None:
        line, end = self.line, self.end
        if line.startswith("](", p) and p + 2 <= end:
            path = _TARGET_PATH.match(line, p + 2, end)
            e = self.target_rest(path.end() if path else p + 2)
            if e is not None:
                return e
        if line.startswith("][", p) and p + 2 <= end:
            x = self.find(r"\]", p + 2)
            return x + 1 if x >= 0 else None
        return None

    def target_rest(self, x: int) -> int | None:
        """After a link target's path: an optional quoted title, then ")"."""
        line, end = self.line, self.end
        if x < end and line[x] == ")":
            return x + 1
        spaces = _SPACES.match(line, x, end)
        if spaces is None:
            return None
        w = spaces.end()
        closing = _TITLE_END.get(line[w]) if w < end else None
        if closing is not None:
            y = self.find(closing, w + 1)
            if y >= 0 and (m := _CLOSE.match(line, y + 1, end)):
                return m.end()
            return None
        return w + 1 if w < end and line[w] == ")" else None

    def bang(self, p: int) -> int | None:
        if self.line.startswith("![", p) and p + 2 <= self.end:
            x = self.find(r"\]", p + 2)
            return x + 1 if x >= 0 else None
        return None


def markdown_spans(line: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Markdown inline constructs in ``line[start:end]``, left to right, as a regex
    alternation of code spans, autolinks, HTML, entities, link targets, reference
    labels, image labels and escapes would find them."""
    scan = _Scan(line, start, end)
    pos = start
    while (m := _STARTS.search(line, pos, end)) is not None:
        p = m.start()
        ch = line[p]
        if ch == "`":
            e = scan.code(p)
            if e is None:
                # Every later start in this run fails too: skip the run.
                i = scan.run_at.get(p, scan.run_at.get(p - 1, -1))
                pos = scan.runs[i][1] if i >= 0 else p + 1
                continue
        elif ch == "<":
            e = scan.angle(p)
        elif ch == "&":
            e = x.end() if (x := _ENTITY.match(line, p, end)) else None
        elif ch == "]":
            e = scan.bracket(p)
        elif ch == "!":
            e = scan.bang(p)
        else:
            e = x.end() if (x := _ESCAPE.match(line, p, end)) else None
        if e is None:
            pos = p + 1
        else:
            yield p, e
            pos = e


def free_spans(line: str, start: int, end: int, protected: list[Finder]) -> list[tuple[int, int]]:
    """The parts of ``line[start:end]`` not covered by any protected span."""
    covered: list[tuple[int, int]] = []
    for finder in protected:
        covered.extend(finder(line, start, end))
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
