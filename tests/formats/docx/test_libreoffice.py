"""A rendered copy is a Word file another office suite opens, prints and saves again.

Runs LibreOffice (``soffice``) headless; skipped only where it is not installed.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barium.formats.docx import docx_text, prepare_master, render_docx
from barium.limits import Limits
from tests.formats.docx.build import docx, field, p, r, table, text_box
from tests.formats.docx.test_render import documents, edits, extracted
from tests.formats.pages import SOFFICE, convert

LIMITS = Limits()

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
]


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    master = prepare_master(
        docx(
            p("The {{off", r("icers|staff}}", bold=True), " met on ", r("Tues", bold=True), "day.")
            + p("Anchor ", text_box(p("In the box.")), " text.")
            + table([p("cell one"), p("cell two")])
            + p("Page ", field("PAGE", "1"), " of the \u201cplan\u201d.")
            + p("See the note.", '<w:r><w:footnoteReference w:id="1"/></w:r>'),
            headers=(p("Restricted"),),
            footers=(p("Footer text"),),
            footnotes=(p("<w:r><w:footnoteRef/></w:r>", " A note."),),
        ),
        limits=LIMITS,
        name="plan.docx",
    )
    text = master.document.text
    at = text.index("officers")
    gap = text.index(" of the")
    marked = render_docx(master.docx, [(at, at + 8, "staff"), (at + 8, at + 8, "\u200b"), (gap, gap + 1, "\u00a0")])
    path = tmp_path_factory.mktemp("lo") / "copy.docx"
    path.write_bytes(marked)
    return path


def test_libreoffice_prints_a_rendered_copy_to_pdf(copy: Path, tmp_path: Path) -> None:
    pdf = convert(copy, "pdf", tmp_path / "out", tmp_path / "profile")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000


def test_a_copy_saved_again_by_libreoffice_has_the_same_paragraphs_and_keeps_its_marks(
    copy: Path, tmp_path: Path
) -> None:
    resaved = convert(copy, "docx:MS Word 2007 XML", tmp_path / "out", tmp_path / "profile")
    ours = docx_text(copy.read_bytes(), limits=LIMITS, name="copy.docx").split("\n\n")
    theirs = docx_text(resaved.read_bytes(), limits=LIMITS, name="resaved.docx").split("\n\n")
    assert len(theirs) == len(ours)
    assert theirs == ours  # invisible characters and the no-break space included
    assert "The staff\u200b met on Tuesday." in theirs


def test_libreoffice_reads_the_same_body_paragraphs_as_text(copy: Path, tmp_path: Path) -> None:
    txt = convert(copy, "txt:Text (encoded):UTF8", tmp_path / "out", tmp_path / "profile")
    lines = [line for line in txt.read_text("utf-8-sig").splitlines() if line.strip()]
    # LibreOffice's text export holds the body only, without text boxes, headers or notes,
    # and shows the page field as it computes it.
    assert len(lines) == 6
    assert lines[:4] == ["The staff\u200b met on Tuesday.", "Anchor  text.", "cell one", "cell two"]
    assert lines[4].startswith("Page ") and lines[4].endswith("\u00a0of the \u201cplan\u201d.")
    assert lines[5].startswith("See the note.")


def test_a_master_written_by_libreoffice_is_prepared_marked_and_read_back(tmp_path: Path) -> None:
    # LibreOffice's own XML (its styles, run properties, alternate content), not ours.
    source = tmp_path / "draft.docx"
    source.write_bytes(
        docx(
            p("The {{officers|staff}} met on ", r("Tuesday", bold=True), " at the {{harbour|port}}.")
            + table([p("A {{cell|box}} here.")]),
            headers=(p("Restricted"),),
        )
    )
    written = convert(source, "docx:MS Word 2007 XML", tmp_path / "lo", tmp_path / "profile")
    master = prepare_master(written.read_bytes(), limits=LIMITS, name="draft.docx")
    assert [v.forms for v in master.document.variants] == [("officers", "staff"), ("harbour", "port"), ("cell", "box")]
    edits = [(v.start, v.end, v.forms[1]) for v in master.document.variants]
    copy = tmp_path / "copy.docx"
    copy.write_bytes(render_docx(master.docx, edits))
    expected = "The staff met on Tuesday at the port.\n\nA box here.\n\nRestricted"
    assert docx_text(copy.read_bytes(), limits=LIMITS, name="copy.docx") == expected
    resaved = convert(copy, "docx:MS Word 2007 XML", tmp_path / "again", tmp_path / "profile")
    assert docx_text(resaved.read_bytes(), limits=LIMITS, name="resaved.docx") == expected


def structure(data: bytes) -> dict[str, int]:
    """What a Word file is made of, as LibreOffice wrote it: paragraphs, tables, drawings
    (text boxes), headers and footers."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("word/document.xml").decode("utf-8")
        parts = z.namelist()
    return {
        "paragraphs": len(re.findall(r"<w:p[ >]", body)),
        "tables": len(re.findall(r"<w:tbl>", body)),
        "drawings": len(re.findall(r"<w:drawing>", body)),
        "headers": sum(1 for n in parts if re.fullmatch(r"word/header\d*\.xml", n)),
        "footers": sum(1 for n in parts if re.fullmatch(r"word/footer\d*\.xml", n)),
    }


@settings(max_examples=6, deadline=None)
@given(st.data())
def test_random_copies_open_in_libreoffice_with_the_masters_structure(data: st.DataObject) -> None:
    # Random documents and random edits (tests/formats/docx/test_render.py's strategies):
    # LibreOffice opens the copy, saves it, and what it saved has the master's structure.
    master = data.draw(documents())
    copy = render_docx(master, data.draw(edits(extracted(master))))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "master.docx").write_bytes(master)
        (folder / "copy.docx").write_bytes(copy)
        saved = {
            name: convert(folder / f"{name}.docx", "docx:MS Word 2007 XML", folder / name, folder / "profile")
            for name in ("master", "copy")
        }
        assert structure(saved["copy"].read_bytes()) == structure(saved["master"].read_bytes())
        pdf = convert(folder / "copy.docx", "pdf", folder / "pdf", folder / "profile")
        assert pdf.read_bytes().startswith(b"%PDF")
