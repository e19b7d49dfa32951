"""Word shifts in the PDF copies of Word masters: found in LibreOffice's PDF of the
master, put into each copy's PDF, read back by poppler and Tesseract, traced through
the services. Real BBC text, real LibreOffice, no mocks."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from barium.channels import channel_map
from barium.errors import InputError
from barium.formats.layout import lay_out_word, layout_from_json
from barium.formats.leak import read_leak_evidence
from barium.formats.master import load_master
from barium.limits import Limits
from barium.marking import find_sites
from barium.services import Barium
from barium.services.prepare import prepare
from barium.store import DocumentVersion, Recipient
from barium.text import tokenize
from barium.text.invisible import CLASS, strip_invisible
from barium.tracing import align_and_read
from tests.conftest import add_people
from tests.formats.docx.build import docx, p, r, table
from tests.formats.layout.issued import Issued, issue_pdfs
from tests.formats.pages import bbc, bbox_words, needs_tools, render, scan, to_pdf

pytestmark = needs_tools
LIMITS = Limits()
TEXT_CHANNELS = ["variants", "orthography", "punctuation", "typography", "invisible"]


HEADER = "Restricted: board members and named advisers only"


def briefing(folder: Path) -> Path:
    """A Word master of three BBC articles, about 1,300 words on three pages: bold
    titles, justified and ragged paragraphs, a table and a running header."""
    body = []
    for k, n in enumerate((11, 12, 13)):
        title, *paras = [x.strip() for x in bbc("politics", n).split("\n\n") if x.strip()]
        body.append(p(r(title, bold=True)))
        for i, para in enumerate(paras):
            if i % 2:
                body.append(p(para))
            else:
                body.append('<w:p><w:pPr><w:jc w:val="both"/></w:pPr>' + r(para) + "</w:p>")
        if k == 0:
            body.append(table([p("Article"), p("Length")], [p(title), p(f"{len(' '.join(paras).split())} words")]))
    path = folder / "briefing.docx"
    path.write_bytes(docx("".join(body), headers=(p(HEADER),)))
    return path


def test_sites_stand_between_their_neighbours_on_the_masters_lines(tmp_path: Path) -> None:
    master = load_master(briefing(tmp_path), limits=LIMITS)
    channels = channel_map()
    text_sites = find_sites(master.parsed, [channels[n] for n in TEXT_CHANNELS])
    assert master.file is not None
    laid = lay_out_word(master.file, master.text, text_sites, limits=LIMITS)
    assert laid is not None
    layout, kept = laid
    assert kept == list(text_sites)  # no line is fixed, so no text site is cut
    words = [s for s in layout.sites if s.rule == "word-shift"]
    lines = [s for s in layout.sites if s.rule == "line-shift"]
    assert layout.breaks == () and len(words) > 150 and len(lines) > 10
    for site in lines:
        assert site.start == site.end and site.forms == ("", "", "") and site.locator is not None
        assert site.locator.kind == "pdf-line"
    visible = [(s.start, s.end) for s in text_sites if s.channel != "invisible"]
    for site in words:
        word = master.text[site.start : site.end]
        assert site.forms == (word,) * 3 and len(word) >= 2
        assert site.locator is not None
        first, last, count = site.locator.address[2:5]
        assert first < site.start < site.end < last and count >= 3
        assert not any(a < site.end and b > site.start for a, b in visible)


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Issued]:
    root = tmp_path_factory.mktemp("word-layout")
    issued = issue_pdfs(root, briefing(root), title="Briefing", people=8)
    assert layout_from_json(issued.layout) == ()
    yield issued
    issued.b.close()


def readings(issued: Issued, leak: Path) -> dict[int, int]:
    evidence = read_leak_evidence(leak, limits=LIMITS)
    return align_and_read(issued.version, evidence, tokenize(evidence.text), channel_map(), min_passage=8).readings


def count(issued: Issued, channel: str) -> int:
    return sum(1 for s in issued.version.plan.sites if s.channel == channel)


def test_every_mark_of_the_pdf_file_reads_back_as_issued(issued: Issued) -> None:
    name = "Person 004"
    read = readings(issued, issued.copies[name])
    wrong = {s: f for s, f in read.items() if issued.truth[name][s] != f}
    assert wrong == {}
    sites = issued.version.plan.sites
    by = {c: sum(1 for s in read if sites[s].channel == c) for c in ("layout", "invisible")}
    # A word shift reads wherever its word still stands between its neighbours, on
    # whatever line the copy's text marks broke the paragraph.
    assert by["layout"] >= 0.85 * count(issued, "layout")
    assert by["invisible"] >= 0.95 * count(issued, "invisible")
    # A line shift only where the three lines are the master's: some of them.
    assert sum(1 for s in read if sites[s].rule == "line-shift") >= 3


def test_the_text_layer_reads_the_copys_words_none_joined(issued: Issued) -> None:
    name = "Person 002"
    layer = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(issued.copies[name]), "-"], capture_output=True, text=True, check=True
    ).stdout
    # LibreOffice alone lays each invisible mark over the space after it: "Howard\u200cgets".
    assert not re.search(f"[{CLASS}][^\\s{CLASS}]", layer)
    header = len(HEADER.split())  # the running header comes first
    assert strip_invisible(layer).split()[header : header + 40] == strip_invisible(issued.texts[name]).split()[:40]
    # and the marks are there, after their words
    assert sum(1 for ch in layer if ch != strip_invisible(ch)) >= 0.95 * count(issued, "invisible")


def test_a_copy_set_anew_in_another_font_reads_no_shifts(issued: Issued, tmp_path: Path) -> None:
    # The copy's text layer printed by LibreOffice as plain text: other lines and other
    # widths, so nothing to read (reading there would be noise, not evidence).
    name = "Person 003"
    text = tmp_path / "copy.txt"
    text.write_text(
        subprocess.run(["pdftotext", str(issued.copies[name]), "-"], capture_output=True, text=True, check=True).stdout
    )
    read = readings(issued, to_pdf(text, tmp_path))
    assert not [s for s in read if issued.version.plan.sites[s].channel == "layout"]


@pytest.mark.slow
def test_a_scanned_page_names_its_recipient_through_the_shifts(issued: Issued, tmp_path: Path) -> None:
    name = "Person 006"
    leak = tmp_path / "scan.jpg"
    leak.write_bytes(scan(render(issued.copies[name], 200)))
    read = readings(issued, leak)
    layout = {s: f for s, f in read.items() if issued.version.plan.sites[s].channel == "layout"}
    wrong = sum(1 for s, f in layout.items() if issued.truth[name][s] != f)
    assert len(layout) >= 30 and wrong <= 0.05 * len(layout)
    result = issued.b.tracing.trace(leak)
    assert [a.recipient for a in result.accused] == [name]


def test_a_stamp_heads_every_page_of_a_word_copy_and_moves_no_word(issued: Issued, tmp_path: Path) -> None:
    name = "Person 005"
    report = issued.b.issuing.issue(
        "Briefing", to=[name], out=tmp_path / "s", output="pdf", stamp="Copy {n} for {name}"
    )
    stamped, plain = bbox_words(tmp_path / "s" / str(report.copies[0].file)), bbox_words(issued.copies[name])
    number = str(report.copies[0].recipient.id)
    stamp = ["Copy", number, "for", "Person", "005"]
    heads = [i for i in range(len(stamped)) if [w[0] for w in stamped[i : i + 5]] == stamp]
    info = subprocess.run(["pdfinfo", str(issued.copies[name])], capture_output=True, text=True, check=True).stdout
    assert len(heads) == int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 2  # type: ignore[union-attr]
    assert all(stamped[i][2] < 20 for i in heads)  # in the top margin
    kept = [w for k, w in enumerate(stamped) if not any(i <= k < i + 5 for i in heads)]
    assert kept == plain  # no word of the copy moved
    assert [a.recipient for a in issued.b.tracing.trace(tmp_path / "s" / str(report.copies[0].file)).accused] == [name]


def test_a_stamp_a_word_copy_cannot_show_is_refused_before_any_copy(issued: Issued, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Helvetica"):
        issued.b.issuing.issue(
            "Briefing", to=["Person 005"], out=tmp_path / "r", output="pdf", stamp="Kopie {n} \u0141"
        )
    assert not (tmp_path / "r").exists()


def test_a_masters_own_zero_width_characters_do_not_confuse_its_pdf_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Gaps where the master itself has zero-width characters (a form of the invisible
    # channel): LibreOffice would drop U+200B there, so they are printed by Barium too.
    # The words setting: the master's own marks sit between words, which are gaps only there.
    monkeypatch.setenv("BARIUM_INVISIBLE_GAPS", "words")
    paras = [x.strip() for x in bbc("politics", 12).split("\n\n") if x.strip()]
    words = paras[1].split()
    text = " ".join(w + ("\u200d\u200b" if i % 4 == 1 else "") for i, w in enumerate(words))
    source = tmp_path / "zw.docx"
    source.write_bytes(docx(p(paras[2]) + p(text) + p(paras[3])))  # the marked one inside
    b = Barium.init(tmp_path / "ws")
    try:
        doc = b.documents.add(source, title="Gaps")
        add_people(b, 3)
        report = b.issuing.issue(doc.id, all_recipients=True, out=tmp_path / "c", output="pdf")
        with b.ctx.read() as session:
            version = prepare(session.query(DocumentVersion).one(), b.ctx.ws.key)
            uids = {r.name: r.uid for r in session.query(Recipient)}
        copy = report.copies[1]
        truth = version.plan.forms_for(version.code.codeword(uids[copy.recipient.name]))
        evidence = read_leak_evidence(tmp_path / "c" / str(copy.file), limits=LIMITS)
        read = align_and_read(version, evidence, tokenize(evidence.text), channel_map(), min_passage=8).readings
        sites = version.plan.sites
        gaps = [s for s, site in enumerate(sites) if site.channel == "invisible"]
        own = [s for s in gaps if sites[s].forms[sites[s].master_form]]
        assert own and all(s in read for s in own)
        assert {s: f for s, f in read.items() if truth[s] != f} == {}
        assert sum(1 for s in gaps if s in read) >= 0.8 * len(gaps)  # a short text: its ends unread
    finally:
        b.close()
