"""The Office Open XML vocabulary Barium reads: namespaces, tags, relationship and content types.

Only the Transitional flavour that Word writes by default is known; a Strict
document (ISO 29500 Strict namespaces) is refused when opened, since none of
these names would match and its text would silently read as empty.
"""

from __future__ import annotations

__all__ = [
    "CT",
    "MACRO_MAIN_TYPES",
    "MAIN_TYPES",
    "MC",
    "MC_NS",
    "PKG_REL",
    "REL",
    "R_NS",
    "STRICT_W_NS",
    "W14_NS",
    "W15_NS",
    "W_NS",
    "XML_SPACE",
    "RelType",
    "W",
]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
W15_NS = "http://schemas.microsoft.com/office/word/2012/wordml"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def W(local: str) -> str:
    """Clark name of a WordprocessingML element or attribute: ``W("t")``."""
    return f"{{{W_NS}}}{local}"


def MC(local: str) -> str:
    return f"{{{MC_NS}}}{local}"


def REL(local: str) -> str:
    return f"{{{PKG_REL}}}{local}"


class RelType:
    """Relationship types (the ``Type`` attribute of a ``.rels`` entry)."""

    _OD = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    _PKG = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
    _MS = "http://schemas.microsoft.com/office/"

    OFFICE_DOCUMENT = _OD + "officeDocument"
    STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
    HEADER = _OD + "header"
    FOOTER = _OD + "footer"
    FOOTNOTES = _OD + "footnotes"
    ENDNOTES = _OD + "endnotes"
    COMMENTS = _OD + "comments"
    SETTINGS = _OD + "settings"
    CUSTOM_XML = _OD + "customXml"
    CUSTOM_PROPERTIES = _OD + "custom-properties"
    EXTENDED_PROPERTIES = _OD + "extended-properties"
    ATTACHED_TEMPLATE = _OD + "attachedTemplate"
    VBA_PROJECT = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
    CORE_PROPERTIES = _PKG + "core-properties"
    THUMBNAIL = _PKG + "thumbnail"
    PEOPLE = _MS + "2011/relationships/people"
    COMMENTS_EXTENDED = _MS + "2011/relationships/commentsExtended"
    COMMENTS_IDS = _MS + "2016/09/relationships/commentsIds"
    COMMENTS_EXTENSIBLE = _MS + "2018/08/relationships/commentsExtensible"


def rel_type(raw: str) -> str:
    """A relationship type as :class:`RelType` spells it.

    Writers do not all spell them alike: LibreOffice points to the core properties
    with ``.../officedocument/2006/relationships/metadata/core-properties`` (lower
    case, and the officeDocument namespace), which Word reads; comparing exact
    strings would leave that part, the author's name in it, unscrubbed.
    """
    return _BY_FOLDED.get(raw.casefold(), raw)


_BY_FOLDED = {
    value.casefold(): value for name, value in vars(RelType).items() if name.isupper() and isinstance(value, str)
} | {
    "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties": (
        RelType.CORE_PROPERTIES
    ),
}


# Content types of the main document part that Barium accepts (a document or a
# template); a macro-enabled one is refused, and the others name what the file is.
MAIN_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    }
)
MACRO_MAIN_TYPES = frozenset(
    {
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    }
)
