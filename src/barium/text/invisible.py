"""The one definition of an invisible character, used by every part of Barium.

Invisible means: any Unicode format character (general category Cf: zero-width
spaces and joiners, bidi controls and isolates, the soft hyphen, the BOM, tag
characters...) and any default-ignorable code point (variation selectors
U+FE00-FE0F and U+E0100-E01EF, the combining grapheme joiner, Mongolian free
variation selectors, Hangul fillers, the reserved ignorable ranges). They render
as nothing, so a leak may carry any of them anywhere (an editor's bidi isolates,
a web page's soft hyphens, or an attacker's noise) and none of them may change
what a word is. The invisible channel writes a few of them as marks; everything
else reads them through this module.

The ranges are written out, not computed from :mod:`unicodedata` at import (that
takes a second per process); ``tests/text/test_invisible.py`` checks them against
the running interpreter's Unicode database.
"""

from __future__ import annotations

import bisect
import re

# (first, last) code points, inclusive: Cf (Unicode 15.1) and Default_Ignorable_Code_Point.
RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x0600, 0x0605),  # Arabic number signs (Cf)
    (0x061C, 0x061C),  # Arabic letter mark
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),  # Hangul fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian free variation selectors and vowel separator
    (0x200B, 0x200F),  # zero-width space, joiners, direction marks
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2060, 0x206F),  # word joiner, invisible operators, bidi isolates, deprecated controls
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),  # zero-width no-break space (BOM)
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0xFFF0, 0xFFFB),  # reserved ignorables, interlinear annotation controls
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),  # Egyptian hieroglyph format controls
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical symbol format controls
    (0xE0000, 0xE0FFF),  # tag characters, variation selectors supplement, reserved ignorables
)

# A regular-expression character class body (without brackets) of every invisible character.
CLASS = "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in RANGES)

_ANY = re.compile(f"[{CLASS}]+")
_STARTS = tuple(a for a, _ in RANGES)


def is_invisible(ch: str) -> bool:
    """True for a character that renders as nothing (see the module docstring)."""
    cp = ord(ch)
    i = bisect.bisect_right(_STARTS, cp) - 1
    return i >= 0 and cp <= RANGES[i][1]


def strip_invisible(text: str) -> str:
    """``text`` without any invisible character."""
    return _ANY.sub("", text)
