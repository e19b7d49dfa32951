"""Word shifts in PDF copies: the layout channel, carried by the page geometry.

Two typesetters lay out a version's PDF copies, and each finds the words that may
move in the master's own pages when the version is registered:

* ``text``: text and Markdown masters, set by typst on lines fixed for the version
  (:func:`lay_out`, :func:`render_layout`);
* ``word``: Word masters, set by LibreOffice on its own lines, each copy's words
  then moved in its PDF's content stream (:func:`lay_out_word`, :func:`shift_copy`).

``sites`` holds what both share: which words may move, their ink, their sites, and
the stored layout record.
"""

from barium.formats.layout.sites import LAYOUT_SCHEMA, Layout, layout_from_json, layout_to_json
from barium.formats.layout.text import lay_out, render_layout
from barium.formats.layout.word import lay_out_word, shift_copy

__all__ = [
    "LAYOUT_SCHEMA",
    "Layout",
    "lay_out",
    "lay_out_word",
    "layout_from_json",
    "layout_to_json",
    "render_layout",
    "shift_copy",
]
