"""Normalise text so that every marked copy reads exactly like its master.

The words come from :func:`barium.text.tokenize` (NFKC, casefold, typography
folded, invisible characters as :mod:`barium.text.invisible` defines them dropped), then the orthographic variants that marks
choose between (``towards``/``toward``, ``per cent``/``percent``) are folded by a
*canonicaliser*, by default :func:`barium.channels.orthography.canonicalize`.

A canonicaliser may change the number of words, so it runs one line at a time
and its words are mapped back to the original words by a word-level diff: a
canonical word that replaced original words carries the whole original span.
Every offset therefore points into the original string.
"""

from __future__ import annotations

import difflib
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt

from barium.errors import InputTooLarge, UnsupportedFormat
from barium.limits import looks_binary
from barium.text.invisible import strip_invisible
from barium.text.tokens import Token, tokenize

Canonicalizer = Callable[[str], str]
Offsets = npt.NDArray[np.int64]

_LINE = re.compile(r"[^\n]+")


def default_canonicalizer() -> Canonicalizer | None:
    """The orthography channel's canonicaliser, or None while that channel is absent."""
    # Imported by name: the orthography channel is developed alongside and may be absent.
    try:
        module = importlib.import_module("barium.channels.orthography")
    except ImportError:
        return None
    fn = getattr(module, "canonicalize", None)
    return cast(Canonicalizer, fn) if callable(fn) else None


def canonicalizer_name(fn: Canonicalizer | None) -> str:
    """A stable name recorded in saved indexes, so that a mismatch can be detected."""
    if fn is None:
        return "none"
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', '?')}"


@dataclass(frozen=True, slots=True)
class Words:
    """Normalised words of one text: keys and their spans in the original text."""

    keys: tuple[str, ...]
    starts: Offsets
    ends: Offsets

    def __len__(self) -> int:
        return len(self.keys)


def check_text(text: str, *, max_chars: int) -> None:
    """Raise a clear error for input that is too large or looks binary."""
    if len(text) > max_chars:
        raise InputTooLarge(f"text of {len(text):,} characters is over the {max_chars:,}-character cap")
    if looks_binary(text):  # the one definition, over the whole text: what Barium stored passes it
        raise UnsupportedFormat("text looks binary (control characters); extract plain text first")


class Normalizer:
    """Words of a text, blind to marks. ``canonicalize=None`` skips orthography."""

    def __init__(self, canonicalize: Canonicalizer | None) -> None:
        self.canonicalize = canonicalize
        self.name = canonicalizer_name(canonicalize)

    def words(self, text: str, *, max_tokens: int) -> Words:
        tokens = tokenize(text)
        if len(tokens) > max_tokens:
            raise InputTooLarge(f"text of {len(tokens):,} words is over the {max_tokens:,}-word cap")
        if self.canonicalize is None:
            return _words(tokens)
        keys: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        t = 0
        for line in _LINE.finditer(text):
            b = line.end()
            u = t
            while u < len(tokens) and tokens[u].start < b:
                u += 1
            original = tokens[t:u]
            t = u
            if not original:
                continue
            self._fold_line(line.group(), original, keys, starts, ends)
        if len(keys) > max_tokens:
            raise InputTooLarge(f"text of {len(keys):,} words is over the {max_tokens:,}-word cap")
        return Words(tuple(keys), np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64))

    def _fold_line(
        self,
        line: str,
        original: list[Token],
        keys: list[str],
        starts: list[int],
        ends: list[int],
    ) -> None:
        assert self.canonicalize is not None
        okeys = [tok.key for tok in original]
        # The rules' patterns do not skip invisible characters (a bidi isolate inside
        # "towards" would hide the site); the words are mapped back by their keys, so
        # the canonicaliser may read the line without them.
        ckeys = [tok.key for tok in tokenize(self.canonicalize(strip_invisible(line)))]
        if ckeys == okeys:
            keys.extend(okeys)
            starts.extend(tok.start for tok in original)
            ends.extend(tok.end for tok in original)
            return
        ops = difflib.SequenceMatcher(None, okeys, ckeys, autojunk=False).get_opcodes()
        for op, i1, i2, j1, j2 in ops:
            if op == "delete":
                continue
            if op == "equal":
                keys.extend(ckeys[j1:j2])
                starts.extend(tok.start for tok in original[i1:i2])
                ends.extend(tok.end for tok in original[i1:i2])
                continue
            if i2 > i1:  # replace: every canonical word carries the whole original run
                a, b = original[i1].start, original[i2 - 1].end
            else:  # insert: a word the original does not spell out sits at a boundary
                a = b = original[i1].start if i1 < len(original) else original[-1].end
            for j in range(j1, j2):
                keys.append(ckeys[j])
                starts.append(a)
                ends.append(b)


def _words(tokens: list[Token]) -> Words:
    return Words(
        tuple(tok.key for tok in tokens),
        np.fromiter((tok.start for tok in tokens), dtype=np.int64, count=len(tokens)),
        np.fromiter((tok.end for tok in tokens), dtype=np.int64, count=len(tokens)),
    )
