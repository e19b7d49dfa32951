"""What a Word master must lose before any copy is made of it.

Every copy is rendered from the clean master, so whatever is removed here is
absent from all copies alike, and whatever is kept is identical in all of them:
no part of a copy but its text can tell it from another (FIELD.md section 6:
canary scanners look at per-copy metadata).

Removed, because it names the author, the organisation or the editing history:
the author, last editor, revision, dates and version of ``docProps/core.xml``
(the title, subject and keywords stay: the author wrote them as content); the
company, manager, template, editing time and statistics of ``docProps/app.xml``
(statistics would be stale in every copy whose wording changed, a tell);
``docProps/custom.xml``; ``customXml`` parts (document-management data) and the
content controls' bindings to them; comments with their anchors and replies;
``people.xml``; the page thumbnail (a picture of the master, with the raw
``{{a|b}}`` markup); every ``w:rsid*`` revision id and the ``w:rsids`` table;
Word's paragraph and text ids and document ids; document variables; document
and write protection (its hash) and the attached template's path. The
``mc:Fallback`` copy of alternate content (text boxes) is dropped too: it would
keep the master's unmarked text, variant markup included, in every copy.

Refused, because Barium cannot decide for the author: tracked changes (accept
or reject them in Word first; each also records an author and a date) and
``w:altChunk`` imports (content Word converts only when it opens the file).
"""

from __future__ import annotations

from collections import Counter

from barium.errors import InputError
from barium.formats.docx.names import MC, R_NS, W14_NS, W15_NS, W_NS, RelType, W, rel_type
from barium.formats.docx.package import DocxPackage, rels_part_of
from barium.formats.docx.xmlparts import Element, etree

__all__ = ["TRACKED_CHANGES", "refuse_unclean", "scrub"]

# Every element that records a tracked change, of text or of formatting.
TRACKED_CHANGES = frozenset(
    W(t)
    for t in (
        "ins",
        "del",
        "moveFrom",
        "moveTo",
        "moveFromRangeStart",
        "moveToRangeStart",
        "rPrChange",
        "pPrChange",
        "sectPrChange",
        "tblPrChange",
        "tblPrExChange",
        "tblGridChange",
        "trPrChange",
        "tcPrChange",
        "numberingChange",
        "cellIns",
        "cellDel",
        "cellMerge",
        "customXmlInsRangeStart",
        "customXmlDelRangeStart",
        "customXmlMoveFromRangeStart",
        "customXmlMoveToRangeStart",
    )
)
_REMOVED_TYPES = frozenset(
    {
        RelType.CUSTOM_PROPERTIES,
        RelType.THUMBNAIL,
        RelType.COMMENTS,
        RelType.COMMENTS_EXTENDED,
        RelType.COMMENTS_IDS,
        RelType.COMMENTS_EXTENSIBLE,
        RelType.PEOPLE,
        RelType.CUSTOM_XML,
    }
)
_REMOVED_PREFIXES = ("customxml/", "docprops/custom.xml", "docprops/thumbnail", "word/comments", "word/people.xml")
_CORE_REMOVED = frozenset({"creator", "lastModifiedBy", "revision", "created", "modified", "lastPrinted", "version"})
_APP_REMOVED = frozenset(
    {
        "Company",
        "Manager",
        "Template",
        "TotalTime",
        "HyperlinkBase",
        "Pages",
        "Words",
        "Characters",
        "CharactersWithSpaces",
        "Lines",
        "Paragraphs",
    }
)
_SETTINGS_REMOVED = frozenset(
    {
        W("rsids"),
        W("documentProtection"),
        W("writeProtection"),
        W("attachedTemplate"),
        W("docVars"),
        f"{{{W14_NS}}}docId",
        f"{{{W15_NS}}}docId",
    }
)
_ANCHORS = frozenset({W("commentRangeStart"), W("commentRangeEnd"), W("commentReference")})
_IDS = frozenset({f"{{{W14_NS}}}paraId", f"{{{W14_NS}}}textId"})
_RSID_PREFIX = f"{{{W_NS}}}rsid"
_R_ID = f"{{{R_NS}}}id"


def refuse_unclean(package: DocxPackage) -> None:
    """Refuse a master with tracked changes or imported chunks (:class:`InputError`)."""
    for part in package.text_parts():
        root = package.xml(part)
        kinds = Counter(etree.QName(e).localname for e in root.iter(*TRACKED_CHANGES))
        if kinds:
            listed = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
            raise InputError(
                f"{package.name}: {sum(kinds.values())} tracked changes in {part} ({listed}). Accept or reject all "
                "tracked changes in Word first (Review > Accept > Accept All Changes), save, and add it again"
            )
        if next(root.iter(W("altChunk")), None) is not None:
            raise InputError(
                f"{package.name}: {part} imports content from another file (altChunk), which Word converts only "
                "when it opens the document; open it in Word, save it, and add it again"
            )


def scrub(package: DocxPackage) -> None:
    """Remove identifying metadata, comments and editing history from ``package`` in place."""
    reached = package.reachable()
    _remove_parts(package)
    # What only removed parts pointed to (a comment's picture) goes too. Parts no
    # relationship reached before are left as they were: Barium may not know how
    # their producer named them, and removing a picture would change the document.
    package.remove(reached - package.reachable())
    for rel in package.relationships(""):
        if rel.external or package.find(rel.target) is None:
            continue
        if rel.type == RelType.CORE_PROPERTIES:
            _drop_children(package, rel.target, _CORE_REMOVED)
        elif rel.type == RelType.EXTENDED_PROPERTIES:
            _drop_children(package, rel.target, _APP_REMOVED)
    for rel in package.relationships(package.main):
        if rel.type == RelType.SETTINGS and not rel.external and package.find(rel.target):
            _scrub_settings(package, rel.target)
    text_parts = set(package.text_parts())
    for part in package.parts():
        if part.endswith(".xml") and not part.endswith(".rels") and part.startswith(_folder(package.main)):
            _scrub_word_part(package, part, text=part in text_parts)


def _folder(part: str) -> str:
    return part.rsplit("/", 1)[0] + "/" if "/" in part else ""


def _remove_parts(package: DocxPackage) -> None:
    doomed = set()
    for source in ("", package.main):
        for rel in package.relationships(source):
            if rel.type in _REMOVED_TYPES and not rel.external:
                doomed.add(rel.target)
    for part in package.parts():
        # By name too: a part a relationship no longer points to is still in the file.
        if part.casefold().startswith(_REMOVED_PREFIXES):
            doomed.add(part)
    package.remove(doomed)


def _drop_children(package: DocxPackage, part: str, names: frozenset[str]) -> None:
    root = package.xml(part)
    for child in list(root):
        if isinstance(child.tag, str) and etree.QName(child).localname in names:
            root.remove(child)
            package.touch(part)


def _scrub_settings(package: DocxPackage, part: str) -> None:
    root = package.xml(part)
    template_ids = set()
    for child in list(root):
        if child.tag in _SETTINGS_REMOVED:
            if child.tag == W("attachedTemplate") and child.get(_R_ID):
                template_ids.add(child.get(_R_ID))
            root.remove(child)
            package.touch(part)
    # The template's path (file:///C:/Users/<name>/...) lives in the settings' relationships.
    rels = package.find(rels_part_of(part))
    if rels is None:
        return
    rels_root = package.xml(rels)
    for rel in list(rels_root):
        if rel_type(rel.get("Type", "")) == RelType.ATTACHED_TEMPLATE or rel.get("Id") in template_ids:
            rels_root.remove(rel)
            package.touch(rels)


def _scrub_word_part(package: DocxPackage, part: str, *, text: bool) -> None:
    data = package.data(part)
    # Most parts (styles aside) carry none of this: not worth parsing them.
    if not text and b"rsid" not in data and b"paraId" not in data and b"dataBinding" not in data:
        return
    root = package.xml(part)
    changed = False
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        doomed = [k for k in element.attrib if isinstance(k, str) and (k.startswith(_RSID_PREFIX) or k in _IDS)]
        for key in doomed:
            del element.attrib[key]
        changed = changed or bool(doomed)
    removable = [W("rsid"), W("dataBinding")]
    if text:
        removable += _ANCHORS
    for element in list(root.iter(*removable)):
        parent = element.getparent()
        if parent is None:
            continue
        parent.remove(element)
        changed = True
        # The run that held only a comment's mark goes with it.
        if element.tag == W("commentReference") and parent.tag == W("r") and all(c.tag == W("rPr") for c in parent):
            grand = parent.getparent()
            if grand is not None:
                grand.remove(parent)
    if text:
        changed = _keep_first_choice(root) or changed
    if changed:
        package.touch(part)


def _keep_first_choice(root: Element) -> bool:
    """Alternate content keeps only the choice Barium reads (the first): the other
    choices and the fallback are copies of it that a copy's marks would not reach.
    Alternate content with no choice at all is left alone (Barium reads none of it)."""
    changed = False
    for alternate in list(root.iter(MC("AlternateContent"))):
        choices = [c for c in alternate if c.tag == MC("Choice")]
        if not choices:
            continue
        for extra in [c for c in alternate if c is not choices[0] and c.tag in (MC("Choice"), MC("Fallback"))]:
            alternate.remove(extra)
            changed = True
    return changed
