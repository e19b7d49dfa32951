"""The text of a Word file that leaked, read exactly as a master's is, so that it aligns."""

from __future__ import annotations

from barium.formats.docx.package import open_docx
from barium.formats.docx.textmap import extract_text
from barium.limits import Limits, TextKind

__all__ = ["docx_text"]


def docx_text(data: bytes, *, limits: Limits, name: str, kind: TextKind = "leak") -> str:
    """The text of the Word file ``data``: the same paragraphs, in the same order and
    with the same separators, as a master's :func:`~barium.formats.docx.master.prepare_master`.

    Tracked changes, comments and metadata are allowed here (a recipient may have
    edited the copy): inserted text reads as text, deleted text does not. The text
    is held to the cap of ``kind`` (``limits.leak_bytes`` by default).
    """
    text = extract_text(open_docx(data, limits=limits, name=name)).text
    return limits.check_text(text, kind, name=name)
