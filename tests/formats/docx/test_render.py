"""A copy is the master with each edit applied to its runs: its text is the edited text."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barium.formats.docx import DocxText, extract_text, open_docx, prepare_master, render_docx
from barium.limits import Limits
from tests.formats.docx.build import docx, field, p, r, table, text_box

LIMITS = Limits()


def text_of(data: bytes) -> str:
    return extracted(data).text


def extracted(data: bytes) -> DocxText:
    return extract_text(open_docx(data, limits=LIMITS, name="x.docx"))


def applied(text: str, replacements: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for a, b, new in sorted(replacements, key=lambda x: (x[0], x[1])):
        out += [text[pos:a], new]
        pos = b
    return "".join([*out, text[pos:]])


def document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode()


def test_an_edit_across_runs_goes_into_the_run_where_it_starts_in_that_runs_formatting() -> None:
    master = docx(p(r("The off"), r("icers", bold=True), r(" met.")))
    copy = render_docx(master, [(4, 12, "staff")])
    assert text_of(copy) == "The staff met."
    xml = document_xml(copy)
    assert '<w:t xml:space="preserve">The staff</w:t>' in xml
    assert '<w:rPr><w:b/></w:rPr><w:t xml:space="preserve"></w:t>' in xml


def test_an_insertion_between_runs_takes_the_formatting_of_what_precedes_it() -> None:
    copy = render_docx(docx(p(r("bold", bold=True), r(" plain"))), [(4, 4, "\u200b")])
    assert text_of(copy) == "bold\u200b plain"
    assert '<w:b/></w:rPr><w:t xml:space="preserve">bold\u200b</w:t>' in document_xml(copy)


def test_preserve_is_set_only_where_leading_or_trailing_space_or_invisible_characters_need_it() -> None:
    master = docx(p("<w:r><w:t>alpha</w:t></w:r>", "<w:r><w:t>beta</w:t></w:r>", "<w:r><w:t>gamma</w:t></w:r>"))
    copy = render_docx(master, [(0, 1, "A"), (9, 9, " "), (14, 14, "\u2060")])
    assert text_of(copy) == "Alphabeta gamma\u2060"
    xml = document_xml(copy)
    assert "<w:t>Alpha</w:t>" in xml
    assert '<w:t xml:space="preserve">beta </w:t>' in xml
    assert '<w:t xml:space="preserve">gamma\u2060</w:t>' in xml


def test_space_word_hides_in_an_edited_run_stays_hidden() -> None:
    master = docx(p("<w:r><w:t>  padded word  </w:t></w:r>"))
    assert text_of(master) == "padded word"
    copy = render_docx(master, [(10, 11, "d\u00a0")])
    assert text_of(copy) == "padded wor" + "d\u00a0"


def test_the_same_edits_give_the_same_bytes_and_no_edits_the_same_text() -> None:
    master = prepare_master(docx(p("Some words here.") + p("More.")), limits=LIMITS, name="x").docx
    edits = [(5, 10, "phrases"), (11, 11, "\u200c")]
    assert render_docx(master, edits) == render_docx(master, list(reversed(edits)))
    assert render_docx(master, []) == master


@pytest.mark.parametrize(
    ("edits", "words"),
    [
        ([(0, 3, "x"), (2, 5, "y")], "overlaps"),
        ([(0, 99, "x")], "outside the text"),
        ([(2, 7, "x")], "not editable"),  # across the tab
        ([(7, 8, "x")], "not editable"),  # the field's result
        ([(0, 1, "a\tb")], "cannot carry"),
        ([(0, 1, "a\nb")], "cannot carry"),
        ([(4, 4, "x")], "no editable text"),  # between the tab and the break: no run there
    ],
)
def test_edits_that_cannot_be_applied_to_runs_are_a_callers_error(
    edits: list[tuple[int, int, str]], words: str
) -> None:
    master = docx(p("<w:r><w:t>abc</w:t><w:tab/><w:br/><w:t>de</w:t></w:r>", field("PAGE", "7"), "f"))
    assert text_of(master) == "abc\t\nde7f"
    with pytest.raises(ValueError, match=words):
        render_docx(master, edits)


# -- properties --------------------------------------------------------------------

WORDS = st.text(alphabet="ab \u00a0'\u2019\"-,.{}|", min_size=0, max_size=8)
NEW_TEXT = st.text(alphabet="xy \u00a0\u200b\u200c\u2060\u201c\u2014.", min_size=0, max_size=4)


@st.composite
def runs(draw: st.DrawFn, *, boxes: bool = True) -> str:
    """A paragraph's content: runs of random text and the other things Word puts there."""
    pieces = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["run", "run", "run", "bare", "tab", "br", "sym", "field", "link", "mark", "box"]))
        text = draw(WORDS)
        if kind == "run":
            pieces.append(r(text, bold=draw(st.booleans())))
        elif kind == "bare":  # no xml:space: Word hides its outer spaces
            pieces.append(f"<w:r><w:t>{escape(text)}</w:t></w:r>")
        elif kind in ("tab", "br"):
            pieces.append(f"<w:r><w:{kind}/></w:r>")
        elif kind == "sym":
            pieces.append('<w:r><w:sym w:font="Symbol" w:char="F0B7"/></w:r>')
        elif kind == "field":
            pieces.append(field("PAGE", text))
        elif kind == "link":
            pieces.append(f'<w:hyperlink r:id="rId99">{r(text)}</w:hyperlink>')
        elif kind == "mark":
            pieces.append('<w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="0" w:name="x"/>')
        elif boxes:
            pieces.append(text_box(p(draw(runs(boxes=False)))))
    return p(*pieces)


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    blocks = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.integers(0, 4)) == 0:
            blocks.append(table([draw(runs()), draw(runs())]))
        else:
            blocks.append(draw(runs()))
    header = (draw(runs()),) if draw(st.booleans()) else ()
    return docx("".join(blocks), headers=header)


@st.composite
def edits(draw: st.DrawFn, x: DocxText) -> list[tuple[int, int, str]]:
    """Random non-overlapping edits inside the editable regions (where every mark lies)."""
    chosen: list[tuple[int, int, str]] = []
    if not x.regions:
        return chosen
    for _ in range(draw(st.integers(0, 6))):
        region = draw(st.sampled_from(x.regions))
        a = draw(st.integers(region.start, region.end))
        b = draw(st.integers(a, min(region.end, a + 5)))
        chosen.append((a, b, draw(NEW_TEXT)))
    chosen.sort(key=lambda e: (e[0], e[1]))
    kept: list[tuple[int, int, str]] = []
    for e in chosen:
        if not kept or e[0] >= kept[-1][1]:
            kept.append(e)
    return kept


@given(st.data())
def test_the_text_of_a_copy_is_the_master_text_with_the_edits_applied(data: st.DataObject) -> None:
    master = data.draw(documents())
    x = extracted(master)
    replacements = data.draw(edits(x))
    copy = render_docx(master, replacements)
    assert text_of(copy) == applied(x.text, replacements)
    assert render_docx(master, replacements) == copy


@given(st.data())
def test_a_copy_can_be_edited_again_like_its_master(data: st.DataObject) -> None:
    # Edits leave the map sound: regions of the copy are still editable text.
    master = data.draw(documents())
    first = render_docx(master, data.draw(edits(extracted(master))))
    x = extracted(first)
    second = data.draw(edits(x))
    assert text_of(render_docx(first, second)) == applied(x.text, second)


@given(
    st.lists(
        st.sampled_from(["The ", "{{", "officers", "|", "staff", "}}", " met", ", ", "{{very |}}", "quietly."]),
        min_size=1,
        max_size=12,
    ),
    st.data(),
)
def test_runs_cut_anywhere_do_not_change_the_parsed_master(pieces: list[str], data: st.DataObject) -> None:
    text = "".join(pieces) + " end."
    cuts = sorted(data.draw(st.sets(st.integers(1, len(text) - 1), max_size=8)))
    split = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    try:
        whole = prepare_master(docx(p(r(text))), limits=LIMITS, name="x")
    except Exception as exc:  # malformed markup: refused the same way however it is cut
        with pytest.raises(type(exc)):
            prepare_master(docx(p(*[r(s, bold=i % 2 == 1) for i, s in enumerate(split)])), limits=LIMITS, name="x")
        return
    cut = prepare_master(docx(p(*[r(s, bold=i % 2 == 1) for i, s in enumerate(split)])), limits=LIMITS, name="x")
    assert cut.document == whole.document
    assert text_of(cut.docx) == whole.document.text
