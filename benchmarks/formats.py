"""Tracing from the forms a copy comes back in: PDF and Word files, scans, photos, screenshots.

    .venv/bin/python benchmarks/formats.py            # writes benchmarks/results/formats.md
    .venv/bin/python benchmarks/formats.py --quick    # fewer trials and recipients, a smoke check

Documents of about 1,500 words (consecutive BBC News articles of one topic, house style only,
no author variants) are registered twice: as Markdown (each article's title a heading), whose
PDF copies typst sets on the version's fixed lines with word shifts (the layout channel), and
as a Word file made by LibreOffice from the same text (headings, and a table of the articles
and their lengths), whose copies are Word files and, printed by LibreOffice, PDFs whose words
and lines are then moved in the file (formats.layout.word). Each trial takes one recipient's
copy and turns it into what a newsroom might publish, then traces it with `barium trace`:

- print and scan, simulated: the first page rasterised at 150, 200 or 300 dpi, rotated up to
  +-2 degrees, blurred, with noise, saved as JPEG quality 60; a full page, half, a quarter;
- phone photo, simulated: perspective, a tilt, uneven illumination, lens blur, about 150 dpi;
- screenshot: the page at 96 or 144 dpi, cropped to a window (PNG);
- the PDF file itself (its text layer); the Word file itself; the Word copy printed to PDF,
  as a file, scanned (full and half page) and photographed.

Per setting: the share of trials that identify the copy's holder at eps = 1e-6, innocents
accused, code positions read, sites read per channel, and OCR word accuracy (the share of the
copy's words on that page found, in order, in what was read). Then how different a copy looks
from the master: SSIM of pages rendered at 150 dpi and the largest move of a word, in points,
with baselines measured alongside (the master rendered again; the master moved one pixel), for
the typst copies and for the Word copies' PDFs.
"""

from __future__ import annotations

import argparse
import difflib
import html
import io
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from PIL import Image
from sqlalchemy import select

from barium.channels import LayoutChannel
from barium.channels.layout import LINE_ENDS, LINE_RULE, WORD_RULE
from barium.formats.image import image_evidence
from barium.formats.layout import layout_from_json, render_layout, shift_copy
from barium.formats.office import docx_to_pdf
from barium.formats.pdf.textlayer import text_layer
from barium.limits import Limits
from barium.services import Barium
from barium.services.prepare import prepare
from barium.simulate.look import ssim
from barium.simulate.pages import crop, photograph, scan, screenshot
from barium.store import DocumentVersion, Recipient
from barium.text import tokenize
from barium.tracing import PreparedVersion
from corpus import long_document_articles

RESULTS = Path(__file__).parent / "results" / "formats.md"


@dataclass
class Outcome:
    trials: int = 0
    identified: int = 0
    innocents: int = 0
    positions: list[int] = field(default_factory=list)
    channels: Counter[str] = field(default_factory=Counter)
    accuracy: list[float] = field(default_factory=list)


def page_image(pdf: Path, page: int, dpi: int) -> Image.Image:
    out = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", str(pdf)],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    return Image.open(io.BytesIO(out)).convert("L")


def accuracy(truth: str, read: str) -> float:
    """Share of the page's words found, in order, in what was read."""
    # Word keys, as the tracer compares words: case, typography and invisible marks aside.
    a, b = [t.key for t in tokenize(truth)], [t.key for t in tokenize(read)]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / max(1, len(a))


def page_words(pdf: Path, page: int) -> str:
    """The words of page ``page`` of the copy, as Barium's PDF reader lays them out (word
    boxes): plain ``pdftotext`` joins a LibreOffice PDF's words where an invisible mark
    stands before the space ("Ad\u200csales"), which halved the word accuracy measured for
    the Word scan before 2026-12-02."""
    return text_layer(pdf, pages=page, limits=Limits(), name=pdf.name)[page - 1].text


def as_markdown(articles: list[str]) -> str:
    """The articles with their titles (first lines) as headings."""
    return "\n\n".join("## " + a.strip() for a in articles) + "\n"


def as_docx(articles: list[str], folder: Path) -> Path:
    """A Word file LibreOffice makes from the articles: titles as headings, paragraphs, and
    a table of the articles and their lengths after the first."""
    body = []
    for k, article in enumerate(articles):
        title, *paras = article.strip().split("\n\n")
        body.append(f"<h2>{html.escape(title)}</h2>")
        body.extend(f"<p>{html.escape(p.strip())}</p>" for p in paras)
        if k == 0:
            rows = "".join(
                f"<tr><td>{html.escape(a.split(chr(10))[0])}</td><td>{len(a.split()):,} words</td></tr>"
                for a in articles
            )
            body.append(f"<table border='1'><tr><th>Article</th><th>Length</th></tr>{rows}</table>")
    source = folder / "source.html"
    source.write_text("<html><body>" + "".join(body) + "</body></html>", encoding="utf-8")
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}",
            "--headless",
            "--infilter=HTML (StarWriter)",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return folder / "source.docx"


def raster(pdf: bytes, dpi: int, folder: Path) -> list[np.ndarray]:
    path = folder / "v.pdf"
    path.write_bytes(pdf)
    for old in folder.glob("v-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(path), str(folder / "v")], check=True, timeout=300)
    return [np.asarray(Image.open(p).convert("L"), dtype=np.float64) for p in sorted(folder.glob("v-*.png"))]


def word_boxes(pdf: bytes, folder: Path) -> list[tuple[float, float]]:
    path = folder / "w.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [(float(x), float(y)) for x, y in re.findall(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)"', out)]


def _version(b: Barium, doc: int, recipients: int) -> tuple[DocumentVersion, PreparedVersion, list[str]]:
    with b.ctx.read() as session:
        v = session.scalars(select(DocumentVersion).where(DocumentVersion.document_id == doc)).one()
        uids = [r.uid for r in session.scalars(select(Recipient).order_by(Recipient.id).limit(recipients))]
        prepared = prepare(v, b.ctx.ws.key)
        _ = (v.source, v.layout, v.format)  # deferred columns, loaded while the session is open
        session.expunge(v)
        return v, prepared, uids


class _Looks:
    """SSIM of pages against the master's, and the largest move of a word, per row."""

    def __init__(self, master: bytes, folder: Path) -> None:
        self.folder = folder
        self.master = raster(master, 150, folder)
        self.words = word_boxes(master, folder)
        self.rows: dict[str, tuple[list[float], float | None]] = {}

    def add(self, label: str, pdf: bytes | None, move: float | None, pages: list[np.ndarray] | None = None) -> None:
        if pages is None:
            assert pdf is not None
            pages = raster(pdf, 150, self.folder)
        scores, worst = self.rows.setdefault(label, ([], None))
        scores.extend(ssim(x, y) for x, y in zip(self.master, pages, strict=False))
        self.rows[label] = (scores, None if move is None else max(worst or 0.0, move))

    def moved(self, pdf: bytes) -> float:
        """The largest move of a word (points, across or down) of a copy whose words are the master's."""
        words = word_boxes(pdf, self.folder)
        assert len(words) == len(self.words)
        return max(max(abs(x - mx), abs(y - my)) for (x, y), (mx, my) in zip(words, self.words, strict=True))

    def table(self, what: str) -> list[str]:
        out = []
        for label, (scores, largest) in self.rows.items():
            shown = "-" if largest is None else f"{largest:.2f}"
            out.append(f"| {what}: {label} | {min(scores):.4f} | {statistics.mean(scores):.4f} | {shown} |")
        return out


def visual_rows(b: Barium, doc: int, recipients: int, folder: Path) -> list[str]:
    """How a typst copy's pages differ from the master's, and, for scale, the master's from itself."""
    v, prepared, uids = _version(b, doc, recipients)
    breaks = layout_from_json(v.layout) or ()
    sites = prepared.plan.sites
    words = [s for s in sites if s.channel == LayoutChannel.name and s.rule == WORD_RULE]
    lines = [s for s in sites if s.channel == LayoutChannel.name and s.rule == LINE_RULE]
    master_pdf = render_layout(
        prepared.master, v.format, breaks, (), {s.start: (s.end, 0.0) for s in words}, {s.start: 0.0 for s in lines}
    )
    looks = _Looks(master_pdf, folder)
    looks.add("the master rendered again", master_pdf, 0.0)
    looks.add("the master moved one pixel (0.48 pt)", None, 72 / 150, [np.roll(p, 1, axis=1) for p in looks.master])
    for uid in uids:
        chosen = prepared.plan.forms_for(prepared.code.codeword(uid))
        form = dict(zip(sites, chosen, strict=True))
        shifts = {s.start: (s.end, LayoutChannel.shift(s, form[s])) for s in words}
        downs = {s.start: LayoutChannel.shift(s, form[s]) for s in lines}
        only = render_layout(prepared.master, v.format, breaks, (), shifts, downs)
        looks.add("a copy with its layout marks only", only, looks.moved(only))
        changes = [(s.start, s.end, s.forms[f]) for s, f in form.items() if s.forms[f] != s.forms[s.master_form]]
        looks.add(
            "a copy as issued (text and layout marks)",
            render_layout(prepared.master, v.format, breaks, changes, shifts, downs),
            None,
        )
    return looks.table("typst")


def word_visual_rows(b: Barium, doc: int, copies: dict[str, bytes], recipients: int, folder: Path) -> list[str]:
    """The same for a Word master's PDF copies (LibreOffice's pages, words and lines moved in them)."""
    v, prepared, uids = _version(b, doc, recipients)
    assert v.source is not None
    printed = docx_to_pdf([v.source], limits=Limits())[0]
    master_pdf = shift_copy(printed, prepared.master, [])  # every page written as a copy's is
    sites = prepared.plan.sites
    looks = _Looks(master_pdf, folder)
    looks.add(
        "the master printed again", shift_copy(docx_to_pdf([v.source], limits=Limits())[0], prepared.master, []), 0.0
    )
    with b.ctx.read() as session:
        names = {r.uid: r.name for r in session.scalars(select(Recipient).order_by(Recipient.id).limit(recipients))}
    for uid in uids:
        chosen = prepared.plan.forms_for(prepared.code.codeword(uid))
        moves, lines = [], []
        for s, f in zip(sites, chosen, strict=True):
            if s.channel == LayoutChannel.name and s.rule == WORD_RULE:
                moves.append((s.start, LayoutChannel.shift(s, f)))
            elif s.channel == LayoutChannel.name and s.locator is not None:
                lines.append((s.start, int(s.locator.address[LINE_ENDS + 4]), LayoutChannel.shift(s, f)))
        only = shift_copy(printed, prepared.master, moves, (), lines)
        looks.add("a copy with its layout marks only", only, looks.moved(only))
        # As issued, its text marks break some paragraphs' lines elsewhere: pages compared as they come.
        looks.add("a copy as issued (text and layout marks)", copies[names[uid]], None)
    return looks.table("Word")


SETTINGS = [
    ("print and scan, 300 dpi, full page", 300, 1.0, "scan"),
    ("print and scan, 200 dpi, full page", 200, 1.0, "scan"),
    ("print and scan, 200 dpi, half page", 200, 0.5, "scan"),
    ("print and scan, 200 dpi, quarter page", 200, 0.25, "scan"),
    ("print and scan, 150 dpi, full page", 150, 1.0, "scan"),
    ("phone photo, about 150 dpi, full page", 200, 1.0, "photo"),
    ("screenshot, 144 dpi, a window of 70% of the page", 144, 1.0, "screen"),
    ("screenshot, 96 dpi, a window of 70% of the page", 96, 1.0, "screen"),
    ("the PDF file itself", 0, 1.0, "pdf"),
    ("Word copy: the .docx file itself", 0, 1.0, "docx"),
    ("Word copy printed to PDF by LibreOffice: the PDF file", 0, 1.0, "docx-pdf"),
    ("Word copy printed by LibreOffice, scanned at 200 dpi, full page", 200, 1.0, "docx-scan"),
    ("Word copy printed by LibreOffice, scanned at 200 dpi, half page", 200, 0.5, "docx-scan"),
    ("Word copy printed by LibreOffice, phone photo, full page", 200, 1.0, "docx-photo"),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--trials", type=int, help="per setting (default 20; 3 with --quick)")
    args = ap.parse_args()
    trials = args.trials or (3 if args.quick else 20)
    recipients = 100 if args.quick else 1000
    rng = random.Random(20261202)
    sources = long_document_articles(1500, 2)
    limits = Limits()
    results = {label: Outcome() for label, *_ in SETTINGS}
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp, Barium.init(Path(tmp) / "ws") as b:
        root = Path(tmp)
        for i in range(recipients):
            b.recipients.add(f"Recipient {i:04d}", email=f"r{i:04d}@example.org")
        pdfs, words, ids = [], [], []  # (folder, copies) of the Markdown masters' PDF copies
        for k, articles in enumerate(sources):
            d = b.documents.add(as_markdown(articles), title=f"Composite {k}", fmt="markdown")
            ids.append(d.id)
            report = b.issuing.issue(d.id, all_recipients=True, out=root / f"d{k}", output="pdf")
            pdfs.append((root / f"d{k}", report.copies))
            words.append(report.words)
        word = b.documents.add(as_docx(sources[0], root), title="Composite 0, Word")
        docx = b.issuing.issue(word.id, all_recipients=True, out=root / "w")
        docx_pdf = b.issuing.issue(word.id, all_recipients=True, out=root / "wp", output="pdf")
        issued = time.monotonic() - started
        for label, dpi, share, kind in SETTINGS:
            outcome = results[label]
            for _ in range(trials):
                if kind.startswith("docx"):
                    k = rng.randrange(len(docx.copies))
                    folder, copy = (root / "w", docx.copies[k]) if kind == "docx" else (root / "wp", docx_pdf.copies[k])
                else:
                    folder, copies = rng.choice(pdfs)
                    copy = rng.choice(copies)
                assert copy.file is not None
                file = folder / copy.file
                leak = root / "leak"
                if kind in ("pdf", "docx", "docx-pdf"):
                    leak.write_bytes(file.read_bytes())
                else:
                    image = crop(page_image(file, 1, dpi), share)
                    picture = kind.removeprefix("docx-")
                    data = (
                        scan(image, rng)
                        if picture == "scan"
                        else photograph(image, rng)
                        if picture == "photo"
                        else screenshot(image)
                    )
                    leak.write_bytes(data)
                    read = image_evidence(data, limits=limits, name="leak").text
                    shown = page_words(file, 1).split()
                    shown_share = 0.7 if kind == "screen" else share
                    truth = " ".join(shown[: int(len(shown) * shown_share)])
                    outcome.accuracy.append(accuracy(truth, read))
                result = b.tracing.trace(leak)
                accused = {a.recipient for a in result.accused}
                outcome.trials += 1
                outcome.identified += copy.recipient.name in accused
                outcome.innocents += len(accused - {copy.recipient.name})
                outcome.positions.append(result.positions_read)
                outcome.channels.update({k: v for k, v in result.channels.items() if v})
            print(f"{label}: {outcome.identified}/{outcome.trials}", flush=True)
        shown = 3 if args.quick else 10
        visual = visual_rows(b, ids[0], shown, root)
        visual += word_visual_rows(b, word.id, {c.recipient.name: c.data for c in docx_pdf.copies}, shown, root)
        elapsed = time.monotonic() - started
    lines = [
        "# Tracing from PDF and Word files and from pictures of their pages",
        "",
        f"Command: `.venv/bin/python benchmarks/formats.py{' --quick' if args.quick else ''}"
        f"{f' --trials {args.trials}' if args.trials else ''}` "
        f"({elapsed / 60:.0f} minutes on this machine, {issued / 60:.0f} of them issuing)  ",
        f"{len(sources)} documents of {statistics.mean(words):,.0f} words on average (BBC News, house style only: "
        "no author variants). PDF copies: Markdown masters set by typst on fixed lines, with the layout "
        "channel's word and line shifts. Word copies: the first document as a Word file (headings and a table), "
        "printed to PDF by LibreOffice, words and lines then moved in the file. "
        f"{recipients:,} recipients, eps = 1e-6, {trials} trials a row.",
        "",
        "| setting | identified | innocents accused | positions read, median | sites read per trial by channel | "
        "OCR word accuracy, median |",
        "|---|---|---|---|---|---|",
    ]
    for label, *_ in SETTINGS:
        o = results[label]
        per = ", ".join(f"{k} {v / max(1, o.trials):.0f}" for k, v in o.channels.most_common())
        acc = f"{statistics.median(o.accuracy):.1%}" if o.accuracy else "(no OCR)"
        lines.append(
            f"| {label} | {o.identified}/{o.trials} ({o.identified / max(1, o.trials):.0%}) | {o.innocents} | "
            f"{statistics.median(o.positions) if o.positions else 0:.0f} | {per} | {acc} |"
        )
    lines += [
        "",
        "How different a copy looks (the first document's pages at 150 dpi against the master's; typst: set on "
        "the same lines; Word: LibreOffice's pages of the master, whose lines a copy's text marks may break "
        f"elsewhere; {shown} copies each):",
        "",
        "| pages compared with the master | SSIM, lowest page | SSIM, mean | largest move of a word (pt), "
        "across or down |",
        "|---|---|---|---|",
        *visual,
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    out = RESULTS.with_name("formats-quick.md") if args.quick else RESULTS
    out.write_text(text)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
