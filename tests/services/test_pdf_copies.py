"""PDF copies of text and Markdown masters: typeset, deterministic, traceable from their text layer."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from barium.errors import UnsupportedFormat
from barium.services import Barium
from barium.text import strip_invisible
from tests.conftest import add_people

ARTICLE = Path("/work/shared/corpus/bbc-news/business/010.txt")


def text_layer(path: Path) -> str:
    """What a reader's copy-and-paste out of the PDF gives (poppler, as Debian ships it)."""
    args = ["pdftotext", "-enc", "UTF-8", str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pdf_info(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def article(memo: Path) -> str:
    # The BBC corpus when the shared folder is there, else the project's own memo.
    return ARTICLE.read_text() if ARTICLE.is_file() else memo.read_text()


def test_pdf_copies_are_distinct_repeatable_and_trace_from_their_text(
    barium: Barium, article: str, tmp_path: Path
) -> None:
    doc = barium.documents.add(article, title="Tobacco ruling")
    add_people(barium, 20)
    out = tmp_path / "pdf"
    report = barium.issuing.issue(doc.id, all_recipients=True, out=out, output="pdf")
    files = sorted(out.glob("*.pdf"))
    assert len(files) == 20 and len({f.read_bytes() for f in files}) == 20
    info = pdf_info(files[0])
    assert "CreationDate" not in info and "Author" not in info and "Pages:" in info
    # The same copy issued again is the same file, and the record agrees.
    again = barium.issuing.issue(doc.id, to=["Person 006"], out=tmp_path / "again", output="pdf").copies[0]
    mine = next(c for c in report.copies if c.recipient.name == "Person 006")
    assert again.sha256 == mine.sha256 and again.data == mine.data
    assert mine.file is not None
    result = barium.tracing.trace(out / mine.file)  # the leaked PDF itself, read by formats.pdf
    assert [a.recipient for a in result.accused] == ["Person 006"]
    # Invisible marks survive in the text layer: more positions than the visible ones alone.
    assert result.channels.get("invisible", 0) > 0


def test_one_recipient_may_get_a_version_as_text_and_as_pdf(barium: Barium, article: str, tmp_path: Path) -> None:
    doc = barium.documents.add(article, title="Tobacco ruling")
    add_people(barium, 3)
    text = barium.issuing.issue(doc.id, to=["Person 001"], out=tmp_path / "t").copies[0]
    pdf = barium.issuing.issue(doc.id, to=["Person 001"], out=tmp_path / "p", output="pdf").copies[0]
    assert pdf.data.startswith(b"%PDF-") and pdf.text == text.text
    actions = [e.action for e in barium.audit.entries(action="copy.")]
    assert actions == ["copy.issue", "copy.reissue"]


def test_markdown_headings_are_typeset_as_headings_and_other_syntax_shown(barium: Barium, tmp_path: Path) -> None:
    master = "# Operation plan\n\nThe team will meet at the harbour at dawn, as agreed.\n\n## Routes\n\nRoute 1 is *closed*.\n"
    doc = barium.documents.add(master, title="Plan", fmt="markdown")
    add_people(barium, 2)
    copy = barium.issuing.issue(doc.id, to=["Person 000"], out=tmp_path, output="pdf").copies[0]
    assert copy.file is not None
    shown = strip_invisible(text_layer(tmp_path / copy.file))
    assert "Operation plan" in shown and "# Operation" not in shown and "*closed*" in shown


def test_a_format_the_master_cannot_be_written_in_is_refused(barium: Barium, article: str, tmp_path: Path) -> None:
    doc = barium.documents.add(article, title="Tobacco ruling")
    add_people(barium, 2)
    with pytest.raises(UnsupportedFormat, match="not docx"):
        barium.issuing.issue(doc.id, all_recipients=True, out=tmp_path, output="docx")
    assert barium.issuing.issued(doc.id) == []


def test_pdf_copies_of_a_word_master_are_laid_out_by_libreoffice_and_trace(
    barium: Barium, memo: Path, tmp_path: Path
) -> None:
    from importlib import resources

    sample = Path(str(resources.files("barium.demo").joinpath("samples", "board-memo.docx")))
    doc = barium.documents.add(sample, title="Board memo")
    add_people(barium, 6)
    out = tmp_path / "pdf"
    report = barium.issuing.issue(doc.id, all_recipients=True, out=out, output="pdf")
    files = sorted(out.glob("*.pdf"))
    assert len(files) == 6 and len({f.read_bytes() for f in files}) == 6
    info = pdf_info(files[0])
    assert "Producer:        LibreOffice" in info and "2000" in info  # the fixed conversion moment
    # Converted again later, the same copy is the same file (no moment, no random id).
    mine = report.copies[2]
    again = barium.issuing.issue(doc.id, to=[mine.recipient.name], out=tmp_path / "again", output="pdf").copies[0]
    assert again.data == mine.data
    assert mine.file is not None
    result = barium.tracing.trace(out / mine.file)
    assert [a.recipient for a in result.accused] == [mine.recipient.name]


def test_a_pdf_of_an_issued_text_copy_keeps_the_record_true(barium: Barium, memo: Path, tmp_path: Path) -> None:
    """The record's file and sha256 stay the first copy's; the PDF's are in the log and the manifest."""
    add_people(barium, 2)
    doc = barium.documents.add(memo, title="Release")
    first = barium.issuing.issue(doc.id, all_recipients=True, out=tmp_path / "text").copies
    pdf = barium.issuing.issue(doc.id, all_recipients=True, out=tmp_path / "pdf", output="pdf").copies
    records = {r.recipient: r for r in barium.issuing.issued(doc.id)}
    for text_copy, pdf_copy in zip(first, pdf, strict=True):
        record = records[text_copy.recipient.name]
        assert (record.file, record.sha256) == (text_copy.file, text_copy.sha256)
        assert pdf_copy.sha256 != text_copy.sha256
    logged = {(e.details["file"], e.details["sha256"]) for e in barium.audit.entries(action="copy.reissue")}
    assert logged == {(c.file, c.sha256) for c in pdf}
