"""A visible line at the head of every page of a PDF, in its top margin: a Word copy's stamp.

>>> stamped = stamp_pages(pdf, "Copy 7 for Kemi Adeyemi")   # doctest: +SKIP

A typst copy's stamp is typeset with it (:mod:`barium.formats.typeset`); a Word
copy's pages are LibreOffice's, so the line is drawn over them afterwards, in a
stream of its own after each page's content: no word of the page moves. It is set
in Helvetica, one of the fonts every PDF reader has (nothing embedded), so its text
must be what Helvetica's WinAnsi encoding can show: :func:`stampable` says so
before any copy is made.
"""

from __future__ import annotations

import io

import pikepdf

from barium.errors import InputError

__all__ = ["stamp_pages", "stampable"]

SIZE = 8.0  # points
FROM_TOP = 22.0  # points from the page's top edge to the stamp's baseline
FROM_LEFT = 56.7  # points (2 cm)
GREY = 0.35
_FONT = "/BariumStamp"


def stampable(text: str) -> bool:
    """The text can be shown in Helvetica (WinAnsi encoding)."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def stamp_pages(pdf: bytes, text: str) -> bytes:
    """``pdf`` with ``text`` in small grey Helvetica at the head of every page, left of
    centre in the top margin; saved with an identifier derived from its content."""
    if not stampable(text):
        raise InputError(f"the stamp {text!r} holds characters Helvetica cannot show (only cp1252 text can be)")
    try:
        doc = pikepdf.open(io.BytesIO(pdf))
    except pikepdf.PdfError as e:
        raise InputError(f"a PDF the stamp step cannot read: {e}") from None
    with doc:
        font = doc.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font,
                Subtype=pikepdf.Name.Type1,
                BaseFont=pikepdf.Name.Helvetica,
                Encoding=pikepdf.Name.WinAnsiEncoding,
            )
        )
        for page in doc.pages:
            box = [float(v) for v in page.mediabox]
            x, y = box[0] + FROM_LEFT, box[3] - FROM_TOP
            resources = page.obj.get("/Resources")
            if not isinstance(resources, pikepdf.Dictionary):
                resources = page.obj.Resources = pikepdf.Dictionary()
            fonts = resources.get("/Font")
            if not isinstance(fonts, pikepdf.Dictionary):
                fonts = resources.Font = pikepdf.Dictionary()
            fonts[_FONT] = font
            shown = pikepdf.String(text.encode("cp1252"))
            content = pikepdf.unparse_content_stream(
                [
                    pikepdf.ContentStreamInstruction([], pikepdf.Operator("q")),
                    pikepdf.ContentStreamInstruction([GREY], pikepdf.Operator("g")),
                    pikepdf.ContentStreamInstruction([], pikepdf.Operator("BT")),
                    pikepdf.ContentStreamInstruction([pikepdf.Name(_FONT), SIZE], pikepdf.Operator("Tf")),
                    pikepdf.ContentStreamInstruction([x, y], pikepdf.Operator("Td")),
                    pikepdf.ContentStreamInstruction([shown], pikepdf.Operator("Tj")),
                    pikepdf.ContentStreamInstruction([], pikepdf.Operator("ET")),
                    pikepdf.ContentStreamInstruction([], pikepdf.Operator("Q")),
                ]
            )
            # Wrapped in q...Q of its own after the page's content, whatever state that leaves.
            page.contents_add(doc.make_stream(b"q\n"), prepend=True)
            page.contents_add(doc.make_stream(b"Q\n" + content), prepend=False)
        buf = io.BytesIO()
        doc.save(buf, deterministic_id=True, compress_streams=True)
        return buf.getvalue()
