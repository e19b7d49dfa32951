"""People's names: which are refused, and when two names are the same name.

A recipient's name reaches terminals, CSV files and file names, and an
accusation names a person, so:

- A name with a control character (newline, tab, ESC and so every ANSI escape
  sequence, NUL, DEL, the C1 controls), a line or paragraph separator, a bidi
  control (U+061C, U+200E-200F, U+202A-202E, U+2066-2069) or a lone surrogate
  is **refused**, not neutralised: a silently altered name would no longer be
  the name on the user's own list, and a refusal that names the line of the CSV
  is easy to act on. Other invisible characters (ZWNJ, which Persian spelling
  needs, ZWJ, soft hyphens) are kept as typed but ignored when comparing.
- Two names are **the same name** when they have the same :func:`name_key`:
  equal after NFKC (width and compatibility forms: "Ｓａｍｅ" is "Same"),
  without invisible characters, case-folded, with runs of spaces as one.
  Accents stay significant ("José" is not "Jose").
- Look-alike letters of other scripts are not folded (that needs the Unicode
  confusables table, which Barium does not ship), but a word that **mixes**
  Latin, Greek, Cyrillic, Armenian, Coptic or Cherokee letters (a Cyrillic "Ј" in
  "John") is refused by :func:`mixed_script`: it is how a look-alike of another
  name or address is made, and no real name needs it. A word wholly in one script
  that happens to look like another ("Јоһո" is not caught) remains possible.
"""

from __future__ import annotations

import re
import unicodedata

from barium.text import strip_invisible

__all__ = ["MAX_NAME", "mixed_script", "name_key", "name_problem", "shown"]

MAX_NAME = 300  # characters, of the name and of its key (the columns' width)

_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


def _refused(ch: str) -> bool:
    return ch in _BIDI or unicodedata.category(ch) in _REFUSED_CATEGORIES


def name_problem(text: str) -> str | None:
    """Why ``text`` cannot be a name or an e-mail address (None when it can).

    The reason quotes the offending character by code point, never raw, so it can
    be printed to a terminal.
    """
    for ch in text:
        if ch in _BIDI:
            return f"contains a bidi control (U+{ord(ch):04X}), which reorders what a screen shows"
        if _refused(ch):
            kind = "a line break" if ch in "\n\r\u2028\u2029\x85" else "a control character"
            return f"contains {kind} (U+{ord(ch):04X})"
    return None


_LOOKALIKE_SCRIPTS = frozenset({"LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "COPTIC", "CHEROKEE"})
_WORD = re.compile(r"\w+")


def _script(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    first = unicodedata.name(ch, "").split(" ", 1)[0]
    return first if first in _LOOKALIKE_SCRIPTS else None


def mixed_script(text: str) -> str | None:
    """Why ``text`` looks made to imitate another name (None when it does not): a word
    mixing letters of scripts that share look-alikes."""
    for word in _WORD.findall(unicodedata.normalize("NFKC", text)):
        scripts = {s for s in map(_script, word) if s}
        if len(scripts) > 1:
            mixed = " and ".join(s.title() for s in sorted(scripts))
            return f"mixes {mixed} letters in the word {word!r}, as a look-alike of another name would"
    return None


def shown(text: str) -> str:
    """``text`` safe for a terminal: every character a name may not hold written as ``\\uXXXX``.

    For names stored before they were checked; new ones never contain such characters.
    """
    return "".join(f"\\u{ord(ch):04x}" if _refused(ch) else ch for ch in text)


def name_key(name: str) -> str:
    """The form under which two names count as the same (see the module docstring)."""
    # Not the retype key (barium.text.fold): a name keeps its quotes and dashes as
    # typed and is compared without case. Variation selectors are invisible characters.
    key = strip_invisible(name)
    # casefold can leave text that is not NFKC ("ǰ" and others), hence NFKC on both sides.
    key = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", key).casefold())
    return " ".join(key.split())
