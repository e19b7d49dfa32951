"""A Word master is scrubbed of what names its author and history, and its variants resolved."""

from __future__ import annotations

import io
import zipfile
from importlib import resources

import pytest

from barium.errors import InputError
from barium.formats.docx import extract_text, open_docx, prepare_master, render_docx
from barium.formats.variants import extract_variants
from barium.limits import Limits
from tests.formats.docx.build import DECL, OD, docx, p, r, replace_member, table, text_box

LIMITS = Limits()
ALICE = (
    "<dc:title>Operation Plan</dc:title><dc:creator>Alice Author</dc:creator>"
    "<cp:lastModifiedBy>Bob Editor</cp:lastModifiedBy><cp:revision>42</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2024-01-02T03:04:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2024-02-03T04:05:00Z</dcterms:modified>'
    "<cp:lastPrinted>2024-02-01T00:00:00Z</cp:lastPrinted>"
)
APP = (
    "<Template>\\\\fileserver\\templates\\Secret.dotm</Template><TotalTime>381</TotalTime><Pages>3</Pages>"
    "<Words>500</Words><Characters>2800</Characters><Application>Microsoft Office Word</Application>"
    "<Company>ACME Intelligence</Company><Manager>Carol Chief</Manager>"
)
SETTINGS = (
    '<w:writeProtection w:recommended="1"/><w:attachedTemplate r:id="rId1"/>'
    '<w:documentProtection w:edit="readOnly" w:enforcement="1" w:hashValue="c2VjcmV0" w:saltValue="c2FsdA=="/>'
    '<w:docVars><w:docVar w:name="MatterId" w:val="ACME-2024-0042"/></w:docVars>'
    '<w:rsids><w:rsidRoot w:val="00A1B2C3"/><w:rsid w:val="00A1B2C3"/><w:rsid w:val="00D4E5F6"/></w:rsids>'
    '<w14:docId w14:val="1A2B3C4D"/><w15:docId w15:val="{11111111-2222-3333-4444-555555555555}"/>'
    '<w:defaultTabStop w:val="720"/>'
)
TEMPLATE_RELS = (
    f'{DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{OD}attachedTemplate" '
    'Target="file:///C:/Users/alice/AppData/Roaming/Microsoft/Templates/Secret.dotm" TargetMode="External"/>'
    "</Relationships>"
)
COMMENTED = p(
    r("The "),
    '<w:commentRangeStart w:id="0"/>',
    r("raid", rsid="00D4E5F6"),
    '<w:commentRangeEnd w:id="0"/>',
    '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="0"/></w:r>',
    r(" is set for 6 June."),
    rsid="00A1B2C3",
)


def everything() -> bytes:
    """A master carrying every kind of identifying metadata Barium removes."""
    data = docx(
        COMMENTED + p("The {{officers|staff}} will ", r("meet", bold=True), ".") + table([p("A cell.")]),
        headers=(p("Restricted", rsid="00A1B2C3"),),
        comments=(p("Alice: check the date"),),
        people=True,
        settings=SETTINGS,
        core=ALICE,
        app=APP,
        custom='<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Owner"><vt:lpwstr>alice</vt:lpwstr></property>',
        custom_xml="<owner>alice@acme.example</owner>",
        thumbnail=True,
    )
    return replace_member(data, "word/_rels/settings.xml.rels", TEMPLATE_RELS.encode())


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def test_variants_cut_into_runs_by_word_are_found_and_the_clean_text_reads_back_exactly() -> None:
    data = docx(p(r("The {{off"), r("icers|st", bold=True), r("aff}} met, "), r("{{very |}}"), r("quietly.")))
    master = prepare_master(data, limits=LIMITS, name="plan.docx")
    assert master.document.text == "The officers met, very quietly."
    assert master.document.format == "docx"
    assert [v.forms for v in master.document.variants] == [("officers", "staff"), ("very ", "")]
    again = extract_text(open_docx(master.docx, limits=LIMITS, name="plan.docx"))
    assert again.text == master.document.text
    # The wording went into the run where the markup started, in its formatting.
    document = members(master.docx)["word/document.xml"].decode()
    assert '<w:t xml:space="preserve">The officers</w:t>' in document


def test_the_parsed_master_is_what_the_text_machinery_makes_of_the_extracted_text() -> None:
    data = docx(p("Plans {{for|of}} the ", r("day", bold=True), ".") + p("More {{here|there}}."))
    raw = extract_text(open_docx(data, limits=LIMITS, name="x"))
    master = prepare_master(data, limits=LIMITS, name="x")
    assert master.document == extract_variants(raw.document())


def test_a_paragraph_that_is_only_a_variant_with_an_empty_wording_can_still_be_marked() -> None:
    master = prepare_master(docx(p("Before.") + p(r("{{|Addendum.}}")) + p("After.")), limits=LIMITS, name="x")
    (variant,) = master.document.variants
    assert variant.start == variant.end
    copy = render_docx(master.docx, [(variant.start, variant.end, "Addendum.")])
    assert extract_text(open_docx(copy, limits=LIMITS, name="c")).text == "Before.\n\nAddendum.\n\nAfter."


@pytest.mark.parametrize(
    "paragraph",
    [
        p("<w:r><w:t>The {{officers</w:t><w:tab/><w:t>|staff}} met.</w:t></w:r>"),
        p(r("The {{officers|"), '<w:r><w:sym w:font="Symbol" w:char="F0B7"/></w:r>', r("staff}} met.")),
    ],
)
def test_variant_markup_broken_by_a_tab_or_a_symbol_is_refused_as_incomplete(paragraph: str) -> None:
    with pytest.raises(InputError, match="incomplete variant"):
        prepare_master(docx(paragraph), limits=LIMITS, name="x")


@pytest.mark.parametrize(
    "change",
    [
        f'<w:ins w:id="1" w:author="Bob" w:date="2024-01-01T00:00:00Z">{r("added")}</w:ins>',
        '<w:del w:id="1" w:author="Bob" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>gone</w:delText></w:r></w:del>',
        '<w:r><w:rPr><w:b/><w:rPrChange w:id="1" w:author="Bob" w:date="2024-01-01T00:00:00Z"><w:rPr/></w:rPrChange></w:rPr><w:t>bold</w:t></w:r>',
        f'<w:moveTo w:id="1" w:author="Bob" w:date="2024-01-01T00:00:00Z">{r("moved")}</w:moveTo>',
    ],
)
def test_a_master_with_tracked_changes_is_refused_until_they_are_accepted_or_rejected(change: str) -> None:
    with pytest.raises(
        InputError,
        match=r"(?i)^plan\.docx: 1 tracked changes in word/document\.xml .*accept or reject all tracked changes in Word first",
    ):
        prepare_master(docx(p("Text ", change)), limits=LIMITS, name="plan.docx")


def test_tracked_changes_in_a_header_are_refused_too() -> None:
    header = p(f'<w:ins w:id="1" w:author="Bob" w:date="2024-01-01T00:00:00Z">{r("added")}</w:ins>')
    with pytest.raises(InputError, match=r"word/header1\.xml"):
        prepare_master(docx(p("Body."), headers=(header,)), limits=LIMITS, name="plan.docx")


def test_an_imported_chunk_is_refused() -> None:
    with pytest.raises(InputError, match="altChunk"):
        prepare_master(docx(p("Body.") + '<w:altChunk r:id="rId7"/>'), limits=LIMITS, name="plan.docx")


def test_a_master_without_words_is_refused() -> None:
    with pytest.raises(InputError, match="no words"):
        prepare_master(docx(p("  ") + p("...")), limits=LIMITS, name="plan.docx")


def test_every_part_naming_the_author_the_organisation_or_the_history_is_removed() -> None:
    master = prepare_master(everything(), limits=LIMITS, name="plan.docx")
    parts = members(master.docx)
    assert sorted(parts) == sorted(
        [
            "[Content_Types].xml",
            "_rels/.rels",
            "word/document.xml",
            "word/_rels/document.xml.rels",
            "word/header1.xml",
            "word/settings.xml",
            "word/_rels/settings.xml.rels",
            "docProps/core.xml",
            "docProps/app.xml",
        ]
    )
    everything_left = b"".join(parts.values())
    for trace in [b"Alice", b"alice", b"Bob", b"Carol", b"ACME", b"Secret", b"fileserver", b"2024", b"rsid", b"paraId"]:
        assert trace not in everything_left, trace
    for gone in [b"comment", b"docVar", b"documentProtection", b"writeProtection", b"docId", b"TotalTime"]:
        assert gone not in everything_left, gone
    # The title is the author's content, and the application is not a person.
    assert b"<dc:title>Operation Plan</dc:title>" in parts["docProps/core.xml"]
    assert b"<Application>Microsoft Office Word</Application>" in parts["docProps/app.xml"]
    assert b'w:defaultTabStop w:val="720"' in parts["word/settings.xml"]
    # The text is what it was, without the comment's mark.
    assert master.document.text.split("\n\n") == [
        "The raid is set for 6 June.",
        "The officers will meet.",
        "A cell.",
        "Restricted",
    ]


def test_content_types_and_relationships_stay_consistent_after_the_removals() -> None:
    original = open_docx(everything(), limits=LIMITS, name="plan.docx")
    assert original.problems() == []
    master = prepare_master(everything(), limits=LIMITS, name="plan.docx")
    package = open_docx(master.docx, limits=LIMITS, name="plan.docx")
    assert package.problems() == []
    types = members(master.docx)["[Content_Types].xml"].decode()
    for gone in ["comments", "people", "custom", "itemProps"]:
        assert gone not in types


def test_a_bound_content_control_loses_its_binding_with_the_custom_xml_and_keeps_its_text() -> None:
    control = (
        "<w:sdt><w:sdtPr><w:dataBinding w:xpath='/owner[1]' w:storeItemID='{6B3A0C2E-0000-4000-8000-000000000001}'/>"
        f"</w:sdtPr><w:sdtContent>{r('Alice Author')}</w:sdtContent></w:sdt>"
    )
    master = prepare_master(docx(p("Owner: ", control), custom_xml="<owner>x</owner>"), limits=LIMITS, name="x")
    assert b"dataBinding" not in members(master.docx)["word/document.xml"]
    assert master.document.text == "Owner: Alice Author"


def test_the_fallback_copy_of_a_text_box_is_dropped_so_no_copy_keeps_the_raw_markup() -> None:
    master = prepare_master(docx(p("See ", text_box(p("Box {{one|two}}.")), " here.")), limits=LIMITS, name="x")
    document = members(master.docx)["word/document.xml"]
    assert b"Fallback" not in document and b"{{" not in document
    assert master.document.text == "See  here.\n\nBox one."


def test_preparing_a_master_twice_gives_the_same_bytes() -> None:
    assert (
        prepare_master(everything(), limits=LIMITS, name="a").docx
        == prepare_master(everything(), limits=LIMITS, name="b").docx
    )


def test_two_copies_differ_only_in_the_parts_whose_text_changed_and_in_no_metadata() -> None:
    data = docx(
        p("The officers met on Tuesday.") + p("It rained."),
        headers=(p("Restricted copy"),),
        core=ALICE,
        app=APP,
        settings=SETTINGS,
    )
    master = prepare_master(data, limits=LIMITS, name="plan.docx")
    text = master.document.text
    body = text.index("officers")
    head = text.index("Restricted")
    one = members(render_docx(master.docx, [(body, body + 8, "staff")]))
    two = members(render_docx(master.docx, [(body + 8, body + 8, "\u200b"), (head, head + 10, "Confidential")]))
    clean = members(master.docx)
    assert list(one) == list(two) == list(clean)
    assert {n for n in clean if one[n] != clean[n]} == {"word/document.xml"}
    assert {n for n in clean if two[n] != clean[n]} == {"word/document.xml", "word/header1.xml"}
    # Metadata, settings, relationships: byte for byte the clean master's in every copy.
    for name in clean:
        if name not in ("word/document.xml", "word/header1.xml"):
            assert one[name] == two[name] == clean[name], name


def test_a_picture_only_a_comment_showed_goes_with_it_and_the_bodys_pictures_stay() -> None:
    comment_rels = (
        f'{DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{OD}image" Target="media/image2.png"/></Relationships>'
    )
    document_rels = (
        f'{DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{OD}comments" Target="comments.xml"/>'
        f'<Relationship Id="rId2" Type="{OD}image" Target="media/image%201.png"/></Relationships>'
    )
    data = docx(p("Body with a picture."), comments=(p("See the picture."),))
    data = replace_member(data, "word/_rels/document.xml.rels", document_rels.encode())
    for name, content in [
        ("word/_rels/comments.xml.rels", comment_rels.encode()),
        ("word/media/image2.png", b"\x89PNG comment"),
        ("word/media/image 1.png", b"\x89PNG body"),
        ("word/media/orphan.png", b"\x89PNG nobody"),
    ]:
        data = replace_member(data, name, content)
    data = replace_member(
        data,
        "[Content_Types].xml",
        members(data)["[Content_Types].xml"].replace(
            b'<Default Extension="jpeg"', b'<Default Extension="png" ContentType="image/png"/><Default Extension="jpeg"'
        ),
    )
    parts = members(prepare_master(data, limits=LIMITS, name="x").docx)
    assert "word/media/image2.png" not in parts and "word/_rels/comments.xml.rels" not in parts
    # A picture the body shows stays however its name is encoded; a part nothing
    # pointed to before is left as it was.
    assert "word/media/image 1.png" in parts and "word/media/orphan.png" in parts


def test_core_properties_linked_as_libreoffice_spells_the_relationship_are_scrubbed() -> None:
    """LibreOffice links docProps/core.xml with ``.../officedocument/2006/relationships/metadata/
    core-properties`` (not the package namespace Word uses): the author's name must still go."""
    sample = resources.files("barium.demo").joinpath("samples", "board-memo.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(sample)) as z:
        assert b"officedocument/2006/relationships/metadata/core-properties" in z.read("_rels/.rels")
        assert b"Margaret Okafor" in z.read("docProps/core.xml")
    clean = prepare_master(sample, limits=Limits(), name="board-memo.docx").docx
    with zipfile.ZipFile(io.BytesIO(clean)) as z:
        everything = b"".join(z.read(n) for n in z.namelist())
    for identifying in (b"Margaret Okafor", b"Okafor, Margaret", b"Hollow Ridge Water plc", b"fileserver"):
        assert identifying not in everything
