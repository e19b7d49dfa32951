"""Spike typesetter: our own line breaking on reportlab, so every word's position is known.

layout(blocks) -> Layout (pages > lines > words, in points, PDF coords with y up)
render(layout, path, shifts) -> PDF where shifts move words/lines/paragraphs/tracking.

Shifts (all in points), keyed by Locator-like addresses:
  word[(page, line, w)]  = dx    word w moves right by dx; its two gaps change +dx/-dx,
                                  so the line keeps its length (justification intact)
  line[(page, line)]     = dy    the line's baseline moves up by dy (neighbours stay)
  para[para_index]       = dy    every line of the paragraph moves up by dy (block shift)
  tc[(page, line, w)]    = tc    character spacing of word w (Tc); the word grows by
                                  tc*(len-1) and is re-centred in its slot: both
                                  neighbouring gaps shrink by half that.
Run: python typeset.py  -> writes out/master.pdf and out/master_layout.json
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
pdfmetrics.registerFont(TTFont("Serif", str(FONT_DIR / "DejaVuSerif.ttf")))
pdfmetrics.registerFont(TTFont("Serif-Bold", str(FONT_DIR / "DejaVuSerif-Bold.ttf")))

PAGE_W, PAGE_H = A4
MARGIN = 72.0
BODY = ("Serif", 10.5, 14.0)  # font, size, leading
HEAD = ("Serif-Bold", 13.0, 18.0)
PARA_GAP = 6.0
HEAD_GAP = 8.0


@dataclass
class Word:
    text: str
    x: float  # left of advance box
    w: float  # advance width


@dataclass
class Line:
    y: float  # baseline
    font: str
    size: float
    para: int
    justified: bool
    words: list[Word] = field(default_factory=list)


@dataclass
class Page:
    lines: list[Line] = field(default_factory=list)


@dataclass
class Layout:
    pages: list[Page]

    def to_json(self) -> str:
        return json.dumps([asdict(p) for p in self.pages])

    @classmethod
    def from_json(cls, s: str) -> "Layout":
        pages = []
        for p in json.loads(s):
            lines = [Line(**{**ln, "words": [Word(**w) for w in ln["words"]]}) for ln in p["lines"]]
            pages.append(Page(lines))
        return cls(pages)


def break_lines(words: list[str], font: str, size: float, width: float) -> list[list[str]]:
    """Greedy first-fit breaking (enough for a spike; Knuth-Plass would even out gaps)."""
    space = pdfmetrics.stringWidth(" ", font, size)
    lines, cur, cur_w = [], [], 0.0
    for w in words:
        ww = pdfmetrics.stringWidth(w, font, size)
        if cur and cur_w + space + ww > width:
            lines.append(cur)
            cur, cur_w = [w], ww
        else:
            cur_w = ww if not cur else cur_w + space + ww
            cur.append(w)
    if cur:
        lines.append(cur)
    return lines


def layout(blocks: list[tuple[str, str]]) -> Layout:
    width = PAGE_W - 2 * MARGIN
    pages = [Page()]
    y = PAGE_H - MARGIN
    for pi, (kind, text) in enumerate(blocks):
        font, size, lead = HEAD if kind == "h" else BODY
        gap = HEAD_GAP if kind == "h" else PARA_GAP
        rows = break_lines(text.split(), font, size, width)
        for ri, row in enumerate(rows):
            if y - lead < MARGIN:
                pages.append(Page())
                y = PAGE_H - MARGIN
            y -= lead
            widths = [pdfmetrics.stringWidth(w, font, size) for w in row]
            last = ri == len(rows) - 1
            if len(row) > 1 and not last and kind != "h":
                g = (width - sum(widths)) / (len(row) - 1)
            else:
                g = pdfmetrics.stringWidth(" ", font, size)
            x = MARGIN
            line = Line(y=y, font=font, size=size, para=pi, justified=not last and kind != "h")
            for w, ww in zip(row, widths):
                line.words.append(Word(w, x, ww))
                x += ww + g
            pages[-1].lines.append(line)
        y -= gap
    return Layout(pages)


def render(lay: Layout, path: str | Path, shifts: dict | None = None) -> None:
    shifts = shifts or {}
    ws, ls, ps, tcs = (shifts.get(k, {}) for k in ("word", "line", "para", "tc"))
    # invariant=1: no creation date or random ID, so equal inputs give equal bytes.
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1, initialFontName="Serif", initialFontSize=BODY[1])
    c.setTitle("Barium spike")
    for p, page in enumerate(lay.pages):
        c.setFont(*BODY[:2])  # else reportlab names an unembedded Helvetica on the page
        for l, line in enumerate(page.lines):
            y = line.y + ls.get((p, l), 0.0) + ps.get(line.para, 0.0)
            for w, word in enumerate(line.words):
                x = word.x + ws.get((p, l, w), 0.0)
                tc = tcs.get((p, l, w), 0.0)
                t = c.beginText()
                t.setFont(line.font, line.size)
                if tc:
                    t.setCharSpace(tc)
                    x -= tc * (len(word.text) - 1) / 2
                t.setTextOrigin(x, y)
                t.textOut(word.text)
                c.drawText(t)
        c.showPage()
    c.save()


def bbc_document(target_words: int = 1500) -> list[tuple[str, str]]:
    """A few BBC business articles, headline as heading, until ~target_words words."""
    root = Path("/work/shared/corpus/bbc-news/business")
    blocks, n = [], 0
    for f in sorted(root.glob("*.txt"))[:60]:
        head, _, body = f.read_text(encoding="utf-8", errors="replace").partition("\n")
        paras = [p.strip() for p in body.split("\n") if p.strip()]
        if not 250 < sum(len(p.split()) for p in paras) < 600:
            continue
        blocks.append(("h", head.strip()))
        for para in paras:
            blocks.append(("p", para))
            n += len(para.split())
            if n >= target_words:
                return blocks
    return blocks


if __name__ == "__main__":
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    words = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    lay = layout(bbc_document(words))
    (out / "master_layout.json").write_text(lay.to_json())
    render(lay, out / "master.pdf")
    nl = sum(len(p.lines) for p in lay.pages)
    nj = sum(ln.justified for p in lay.pages for ln in p.lines)
    gaps = sum(len(ln.words) - 1 for p in lay.pages for ln in p.lines)
    nw = sum(len(ln.words) for p in lay.pages for ln in p.lines)
    print(f"pages={len(lay.pages)} lines={nl} justified={nj} words={nw} gaps={gaps}")
