"""Q3a: read layout sites back from a leaked PDF's own glyph positions.

For each channel and d: render a marked copy, optionally push it through a re-save
journey (pdftocairo -pdf: what "print to PDF" does), extract words with pymupdf,
pdfplumber or `pdftotext -bbox-layout`, match them to the master's words in order,
and decide each site from its displacement relative to its control neighbours.

Run: python read_pdf.py
"""
import re
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pdfplumber
import pymupdf

import sites
from typeset import Layout, PAGE_H, render

HERE = Path(__file__).parent
lay = Layout.from_json((HERE / "out/master_layout.json").read_text())
MASTER_WORDS = [(p, l, w, wd.text) for p, pg in enumerate(lay.pages) for l, ln in enumerate(pg.lines) for w, wd in enumerate(ln.words)]


def words_pymupdf(pdf):
    out = []
    for p, page in enumerate(pymupdf.open(pdf)):
        for x0, y0, x1, y1, t, *_ in page.get_text("words", sort=False):
            out.append((p, x0, x1, (y0 + y1) / 2, t))
    return out


def words_plumber(pdf):
    out = []
    with pdfplumber.open(pdf) as doc:
        for p, page in enumerate(doc.pages):
            for w in page.extract_words(keep_blank_chars=False, use_text_flow=True, x_tolerance=1.5):
                out.append((p, w["x0"], w["x1"], (w["top"] + w["bottom"]) / 2, w["text"]))
    return out


def words_pdftotext(pdf):
    with tempfile.NamedTemporaryFile(suffix=".html") as f:
        subprocess.run(["pdftotext", "-bbox-layout", str(pdf), f.name], check=True)
        html = Path(f.name).read_text()
    out = []
    for p, page in enumerate(html.split("<page ")[1:]):
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page):
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            out.append((p, x0, x1, (y0 + y1) / 2, m.group(5)))
    return out


def positions(words):
    """Master address -> (x0, x1, ymid) of that word in the extracted list (sequence match)."""
    if len(words) != len(MASTER_WORDS):
        return None
    return {(p, l, w): (x0, x1, y) for (p, l, w, _), (_, x0, x1, y, _) in zip(MASTER_WORDS, words)}


def decide(ch, s, pos, ref):
    """Displacement of a site relative to its controls (copy minus master)."""
    if ch == "word":
        p, l, w = s
        mv = lambda k: pos[(p, l, k)][0] - ref[(p, l, k)][0]
        return mv(w) - (mv(w - 1) + mv(w + 1)) / 2
    if ch == "tc":
        p, l, w = s
        width = lambda P, k: P[(p, l, k)][1] - P[(p, l, k)][0]
        return width(pos, w) - width(ref, w)
    if ch == "line":
        p, l = s
        mv = lambda k: -(pos[(p, k, 0)][2] - ref[(p, k, 0)][2])  # y down in extracted coords
        return mv(l) - (mv(l - 1) + mv(l + 1)) / 2
    raise ValueError(ch)


def main() -> None:
    extractors = {"pymupdf": words_pymupdf, "pdfplumber": words_plumber, "pdftotext-bbox": words_pdftotext}
    refs = {}
    for name, fn in extractors.items():
        t = time.time()
        refs[name] = positions(fn(HERE / "out/master.pdf"))
        print(f"{name}: master words matched={refs[name] is not None}  extract {time.time() - t:.2f}s for 3 pages")
    print("\n| channel | d (pt) | journey | extractor | sites | bit errors | mean abs reading error (pt) |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as td:
        for ch, ds in {"word": [0.05, 0.25], "tc": [0.01, 0.02], "line": [0.05, 0.25]}.items():
            for d in ds:
                sh, ss, bits = sites.shifts(lay, ch, d, seed=7)
                render(lay, f"{td}/c.pdf", sh)
                subprocess.run(["pdftocairo", "-pdf", f"{td}/c.pdf", f"{td}/cairo.pdf"], check=True)
                for journey, pdf in (("as issued", f"{td}/c.pdf"), ("pdftocairo -pdf", f"{td}/cairo.pdf")):
                    for name, fn in extractors.items():
                        pos = positions(fn(pdf))
                        if pos is None:
                            print(f"| {ch} | {d} | {journey} | {name} | word count mismatch | | |")
                            continue
                        r = np.array([decide(ch, s, pos, refs[name]) for s in ss])
                        if ch == "tc":
                            expect = np.array([(1 if b else -1) * d * (len(lay.pages[p].lines[l].words[w].text) - 1) for (p, l, w), b in zip(ss, bits)])
                        else:
                            expect = np.where(bits == 1, d, -d)
                        err = int(((r > 0).astype(int) != bits).sum())
                        print(f"| {ch} | {d} | {journey} | {name} | {len(ss)} | {err} | {np.abs(r - expect).mean():.4f} |")


if __name__ == "__main__":
    main()
