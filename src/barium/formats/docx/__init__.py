"""Word (.docx) masters and leaks: read safely, scrub, mark in place, read back.

>>> master = prepare_master(data, limits=limits, name="plan.docx")    # doctest: +SKIP
>>> copy = render_docx(master.docx, [(s.start, s.end, form), ...])    # doctest: +SKIP
>>> text = docx_text(leaked, limits=limits, name="leak.docx")         # doctest: +SKIP

``master.document`` is the :class:`~barium.formats.base.ParsedDocument` (format
``"docx"``) the channels find sites in; its text is what :func:`docx_text`
reads from a copy. The modules, in pipeline order: ``archive`` (bounded ZIP),
``xmlparts`` (safe XML), ``package`` (parts and relationships), ``textmap``
(text and its map to the XML), ``scrub`` (metadata), ``edit`` (edits applied to
runs), ``master``, ``render``, ``leak``.
"""

from barium.formats.docx.leak import docx_text
from barium.formats.docx.master import PreparedMaster, prepare_master
from barium.formats.docx.package import DocxPackage, open_docx
from barium.formats.docx.render import render_docx
from barium.formats.docx.textmap import DocxText, Segment, extract_text

__all__ = [
    "DocxPackage",
    "DocxText",
    "PreparedMaster",
    "Segment",
    "docx_text",
    "extract_text",
    "open_docx",
    "prepare_master",
    "render_docx",
]
