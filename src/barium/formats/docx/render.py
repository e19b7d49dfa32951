"""A marked copy of a clean Word master: the master with each mark's text edited in place."""

from __future__ import annotations

from collections.abc import Sequence

from barium.formats.docx.edit import Replacement, apply_replacements
from barium.formats.docx.package import open_docx
from barium.formats.docx.textmap import extract_text
from barium.limits import Limits

__all__ = ["render_docx"]

_LIMITS = Limits()


def render_docx(
    clean_docx: bytes, replacements: Sequence[Replacement], *, limits: Limits = _LIMITS, name: str = "master.docx"
) -> bytes:
    """The copy of ``clean_docx`` (from :func:`~barium.formats.docx.master.prepare_master`)
    with ``text[start:end]`` replaced by ``new`` for each ``(start, end, new)`` in master-text
    coordinates.

    Only the parts whose text changed are serialised again; every other member is
    copied byte for byte, in the same order, with the same name and compression,
    and the archive has fixed timestamps: the same replacements give the same
    bytes. Raises :class:`ValueError` for overlapping spans or spans that are not
    editable text (every region of the master's parsed document is).
    """
    package = open_docx(clean_docx, limits=limits, name=name)
    apply_replacements(package, extract_text(package), replacements)
    return package.to_bytes()
