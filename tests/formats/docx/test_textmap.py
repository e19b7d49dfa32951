"""The text of a Word file: every paragraph once, in order, with a map back to its runs."""

from __future__ import annotations

import pytest

from barium.errors import InputError, UnsupportedFormat
from barium.formats.docx import DocxText, docx_text, extract_text, open_docx
from barium.limits import Limits
from tests.formats.docx.build import MAIN_CT, docx, field, p, r, replace_member, t, table, text_box, zip_members

LIMITS = Limits()


def extracted(data: bytes) -> DocxText:
    return extract_text(open_docx(data, limits=LIMITS, name="x.docx"))


def regions(x: DocxText) -> list[tuple[str, int]]:
    return [(x.text[g.start : g.end], g.paragraph) for g in x.regions]


def test_words_cut_into_runs_read_as_one_and_the_region_crosses_the_runs() -> None:
    x = extracted(docx(p(r("The off"), r("ic", bold=True), r("ers met"), r(" at noon."))))
    assert x.text == "The officers met at noon."
    assert regions(x) == [("The officers met at noon.", 0)]
    assert [s.length for s in x.segments] == [7, 2, 7, 9]


def test_paragraphs_are_separated_by_one_blank_line_and_numbered() -> None:
    x = extracted(docx(p("One.") + p() + p("Two.")))
    assert x.text == "One.\n\n\n\nTwo."  # an empty paragraph stays one, so edits never merge two
    assert regions(x) == [("One.", 0), ("Two.", 2)]


def test_tables_and_nested_tables_read_cell_by_cell() -> None:
    inner = table([p("deep a"), p("deep b")])
    x = extracted(docx(p("Before.") + table([p("a1"), p("b1")], [p("a2"), inner]) + p("After.")))
    assert x.text.split("\n\n") == ["Before.", "a1", "b1", "a2", "deep a", "deep b", "After."]


def test_a_text_box_is_read_once_after_its_anchor_paragraph_not_from_its_fallback() -> None:
    x = extracted(docx(p("Anchor ", text_box(p("In the box.")), " text.") + p("Next.")))
    assert x.text.split("\n\n") == ["Anchor  text.", "In the box.", "Next."]
    # The drawing is a barrier: no region, no edit crosses it.
    assert regions(x) == [("Anchor ", 0), (" text.", 0), ("In the box.", 1), ("Next.", 2)]


def test_headers_footers_footnotes_and_endnotes_follow_the_body_in_that_order() -> None:
    data = docx(
        p("Body."),
        headers=(p("Header one."), p("Header two.")),
        footers=(p("Footer."),),
        footnotes=(p("<w:r><w:footnoteRef/></w:r>", " A footnote."),),
        endnotes=(p("An endnote."),),
    )
    # Separator notes hold no text and make no paragraph.
    assert extracted(data).text.split("\n\n") == [
        "Body.",
        "Header one.",
        "Header two.",
        "Footer.",
        " A footnote.",
        "An endnote.",
    ]


def test_tabs_breaks_and_no_break_hyphens_read_as_characters_between_stretches() -> None:
    x = extracted(
        docx(
            p(
                "<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:t>d</w:t><w:noBreakHyphen/><w:t>e</w:t></w:r>"
            )
        )
    )
    assert x.text == "a\tb\nc\nd-e"
    assert [s for s, _ in regions(x)] == ["a", "b", "c", "d", "e"]


def test_tab_stops_in_paragraph_properties_are_not_tabs() -> None:
    tabs = '<w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
    assert extracted(docx(p(tabs, "text"))).text == "text"


def test_symbols_are_skipped_and_split_stretches() -> None:
    x = extracted(docx(p(r("tick"), '<w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>', r("ed"))))
    assert x.text == "ticked"
    assert [s for s, _ in regions(x)] == ["tick", "ed"]


def test_a_field_shows_its_result_not_its_instruction_and_the_result_is_not_editable() -> None:
    x = extracted(docx(p("Page ", field("PAGE", "7"), " of the report.")))
    assert x.text == "Page 7 of the report."
    assert [s for s, _ in regions(x)] == ["Page ", " of the report."]
    seven = x.text.index("7")
    assert not x.is_editable(seven, seven + 1)
    assert x.is_editable(0, 4)


def test_a_simple_field_result_is_text_but_not_editable() -> None:
    x = extracted(docx(p("Date: ", f'<w:fldSimple w:instr=" DATE ">{r("1 May")}</w:fldSimple>', ".")))
    assert x.text == "Date: 1 May."
    assert [s for s, _ in regions(x)] == ["Date: ", "."]


def test_deleted_and_moved_away_text_is_not_text_inserted_text_is() -> None:
    tracked = (
        '<w:del w:id="1" w:author="A" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>old </w:delText></w:r></w:del>'
        f'<w:ins w:id="2" w:author="A" w:date="2024-01-01T00:00:00Z">{r("new ")}</w:ins>'
        f'<w:moveFrom w:id="3" w:author="A" w:date="2024-01-01T00:00:00Z">{r("gone ")}</w:moveFrom>'
    )
    assert docx_text(docx(p(tracked, "words.")), limits=LIMITS, name="leak.docx") == "new words."


def test_white_space_word_does_not_show_is_not_text() -> None:
    x = extracted(docx(p("<w:r><w:t>  trimmed  </w:t></w:r>", "<w:r><w:t xml:space='preserve'>  kept  </w:t></w:r>")))
    assert x.text == "trimmed  kept  "


def test_control_characters_inside_a_run_are_skipped_so_the_text_needs_no_cleaning() -> None:
    x = extracted(docx(p("<w:r><w:t>a&#x85;b&#13;c&#10;d&#9;e</w:t></w:r>")))
    assert x.text == "abcde"
    assert LIMITS.check_text(x.text, "leak", name="x") == x.text
    assert regions(x) == [("abcde", 0)]


def test_hyperlinks_content_controls_and_smart_tags_flow_through() -> None:
    body = p(
        f'<w:hyperlink r:id="rId9">{r("click")}</w:hyperlink>',
        f"<w:sdt><w:sdtPr><w:alias w:val='x'/></w:sdtPr><w:sdtContent>{r(' here')}</w:sdtContent></w:sdt>",
        f'<w:smartTag w:element="place">{r(" now")}</w:smartTag>',
    )
    x = extracted(docx(body))
    assert x.text == "click here now"
    assert regions(x) == [("click here now", 0)]


def test_urls_and_addresses_in_a_paragraph_are_protected_as_in_text() -> None:
    x = extracted(docx(p("Write to ops@example.org or see https://example.org/a today.")))
    assert [s for s, _ in regions(x)] == ["Write to ", " or see ", " today."]


def test_the_leak_text_is_the_master_text_of_the_same_file() -> None:
    data = docx(p("Some ", r("text", bold=True), ".") + table([p("cell")]), headers=(p("Head"),))
    assert docx_text(data, limits=LIMITS, name="x.docx") == extracted(data).text


def test_a_leak_text_over_the_cap_is_refused() -> None:
    with pytest.raises(InputError, match="max_leak_bytes"):
        docx_text(docx(p("word " * 300)), limits=Limits(leak_bytes=1000), name="x.docx")


@pytest.mark.parametrize(
    ("change", "error", "words"),
    [
        (("word/document.xml", None), InputError, "no word/document.xml"),
        (("word/vbaProject.bin", b"macros"), UnsupportedFormat, "macro-enabled"),
        (("[Content_Types].xml", None), UnsupportedFormat, r"no \[Content_Types\]\.xml"),
    ],
)
def test_files_that_are_not_plain_word_documents_are_refused(
    change: tuple[str, bytes | None], error: type[Exception], words: str
) -> None:
    data = replace_member(docx(p("x")), *change)
    with pytest.raises(error, match=rf"^plan\.docx: .*{words}"):
        open_docx(data, limits=LIMITS, name="plan.docx")


@pytest.mark.parametrize(
    ("main_type", "words"),
    [
        ("application/vnd.ms-word.document.macroEnabled.main+xml", "macro-enabled"),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "an Excel workbook"),
    ],
)
def test_the_main_part_content_type_says_what_the_file_is(main_type: str, words: str) -> None:
    with pytest.raises(UnsupportedFormat, match=words):
        open_docx(docx(p("x"), main_type=main_type), limits=LIMITS, name="x.docx")


def test_an_opendocument_file_named_docx_is_named_for_what_it_is() -> None:
    odt = zip_members(
        [("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<office:document-content/>")]
    )
    with pytest.raises(UnsupportedFormat, match=r"x\.docx: an OpenDocument file"):
        open_docx(odt, limits=LIMITS, name="x.docx")


def test_a_strict_open_xml_document_is_refused_rather_than_read_as_empty() -> None:
    strict = '<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body/></w:document>'
    with pytest.raises(UnsupportedFormat, match="Strict Open XML"):
        open_docx(docx("", document_xml=strict), limits=LIMITS, name="x.docx")


def test_a_template_is_read_like_a_document() -> None:
    data = docx(p("Template text."), main_type=MAIN_CT + ".template.main+xml")
    assert docx_text(data, limits=LIMITS, name="x.dotx") == "Template text."


def test_empty_runs_give_one_place_to_insert_whatever_their_number() -> None:
    x = extracted(docx(p(r("a"), *[f"<w:r>{t('')}</w:r>"] * 1000, r("b"))))
    assert x.text == "ab"
    assert len(x.segments) == 2


def test_list_items_are_paragraphs_and_their_numbers_are_not_text() -> None:
    item = '<w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
    x = extracted(docx(p("Steps:") + p(item, "First step.") + p(item, "Second step.")))
    assert x.text.split("\n\n") == ["Steps:", "First step.", "Second step."]
    assert [g.paragraph for g in x.regions] == [0, 1, 2]
