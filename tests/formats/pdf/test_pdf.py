"""PDF leaks: the text layer read as the master reads, scans OCR'd, hostile files refused.

PDFs are made by LibreOffice from real text; read with the real poppler and Tesseract.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from barium.errors import InputError, InputTooLarge
from barium.formats.leak import read_leak_file
from barium.formats.pdf import pdf_evidence, pdf_text
from barium.limits import Limits
from tests.formats.pages import bbc, needs_tools, render, to_pdf, word_accuracy

pytestmark = [pytest.mark.slow, needs_tools]
LIMITS = Limits()
ARTICLE = bbc("business", 1)
SECOND = bbc("politics", 5)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf")
    (out / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (out / "two.txt").write_text(ARTICLE + "\f" + SECOND, encoding="utf-8")
    to_pdf(out / "article.txt", out)
    to_pdf(out / "two.txt", out)
    return out


def test_the_text_layer_reads_exactly_as_the_master_text(made: Path) -> None:
    # Paragraphs separated by a blank line, lines of a paragraph joined by a space.
    assert pdf_text((made / "article.pdf").read_bytes(), limits=LIMITS, name="a.pdf") == ARTICLE.strip()


def test_pages_follow_one_another_with_their_word_boxes(made: Path) -> None:
    page = pdf_evidence((made / "two.pdf").read_bytes(), limits=LIMITS, name="two.pdf")
    assert word_accuracy(ARTICLE + SECOND, page.text) == 1.0
    assert {w.page for w in page.words} == {0, 1} and all(w.confidence == 1.0 for w in page.words)
    first = page.words[0]
    assert page.text.startswith(first.text) and 0 < first.left < 595 and 0 < first.top < 842


def test_a_scan_saved_as_pdf_is_ocrd(made: Path) -> None:
    picture = render(made / "article.pdf", 200)
    buf = io.BytesIO()
    picture.save(buf, "PDF", resolution=200)  # an image and nothing else: no text layer
    assert word_accuracy(ARTICLE, pdf_text(buf.getvalue(), limits=LIMITS, name="scan.pdf")) >= 0.98


def test_a_pdf_that_needs_a_password_is_refused_clearly(made: Path) -> None:
    options = '{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"s3"}}'
    (made / "locked").mkdir()
    locked = to_pdf(made / "article.txt", made / "locked", options=options)
    with pytest.raises(InputError, match=r"locked\.pdf: an encrypted PDF that opens only with a password"):
        pdf_text(locked.read_bytes(), limits=LIMITS, name="locked.pdf")


def test_a_pdf_restricted_by_permissions_only_is_read(made: Path) -> None:
    # Encrypted so that viewers refuse copying, yet opened by anyone: a typical leak.
    options = (
        '{"RestrictPermissions":{"type":"boolean","value":"true"},'
        '"PermissionPassword":{"type":"string","value":"owner"},'
        '"EnableCopyingOfContent":{"type":"boolean","value":"false"}}'
    )
    (made / "perm").mkdir()
    restricted = to_pdf(made / "article.txt", made / "perm", options=options)
    assert b"/Encrypt" in restricted.read_bytes()
    assert pdf_text(restricted.read_bytes(), limits=LIMITS, name="r.pdf") == ARTICLE.strip()


def test_a_truncated_pdf_is_a_clear_error(made: Path) -> None:
    data = (made / "two.pdf").read_bytes()
    with pytest.raises(InputError, match=r"cut\.pdf: "):
        pdf_text(data[: len(data) // 3], limits=LIMITS, name="cut.pdf")


def test_bytes_that_only_start_like_a_pdf_are_a_clear_error() -> None:
    with pytest.raises(InputError, match=r"fake\.pdf: a damaged or unreadable PDF"):
        pdf_text(b"%PDF-1.7\nthese are words, not a PDF\n", limits=LIMITS, name="fake.pdf")


def test_pages_over_the_cap_are_refused_before_any_is_read(made: Path) -> None:
    with pytest.raises(InputTooLarge, match=r"two\.pdf: a PDF of 2 pages, over the 1-page limit \(pdf_pages\)"):
        pdf_text((made / "two.pdf").read_bytes(), limits=Limits(pdf_pages=1), name="two.pdf")


def test_pages_to_ocr_over_the_cap_are_refused_before_any_is_rendered(made: Path) -> None:
    picture = render(made / "article.pdf", 50)
    buf = io.BytesIO()
    picture.save(buf, "PDF", save_all=True, append_images=[picture, picture], resolution=50)
    with pytest.raises(InputTooLarge, match="image_frames"):
        pdf_text(buf.getvalue(), limits=Limits(image_frames=2), name="scans.pdf")


def test_a_pdf_is_known_by_its_bytes_whatever_its_name(made: Path, tmp_path: Path) -> None:
    named = tmp_path / "notes.txt"
    named.write_bytes((made / "article.pdf").read_bytes())
    assert read_leak_file(named, limits=LIMITS) == ARTICLE.strip()
    text = tmp_path / "leak.pdf"
    text.write_text("Only words, named like a PDF.\n", encoding="utf-8")
    assert read_leak_file(text, limits=LIMITS) == "Only words, named like a PDF.\n"
