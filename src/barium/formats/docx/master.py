"""A Word master made ready to issue copies from: scrubbed, variants resolved.

The author types variants in Word as in a text master (``{{officers|staff}}``,
docs/variants.md); Word may cut the markup into several runs, which the flat
text does not see. The markup is found on the extracted text by
:func:`barium.formats.variants.extract_variants`, exactly as for text, and the
same raw-to-clean edits are then applied to the XML, so that the clean master's
text, read again, is the parsed document's text character for character.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from barium.errors import UnsupportedFormat
from barium.formats.base import ParsedDocument
from barium.formats.docx.edit import Replacement, apply_replacements
from barium.formats.docx.package import open_docx
from barium.formats.docx.scrub import refuse_unclean, scrub
from barium.formats.docx.textmap import extract_text
from barium.formats.variants import extract_variants
from barium.limits import Limits

__all__ = ["PreparedMaster", "prepare_master"]


class PreparedMaster(NamedTuple):
    """The clean master's bytes (store these; copies are rendered from them) and its text."""

    docx: bytes
    document: ParsedDocument


def prepare_master(data: bytes, *, limits: Limits, name: str) -> PreparedMaster:
    """The clean master of the Word file ``data`` and its parsed text, variants included.

    Raises what :func:`~barium.formats.docx.package.open_docx` raises, and
    :class:`~barium.errors.InputError` for tracked changes, imported chunks,
    a text over ``limits.document_bytes`` or without words, and malformed variants.
    """
    package = open_docx(data, limits=limits, name=name)
    refuse_unclean(package)
    scrub(package)
    raw = extract_text(package)
    limits.check_text(raw.text, "document", name=name)
    document = extract_variants(raw.document())
    apply_replacements(package, raw, _markup_edits(document))
    clean = package.to_bytes()
    _check_clean(clean, document, limits=limits, name=name)
    return PreparedMaster(clean, document)


def _markup_edits(document: ParsedDocument) -> Iterator[Replacement]:
    """Each variant's markup, in the raw text's coordinates, replaced by its first wording."""
    shift = 0
    for variant in document.variants:
        markup = "{{" + "|".join(variant.forms) + "}}"
        start = variant.start + shift
        yield start, start + len(markup), variant.forms[0]
        shift += len(markup) - len(variant.forms[0])


def _check_clean(clean: bytes, document: ParsedDocument, *, limits: Limits, name: str) -> None:
    """The clean master must read back as ``document`` and take an edit anywhere a mark
    may go: else copies could not be rendered later, and this is the moment to say so."""
    again = extract_text(open_docx(clean, limits=limits, name=name))
    spans = [(r.start, r.end) for r in document.regions] + [(v.start, v.end) for v in document.variants]
    if again.text != document.text or not all(again.is_editable(a, b) for a, b in spans):
        raise UnsupportedFormat(
            f"{name}: Barium could not prepare this Word file consistently (its text reads differently once "
            "cleaned); please report it, with the file if you can"
        )
