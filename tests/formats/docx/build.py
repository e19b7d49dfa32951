"""Small Word files written by hand: the few parts a .docx needs, and the optional ones.

No python-docx: each test states the XML it is about, and a helper zips it into a
package Word and LibreOffice open ([Content_Types].xml, relationships, parts).
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'mc:Ignorable="w14 w15"'
)
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
OD = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
MAIN_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def t(text: str) -> str:
    """A w:t that keeps its spaces."""
    return f'<w:t xml:space="preserve">{escape(text)}</w:t>'


def r(text: str, *, bold: bool = False, rsid: str | None = None) -> str:
    """A run of ``text``."""
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    attr = f' w:rsidR="{rsid}"' if rsid else ""
    return f"<w:r{attr}>{props}{t(text)}</w:r>"


def p(*runs: str, rsid: str | None = None) -> str:
    """A paragraph of runs (plain strings become runs)."""
    attr = f' w:rsidR="{rsid}" w:rsidRDefault="{rsid}" w14:paraId="1A2B3C4D" w14:textId="77777777"' if rsid else ""
    return f"<w:p{attr}>" + "".join(x if x.startswith("<") else r(x) for x in runs) + "</w:p>"


def table(*rows: list[str]) -> str:
    """A table: each row a list of cell contents (block XML: paragraphs or tables)."""
    cells = "".join("<w:tr>" + "".join(f"<w:tc><w:tcPr/>{c}</w:tc>" for c in row) + "</w:tr>" for row in rows)
    return f"<w:tbl><w:tblPr/><w:tblGrid/>{cells}</w:tbl>"


def text_box(*paragraphs: str) -> str:
    """A run holding a text box as Word writes it: a DrawingML choice, a VML fallback."""
    content = "<w:txbxContent>" + "".join(paragraphs) + "</w:txbxContent>"
    return (
        "<w:r><mc:AlternateContent>"
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="1" name="Text Box 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        "</mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )


def field(instruction: str, result: str) -> str:
    """A complex field (``PAGE``, ``DATE``...) showing ``result``."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{r(result)}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def docx(
    body: str,
    *,
    headers: tuple[str, ...] = (),
    footers: tuple[str, ...] = (),
    footnotes: tuple[str, ...] = (),
    endnotes: tuple[str, ...] = (),
    comments: tuple[str, ...] = (),
    settings: str | None = None,
    core: str | None = None,
    app: str | None = None,
    custom: str | None = None,
    custom_xml: str | None = None,
    people: bool = False,
    thumbnail: bool = False,
    extra: tuple[tuple[str, bytes], ...] = (),
    document_xml: str | None = None,
    main_type: str = MAIN_CT + ".document.main+xml",
) -> bytes:
    """A .docx whose body is ``body`` (block XML), with the optional parts given."""
    parts: list[tuple[str, str | bytes]] = []
    overrides = [("/word/document.xml", main_type)]
    doc_rels: list[tuple[str, str]] = []
    pkg_rels = [(OD + "officeDocument", "word/document.xml")]
    refs = ""
    for kind, contents in (("header", headers), ("footer", footers)):
        tag = "hdr" if kind == "header" else "ftr"
        for i, inner in enumerate(contents, 1):
            name = f"{kind}{i}.xml"
            parts.append((f"word/{name}", f"{DECL}<w:{tag} {NS}>{inner}</w:{tag}>"))
            overrides.append((f"/word/{name}", f"{MAIN_CT}.{kind}+xml"))
            doc_rels.append((OD + kind, name))
            refs += f'<w:{kind}Reference w:type="default" r:id="rId{len(doc_rels)}"/>'
    for kind, notes in (("footnote", footnotes), ("endnote", endnotes)):
        if not notes:
            continue
        items = (
            f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
            f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>'
        )
        items += "".join(f'<w:{kind} w:id="{i}">{inner}</w:{kind}>' for i, inner in enumerate(notes, 1))
        parts.append((f"word/{kind}s.xml", f"{DECL}<w:{kind}s {NS}>{items}</w:{kind}s>"))
        overrides.append((f"/word/{kind}s.xml", f"{MAIN_CT}.{kind}s+xml"))
        doc_rels.append((OD + f"{kind}s", f"{kind}s.xml"))
    if comments:
        items = "".join(
            f'<w:comment w:id="{i}" w:author="Alice Author" w:date="2024-01-02T03:04:00Z" w:initials="AA">{inner}</w:comment>'
            for i, inner in enumerate(comments)
        )
        parts.append(("word/comments.xml", f"{DECL}<w:comments {NS}>{items}</w:comments>"))
        overrides.append(("/word/comments.xml", f"{MAIN_CT}.comments+xml"))
        doc_rels.append((OD + "comments", "comments.xml"))
    if people:
        parts.append(
            (
                "word/people.xml",
                f'{DECL}<w15:people {NS}><w15:person w15:author="Alice Author"><w15:presenceInfo '
                'w15:providerId="AD" w15:userId="S::alice@example.org"/></w15:person></w15:people>',
            )
        )
        overrides.append(
            ("/word/people.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml")
        )
        doc_rels.append(("http://schemas.microsoft.com/office/2011/relationships/people", "people.xml"))
    if settings is not None:
        parts.append(("word/settings.xml", f"{DECL}<w:settings {NS}>{settings}</w:settings>"))
        overrides.append(("/word/settings.xml", f"{MAIN_CT}.settings+xml"))
        doc_rels.append((OD + "settings", "settings.xml"))
    if custom_xml is not None:
        parts.append(("customXml/item1.xml", custom_xml))
        parts.append(
            (
                "customXml/itemProps1.xml",
                f'{DECL}<ds:datastoreItem ds:itemID="{{6B3A0C2E-0000-4000-8000-000000000001}}" '
                'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"/>',
            )
        )
        parts.append(
            (
                "customXml/_rels/item1.xml.rels",
                _rels([(OD + "customXmlProps", "itemProps1.xml")]),
            )
        )
        overrides.append(
            ("/customXml/itemProps1.xml", "application/vnd.openxmlformats-officedocument.customXmlProperties+xml")
        )
        doc_rels.append((OD + "customXml", "../customXml/item1.xml"))
    if core is not None:
        parts.append(
            (
                "docProps/core.xml",
                f'{DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' + core + "</cp:coreProperties>",
            )
        )
        overrides.append(("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"))
        pkg_rels.append((PKG + "core-properties", "docProps/core.xml"))
    if app is not None:
        parts.append(
            (
                "docProps/app.xml",
                f'{DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                + app
                + "</Properties>",
            )
        )
        overrides.append(("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"))
        pkg_rels.append((OD + "extended-properties", "docProps/app.xml"))
    if custom is not None:
        parts.append(
            (
                "docProps/custom.xml",
                f'{DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
                'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                + custom
                + "</Properties>",
            )
        )
        overrides.append(
            ("/docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml")
        )
        pkg_rels.append((OD + "custom-properties", "docProps/custom.xml"))
    if thumbnail:
        parts.append(("docProps/thumbnail.jpeg", b"\xff\xd8\xff\xe0 not really a jpeg"))
        pkg_rels.append((PKG + "thumbnail", "docProps/thumbnail.jpeg"))
    sect = f'<w:sectPr>{refs}<w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'
    document = document_xml or f"{DECL}<w:document {NS}><w:body>{body}{sect}</w:body></w:document>"
    types = (
        f'{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="jpeg" ContentType="image/jpeg"/>'
        + "".join(f'<Override PartName="{n}" ContentType="{c}"/>' for n, c in overrides)
        + "</Types>"
    )
    members: list[tuple[str, str | bytes]] = [
        ("[Content_Types].xml", types),
        ("_rels/.rels", _rels(pkg_rels)),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", _rels(doc_rels)),
        *parts,
        *extra,
    ]
    return zip_members(members)


def zip_members(members: list[tuple[str, str | bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return out.getvalue()


def _rels(rels: list[tuple[str, str]]) -> str:
    items = "".join(
        f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"/>' for i, (kind, target) in enumerate(rels, 1)
    )
    return f'{DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{items}</Relationships>'


def replace_member(data: bytes, name: str, content: bytes | None) -> bytes:
    """``data`` with member ``name`` holding ``content`` (added at the end if new;
    None: without the member)."""
    members: list[tuple[str, str | bytes]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.filename != name:
                members.append((info.filename, archive.read(info)))
            elif content is not None:
                members.append((name, content))
    if content is not None and name not in [n for n, _ in members]:
        members.append((name, content))
    return zip_members(members)
