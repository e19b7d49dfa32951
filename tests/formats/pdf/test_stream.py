"""Editing a LibreOffice PDF's content streams: words found, moved by exactly what was
asked and nothing else, invisible characters printed at zero width. Real LibreOffice,
real poppler, BBC text."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from barium.channels.invisible import FORMS
from barium.errors import InputError
from barium.formats.office import docx_to_pdf
from barium.formats.pdf.stream import StreamWord, shift_words, stream_words
from barium.limits import Limits
from barium.text.invisible import strip_invisible
from tests.formats.docx.build import docx, p, r, table
from tests.formats.pages import bbc, bbox_words, needs_tools

pytestmark = needs_tools
LIMITS = Limits()


def justified(*runs: str) -> str:
    return (
        '<w:p><w:pPr><w:jc w:val="both"/></w:pPr>' + "".join(x if x.startswith("<") else r(x) for x in runs) + "</w:p>"
    )


def paragraphs() -> list[str]:
    return [x.strip() for x in bbc("politics", 12).split("\n\n") if x.strip()]


@pytest.fixture(scope="module")
def master() -> bytes:
    """A Word file LibreOffice prints on two pages: justified and ragged paragraphs, a
    bold run inside a line (a font change), a table and a header."""
    paras = paragraphs()
    body = [p(r(paras[0], bold=True))]
    body += [justified(x) for x in paras[1:4]]
    words = paras[4].split()
    body.append(p(r(" ".join(words[:6]) + " "), r(" ".join(words[6:9]), bold=True), r(" " + " ".join(words[9:]))))
    body += [p(x) for x in paras[5:]]
    body.append(table([p("Operation"), p("Harbour Light")], [p("Cities affected"), p("six of them")]))
    return docx_to_pdf([docx("".join(body), headers=(p("Restricted: board members only"),))], limits=LIMITS)[0]


def boxes(pdf: bytes, tmp: Path) -> list[tuple[str, float, float]]:
    """(word, left, top) of every word poppler reads, invisible characters left out."""
    path = tmp / "b.pdf"
    path.write_bytes(pdf)
    return bbox_words(path)


def text_of(pdf: bytes, tmp: Path) -> str:
    path = tmp / "t.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True).stdout


def interior(words: list[StreamWord]) -> list[int]:
    """Indices of words that stand between two words of their own line."""
    return [
        k
        for k in range(1, len(words) - 1)
        if words[k - 1].glyphs[0] == words[k].glyphs[0] == words[k + 1].glyphs[0]
        and words[k - 1].y == words[k].y == words[k + 1].y
    ]


def test_stream_words_are_the_words_the_text_layer_reads(master: bytes, tmp_path: Path) -> None:
    seen = [w.text for w in stream_words(master)]
    assert [b[0] for b in boxes(master, tmp_path)] == seen
    assert len(seen) > 300


def test_a_word_moves_by_exactly_what_was_asked_and_nothing_else_does(master: bytes, tmp_path: Path) -> None:
    words = stream_words(master)
    inside = interior(words)
    # Every third, and those that end their operator (a bold run starts another mid-line).
    ends = [k for k in inside if words[k].glyphs[1] != words[k + 1].glyphs[1]]
    chosen = sorted(set(inside[::3]) | set(ends))
    assert ends
    moves = {words[k]: (0.3 if i % 2 else -0.35) for i, k in enumerate(chosen)}
    before, after = boxes(master, tmp_path), boxes(shift_words(master, moves), tmp_path)
    assert [b[0] for b in after] == [b[0] for b in before]
    wanted = {k: moves[words[k]] for k in chosen}
    for k, (a, b) in enumerate(zip(before, after, strict=True)):
        assert abs(b[1] - a[1] - wanted.get(k, 0.0)) < 0.006, (k, a, b)
        assert b[2] == a[2]


def test_invisible_marks_are_read_where_they_were_put_and_take_no_room(master: bytes, tmp_path: Path) -> None:
    words = stream_words(master)
    chosen = interior(words)[::2][: len(FORMS) * 3]
    marks = {words[k]: FORMS[1 + i % (len(FORMS) - 1)] for i, k in enumerate(chosen)}
    marked = shift_words(master, {}, marks)
    assert boxes(marked, tmp_path) == boxes(master, tmp_path)
    text = text_of(marked, tmp_path)
    for k in chosen:
        # poppler reads the word, its mark, then the space: nothing joins two words
        assert f"{words[k].text}{marks[words[k]]} {words[k + 1].text}" in text, words[k].text
    assert strip_invisible(text).split() == text_of(master, tmp_path).split()


def test_libreoffices_own_invisible_characters_are_made_to_take_no_room(tmp_path: Path) -> None:
    # LibreOffice draws a zero-width joiner as a space glyph over the next space, and names
    # that glyph after it: its text layer then reads "ex-model\u200dwife" as one word.
    words = paragraphs()[1].split()
    joined = " ".join(w + ("\u200d" if i % 3 == 0 else "\u200c" if i % 3 == 1 else "") for i, w in enumerate(words))
    pdf = docx_to_pdf([docx(p(joined))], limits=LIMITS)[0]
    assert strip_invisible(text_of(shift_words(pdf, {}), tmp_path)).split() == words


def test_the_same_edits_give_the_same_bytes(master: bytes) -> None:
    words = stream_words(master)
    moves = {words[k]: 0.3 for k in interior(words)[:20]}
    assert shift_words(master, moves) == shift_words(master, moves)
    assert shift_words(master, moves) != shift_words(master, {})


def test_a_damaged_pdf_is_refused_with_a_clear_error(master: bytes) -> None:
    with pytest.raises(InputError, match="cannot read"):
        stream_words(master[: len(master) // 3] + b"garbage")


def test_a_line_moves_down_or_up_by_exactly_what_was_asked_and_nothing_else_does(master: bytes, tmp_path: Path) -> None:
    words = stream_words(master)
    heights = sorted({(w.glyphs[0], w.y) for w in words})
    # every fourth line down, every fourth up; the bold run's line among them
    lines = {h: (0.35 if i % 8 == 0 else -0.3) for i, h in enumerate(heights) if i % 4 == 0}
    before, after = boxes(master, tmp_path), boxes(shift_words(master, {}, lines=lines), tmp_path)
    assert [b[0] for b in after] == [b[0] for b in before]
    for w, a, b in zip(words, before, after, strict=True):
        assert abs(b[2] - a[2] - lines.get((w.glyphs[0], w.y), 0.0)) < 0.006, (w, a, b)
        assert b[1] == a[1]


def handmade(content: bytes) -> bytes:
    """A one-page PDF in Helvetica whose content stream is ``content``."""
    import io

    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    )
    page = pikepdf.Page(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, 612, 792],
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
            Contents=pdf.make_stream(content),
        )
    )
    pdf.pages.append(page)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        b"BT /F1 12 Tf 72 700 Td (alpha one) Tj 0 -14 Td (beta two) Tj 0 -14 Td (gamma three) Tj ET",
        b"BT /F1 12 Tf 1 0 0 1 72 700 Tm (alpha one) Tj 1 0 0 1 72 686 Tm (beta two) Tj 0 -14 Td (gamma three) Tj ET",
        b"BT /F1 12 Tf 1 0 0 1 72 686 Tm 0 14 Td (alpha one) Tj 0 -14 Td (beta two) Tj 0 -14 Td (gamma three) Tj ET",
    ],
)
def test_a_line_placed_relative_to_others_moves_alone(content: bytes, tmp_path: Path) -> None:
    # Several placing operators in one text object: the line after a moved one gives the move back.
    pdf = handmade(content)
    before, after = boxes(pdf, tmp_path), boxes(shift_words(pdf, {}, lines={(0, 686.0): 0.25}), tmp_path)
    assert [b[0] for b in after] == [b[0] for b in before] == ["alpha", "one", "beta", "two", "gamma", "three"]
    assert [round(b[2] - a[2], 3) for a, b in zip(before, after, strict=True)] == [0, 0, 0.25, 0.25, 0, 0]
