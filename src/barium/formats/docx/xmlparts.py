"""XML parts parsed safely and written back.

The parser resolves no entities, loads no DTD, touches no network and keeps
libxml2's default bounds (``huge_tree`` off: at most 256 levels of nesting and
10 MB in one text node), so neither a deep tree nor a long run can exhaust the
stack or the memory. Word never writes a DOCTYPE, so any part with one is
refused outright, before parsing when it is in sight and after in any case:
that closes the entity tricks (billion laughs, external entities) whatever
libxml2 would have made of them. The prolog (declaration, comments, processing
instructions) is scanned first, in linear time, so that a DOCTYPE is refused
before libxml2 reads a single entity declaration.

Comments and processing instructions are dropped: Word writes none inside a
part, and text broken by one would read differently here and in Word.
"""

from __future__ import annotations

from typing import Any, TypeAlias

# lxml ships no type information and lxml-stubs is not installed: this is the one
# import of lxml, and its elements are typed through this alias everywhere.
from lxml import etree  # type: ignore[import-untyped]

from barium.errors import InputError

__all__ = ["Element", "etree", "parse_part", "serialize_part"]

Element: TypeAlias = Any  # an lxml element (lxml.etree._Element)

_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}


def parse_part(data: bytes, *, part: str, name: str) -> Element:
    """The root element of the XML part ``part`` of the file ``name``; :class:`InputError`
    for a DOCTYPE or XML that is not well formed."""
    if _prolog_has_doctype(data):
        raise _doctype(part, name)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{name}: {part} is not well-formed XML ({exc})") from None
    if root is None:
        raise InputError(f"{name}: {part} is empty")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _doctype(part, name)
    return root


def serialize_part(root: Element) -> bytes:
    """UTF-8 bytes of the part, with the XML declaration Word writes."""
    standalone = root.getroottree().docinfo.standalone
    data: bytes = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8", standalone=standalone)
    return data


def _prolog_has_doctype(data: bytes) -> bool:
    """Whether a DOCTYPE comes before the root element, skipping the declaration,
    comments and processing instructions (UTF-8, or UTF-16 with a byte order mark)."""
    codec = _BOMS.get(data[:2])
    if codec:
        data = data.decode(codec, "replace").encode("utf-8")
    pos = 0
    while (pos := data.find(b"<", pos)) >= 0:
        if data.startswith(b"<!DOCTYPE", pos):
            return True
        if data.startswith(b"<?", pos):
            end = b"?>"
        elif data.startswith(b"<!--", pos):
            end = b"-->"
        else:
            return False  # the root element: the prolog is over
        closing = data.find(end, pos + 2)
        if closing < 0:
            return False
        pos = closing + len(end)
    return False


def _doctype(part: str, name: str) -> InputError:
    return InputError(f"{name}: {part} declares a DOCTYPE, which Word never writes; refused (a possible XML attack)")
