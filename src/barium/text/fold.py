"""Folding: map the variants that marks introduce back to one plain form."""

from __future__ import annotations

import re
import unicodedata

# Re-exported: channels and attacks import it from here (defined once, in text.invisible).
from barium.text.invisible import strip_invisible as strip_invisible

# Typography that marks vary and a retype destroys: fold to ASCII look-alikes.
_TYPO = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u2007": " ",
    }
)


def fold_typography(text: str) -> str:
    """Curly quotes, dashes, ellipsis and special spaces to their ASCII forms."""
    return text.translate(_TYPO)


_SPACES = re.compile(r"\s+")


def retype_key(text: str) -> str:
    """What of ``text`` survives someone retyping it: words, case and punctuation
    style, with typography, invisible characters and spacing folded away.

    The one definition of a retype: the tracer reads sites through it, channels and
    author variants compare forms by it, and :func:`barium.simulate.retype`, the
    attack tests and benchmarks run, is it. In order: invisible characters go first
    (one between a letter and its accent would otherwise keep NFKC from composing
    them, so that the key would depend on a character no one sees), then NFKC, then
    typography to ASCII (:func:`fold_typography`), then every run of whitespace
    becomes one space and the ends are trimmed. Folding a key changes nothing.
    """
    folded = fold_typography(unicodedata.normalize("NFKC", strip_invisible(text)))
    return _SPACES.sub(" ", folded).strip()
