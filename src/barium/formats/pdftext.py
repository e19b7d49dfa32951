"""Mending what PDF text extraction does to invisible marks.

A copy's invisible marks sit at the end of a word, before its space
(``board\\u200c\\u200d members``). LibreOffice treats each zero-width character as
a place to break a line, and poppler's ``pdftotext`` infers spaces from glyph
gaps, which a zero-width glyph next to the space hides. So a PDF's text layer
gives ``board\\u200dmembers`` (the space lost, the words run together) and
``board\\u200c\\n\\u200dmembers`` (the run cut by a line break). Read as they are,
such words align to nothing and every mark in them is lost.

:func:`mend_invisible_breaks` puts each run back together and its space back
after it. It only moves whitespace around invisible characters, so it changes no
visible word, and marks it reads wrongly cost evidence, never soundness: an
innocent recipient's symbols do not depend on what was read.
"""

from __future__ import annotations

import re

from barium.text.invisible import CLASS

_SPLIT_RUN = re.compile(f"(?<=[{CLASS}])\\s+(?=[{CLASS}])")
_RUN_BEFORE_WORD = re.compile(f"([{CLASS}]+)(?=[^\\s{CLASS}])")


def mend_invisible_breaks(text: str) -> str:
    """``text`` from a PDF with runs of invisible characters joined and followed by a space."""
    return _RUN_BEFORE_WORD.sub(r"\1 ", _SPLIT_RUN.sub("", text))
