"""An opened Word file as an Open Packaging Conventions package: parts, content
types and relationships, XML parsed on demand, changes tracked.

Only the parts that were changed are serialised again when the package is
written: every other member keeps its exact bytes, name and place, so that two
copies differ only where their text does.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from barium.errors import InputError, UnsupportedFormat
from barium.formats.docx.archive import Member, read_archive, write_archive
from barium.formats.docx.names import (
    CT,
    MACRO_MAIN_TYPES,
    MAIN_TYPES,
    REL,
    STRICT_W_NS,
    RelType,
    W,
    rel_type,
)
from barium.formats.docx.xmlparts import Element, parse_part, serialize_part
from barium.limits import Limits

__all__ = [
    "CONTENT_TYPES",
    "PACKAGE_RELS",
    "DocxPackage",
    "Relationship",
    "open_docx",
    "rels_part_of",
    "resolve",
    "source_of",
]

CONTENT_TYPES = "[Content_Types].xml"
PACKAGE_RELS = "_rels/.rels"
_DEFAULT_MAIN = "word/document.xml"
# The parts whose paragraphs are the text, in this order; within a kind, by name.
TEXT_PART_TYPES = (RelType.HEADER, RelType.FOOTER, RelType.FOOTNOTES, RelType.ENDNOTES)
_OTHER_FORMATS = {
    "spreadsheetml": "an Excel workbook",
    "presentationml": "a PowerPoint presentation",
    "ms-excel": "an Excel workbook",
    "ms-powerpoint": "a PowerPoint presentation",
}
_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True, slots=True)
class Relationship:
    """One entry of a ``.rels`` part; ``target`` is a part name unless ``external``."""

    id: str
    type: str
    target: str
    external: bool


class DocxPackage:
    """The members of a Word file, with their XML parsed once on demand.

    Change a part's tree in place and :meth:`touch` it, or :meth:`remove` it;
    :meth:`to_bytes` writes the package with only those parts changed.
    """

    def __init__(self, members: Iterable[Member], *, name: str) -> None:
        self.name = name
        self._members = {m.name: m for m in members}
        self._folded = {n.casefold(): n for n in self._members}
        self._trees: dict[str, Element] = {}
        self._changed: set[str] = set()
        self.main = _DEFAULT_MAIN

    # -- parts ---------------------------------------------------------------

    def parts(self) -> list[str]:
        """Member names in archive order."""
        return list(self._members)

    def find(self, part: str) -> str | None:
        """The member's own spelling of ``part`` (part names are case-insensitive), or None."""
        return self._folded.get(part.casefold())

    def data(self, part: str) -> bytes:
        return self._members[part].data

    def xml(self, part: str) -> Element:
        """The parsed root of ``part``; the same object until the package is written."""
        tree = self._trees.get(part)
        if tree is None:
            tree = self._trees[part] = parse_part(self.data(part), part=part, name=self.name)
        return tree

    def touch(self, part: str) -> None:
        """Record that the tree of ``part`` was changed, so that it is written again."""
        self._changed.add(part)

    @property
    def changed(self) -> frozenset[str]:
        return frozenset(self._changed)

    def remove(self, parts: Iterable[str]) -> None:
        """Drop ``parts``, their own relationships parts, the relationships that point
        to them and their content-type overrides: one pass over the package for all."""
        doomed = {p.casefold() for p in parts}
        doomed |= {rels_part_of(p) for p in doomed}
        removed = [p for p in self._members if p.casefold() in doomed]
        for p in removed:
            del self._members[p]
            del self._folded[p.casefold()]
            self._trees.pop(p, None)
            self._changed.discard(p)
        if not removed:
            return
        for rels in [p for p in self._members if p.endswith(".rels")]:
            root = self.xml(rels)
            for rel in list(root.iter(REL("Relationship"))):
                if rel.get("TargetMode") == "External":
                    continue
                target = resolve(source_of(rels), rel.get("Target", "")).casefold()
                if target in doomed or unquote(target) in doomed:
                    root.remove(rel)
                    self.touch(rels)
        if CONTENT_TYPES in self._members:
            types = self.xml(CONTENT_TYPES)
            for override in list(types.iter(f"{{{CT}}}Override")):
                if override.get("PartName", "").lstrip("/").casefold() in doomed:
                    types.remove(override)
                    self.touch(CONTENT_TYPES)

    def reachable(self) -> set[str]:
        """The parts some chain of relationships from the package reaches, with their
        relationships parts and [Content_Types].xml."""
        reached = {CONTENT_TYPES}
        queue = [""]
        while queue:
            source = queue.pop()
            rels = self.find(rels_part_of(source))
            if rels is None:
                continue
            reached.add(rels)
            for rel in self.relationships(source):
                found = None if rel.external else self.find(rel.target)
                if found is not None and found not in reached:
                    reached.add(found)
                    queue.append(found)
        return reached

    def to_bytes(self) -> bytes:
        """The package as a ZIP file: changed parts serialised, the others as they were."""
        members = []
        for part, member in self._members.items():
            if part in self._changed:
                member = Member(part, serialize_part(self._trees[part]), member.compress_type)
            members.append(member)
        return write_archive(members)

    # -- content types and relationships ------------------------------------

    def content_type(self, part: str) -> str | None:
        """The content type [Content_Types].xml gives ``part``: its override, else its extension's default."""
        types = self.xml(CONTENT_TYPES)
        for override in types.iter(f"{{{CT}}}Override"):
            if override.get("PartName", "").lstrip("/").casefold() == part.casefold():
                return str(override.get("ContentType", ""))
        extension = posixpath.splitext(part)[1].lstrip(".").casefold()
        for default in types.iter(f"{{{CT}}}Default"):
            if default.get("Extension", "").casefold() == extension:
                return str(default.get("ContentType", ""))
        return None

    def relationships(self, source: str) -> list[Relationship]:
        """The relationships of ``source`` ("" for the package itself), targets resolved."""
        rels = rels_part_of(source)
        found = self.find(rels)
        if found is None:
            return []
        out = []
        for rel in self.xml(found).iter(REL("Relationship")):
            external = rel.get("TargetMode") == "External"
            raw = rel.get("Target", "")
            target = raw if external else resolve(source, raw)
            if not external:
                # Percent-encoded or not, the member may be named either way.
                target = self.find(target) or self.find(unquote(target)) or target
            out.append(Relationship(rel.get("Id", ""), rel_type(rel.get("Type", "")), target, external))
        return out

    def text_parts(self) -> list[str]:
        """The parts whose paragraphs make the text: the body, then headers, footers,
        footnotes and endnotes (each kind in natural order of part name)."""
        rels = [r for r in self.relationships(self.main) if not r.external and r.target in self._members]
        parts = [self.main]
        for kind in TEXT_PART_TYPES:
            named = sorted({r.target for r in rels if r.type == kind}, key=_natural)
            parts.extend(p for p in named if p not in parts)
        return parts

    def problems(self) -> list[str]:
        """What breaks the package's consistency: relationships to missing parts,
        overrides of missing parts, parts without a content type, r:ids with no relationship."""
        out = []
        for part in self._members:
            if part.endswith(".rels") or part.endswith("/") or part == CONTENT_TYPES:
                continue
            if self.content_type(part) is None:
                out.append(f"{part} has no content type")
        for override in self.xml(CONTENT_TYPES).iter(f"{{{CT}}}Override"):
            if self.find(override.get("PartName", "").lstrip("/")) is None:
                out.append(f"content type override for missing {override.get('PartName')}")
        for source in ["", *self._members]:
            if self.find(rels_part_of(source)) is None:
                continue
            rels = self.relationships(source)
            for rel in rels:
                if not rel.external and self.find(rel.target) is None:
                    out.append(f"{source or 'package'} -> missing {rel.target}")
            if source.endswith(".xml") and source != CONTENT_TYPES:
                ids = {r.id for r in rels}
                for used in _relationship_ids(self.xml(source)):
                    if used not in ids:
                        out.append(f"{source} uses relationship {used}, which it does not have")
        return out


def open_docx(data: bytes, *, limits: Limits, name: str) -> DocxPackage:
    """Open a Word file within ``limits``, refusing what Barium must not or cannot read.

    Refused (each with a message naming ``name``): what is not a ZIP package
    (:class:`UnsupportedFormat`; an OLE file is an encrypted .docx or a .doc),
    archives past the caps of :func:`~barium.formats.docx.archive.read_archive`,
    macro-enabled documents (a ``vbaProject.bin``), Strict Open XML, Excel or
    PowerPoint files, and a package without its main document part.
    """
    package = DocxPackage(read_archive(data, limits=limits, name=name), name=name)
    if any(p.casefold().endswith("vbaproject.bin") for p in package.parts()):
        raise UnsupportedFormat(
            f"{name}: a macro-enabled Word document (it contains a VBA project); save it as a Word Document "
            "(.docx) without macros, then try again"
        )
    if package.find(CONTENT_TYPES) is None:
        mimetype = package.data("mimetype") if package.find("mimetype") == "mimetype" else b""
        if mimetype.startswith(b"application/vnd.oasis.opendocument"):
            raise UnsupportedFormat(f"{name}: an OpenDocument file (.odt); save it as a Word Document (.docx) first")
        raise UnsupportedFormat(f"{name}: not a Word document (no [Content_Types].xml inside the ZIP archive)")
    package.main = _main_part(package)
    content_type = package.content_type(package.main) or ""
    if content_type in MACRO_MAIN_TYPES:
        raise UnsupportedFormat(f"{name}: a macro-enabled Word document; save it as a Word Document (.docx) first")
    for marker, what in _OTHER_FORMATS.items():
        if marker in content_type:
            raise UnsupportedFormat(f"{name}: {what}, not a Word document")
    root = package.xml(package.main)
    if root.tag == f"{{{STRICT_W_NS}}}document":
        raise UnsupportedFormat(
            f"{name}: saved as Strict Open XML; save it in Word as a Word Document (.docx), then try again"
        )
    if root.tag != W("document") or (content_type and content_type not in MAIN_TYPES):
        raise UnsupportedFormat(f"{name}: {package.main} is not a Word document body ({content_type or root.tag})")
    return package


def _main_part(package: DocxPackage) -> str:
    for rel in package.relationships(""):
        if rel.type == RelType.STRICT_OFFICE_DOCUMENT:
            raise UnsupportedFormat(
                f"{package.name}: saved as Strict Open XML; save it in Word as a Word Document (.docx), then try again"
            )
        if rel.type == RelType.OFFICE_DOCUMENT and not rel.external and package.find(rel.target):
            return rel.target
    found = package.find(_DEFAULT_MAIN)
    if found is None:
        raise InputError(f"{package.name}: no word/document.xml inside; not a Word document")
    return found


def rels_part_of(source: str) -> str:
    """The relationships part of ``source`` ("" is the package)."""
    folder, base = posixpath.split(source)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def source_of(rels: str) -> str:
    """The part whose relationships ``rels`` holds ("" for the package's)."""
    folder, base = posixpath.split(rels)
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")]) if base != ".rels" else ""


def resolve(source: str, target: str) -> str:
    """A relationship's target as a part name, relative to ``source``'s folder."""
    target = target.split("#", 1)[0].replace("\\", "/")
    joined = target if target.startswith("/") else posixpath.join("/", posixpath.dirname(source), target)
    return posixpath.normpath(joined).lstrip("/")


def _natural(part: str) -> list[int | str]:
    return [int(x) if x.isdigit() else x.casefold() for x in _DIGITS.split(part)]


_R_PREFIX = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _relationship_ids(root: Element) -> Iterator[str]:
    for element in root.iter():
        for key, value in element.attrib.items():
            if isinstance(key, str) and key.startswith(_R_PREFIX):
                yield value
