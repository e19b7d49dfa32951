"""Q1b: the same ~1,500-word document through reportlab (ours), weasyprint, typst, LibreOffice.

For each: seconds per document (mean of 3, after one warm-up), pages, fonts embedded,
byte-identical on re-render, and whether one word can be moved by 0.3 pt without
reflowing anything else (checked by pymupdf word positions against the engine's master).
  weasyprint: <span style="position:relative;left:0.3pt">   (relative positioning, no reflow)
  typst:      #box(move(dx: 0.3pt)[word])                    (move does not affect layout)
  reportlab:  our own layout, word x + 0.3
  LibreOffice: TJ post-processing, see lo_shift.py (timing from soffice_test.py)
Run: python typesetters.py
"""
import hashlib
import html
import subprocess
import tempfile
import time
from pathlib import Path

import pymupdf

from typeset import bbc_document, layout, render

blocks = bbc_document(1500)
TARGET = 40  # index of the word we move (in body text, counted over all words)


def words(pdf_bytes):
    doc = pymupdf.open(stream=pdf_bytes, filetype="pdf")
    # sorted: weasyprint paints relatively positioned boxes after the line, out of text order
    return sorted((p, round(w[3], 1), round(w[0], 3), w[4]) for p, page in enumerate(doc) for w in page.get_text("words"))


def fonts(pdf_bytes):
    doc = pymupdf.open(stream=pdf_bytes, filetype="pdf")
    return sorted({f[3] for page in doc for f in page.get_fonts()})


def rl(shift: float) -> bytes:
    lay = layout(blocks)
    addr = [(p, l, w) for p, pg in enumerate(lay.pages) for l, ln in enumerate(pg.lines) for w in range(len(ln.words))][TARGET]
    with tempfile.TemporaryDirectory() as td:
        render(lay, f"{td}/a.pdf", {"word": {addr: shift}} if shift else None)
        return Path(f"{td}/a.pdf").read_bytes()


def html_doc(shift: float) -> str:
    out, n = [], 0
    for kind, text in blocks:
        ws = []
        for w in text.split():
            e = html.escape(w)
            if n == TARGET and shift:
                e = f'<span style="position:relative;left:{shift}pt">{e}</span>'
            ws.append(e)
            n += 1
        tag = "h2" if kind == "h" else "p"
        out.append(f"<{tag}>{' '.join(ws)}</{tag}>")
    css = ("@page{size:A4;margin:72pt} body{font-family:'DejaVu Serif';font-size:10.5pt;line-height:14pt}"
           "p{text-align:justify;margin:0 0 6pt} h2{font-size:13pt;margin:8pt 0 4pt}")
    return f"<html><head><style>{css}</style></head><body>{''.join(out)}</body></html>"


def weasy(shift: float) -> bytes:
    import weasyprint
    return weasyprint.HTML(string=html_doc(shift)).write_pdf()


def typst_src(shift: float) -> str:
    out, n = ['#set page(paper: "a4", margin: 72pt)\n#set text(font: "DejaVu Serif", size: 10.5pt)\n'
              '#set par(justify: true, leading: 3.5pt, spacing: 6pt)\n'], 0
    esc = lambda w: "".join("\\" + c if c in "\\#$*_`<>@[]~/=-+\"'" else c for c in w)
    for kind, text in blocks:
        ws = []
        for w in text.split():
            e = esc(w)
            if n == TARGET and shift:
                e = f"#box(move(dx: {shift}pt)[{e}])"
            elif n == TARGET:
                e = f"#box[{e}]"  # same structure in master and copy
            ws.append(e)
            n += 1
        out.append(("== " if kind == "h" else "") + " ".join(ws) + "\n\n")
    return "".join(out)


def typ(shift: float) -> bytes:
    import typst
    with tempfile.TemporaryDirectory() as td:
        Path(f"{td}/a.typ").write_text(typst_src(shift))
        return typst.compile(f"{td}/a.typ", ignore_system_fonts=False)


def measure(name, fn):
    fn(0)
    ts = []
    for _ in range(3):
        t = time.time()
        a = fn(0)
        ts.append(time.time() - t)
    b = fn(0)
    c = fn(0.3)
    wa, wc = words(a), words(c)
    same_count = len(wa) == len(wc)
    moved = [(x, y) for x, y in zip(wa, wc) if x != y] if same_count else None
    ok = same_count and len(moved) == 1 and abs(moved[0][1][2] - moved[0][0][2] - 0.3) < 0.01
    n_pages = pymupdf.open(stream=a, filetype="pdf").page_count
    if a != b:
        ids = [(k, str(v)[:40]) for k, v in pymupdf.open(stream=a, filetype="pdf").metadata.items() if v]
        fa, fb = fonts(a), fonts(b)
        print(f"  {name} differs: fonts {fa} vs {fb}; metadata {ids}")
    print(f"| {name} | {sum(ts) / 3:.2f} | {n_pages} | {', '.join(fonts(a))} | {a == b} | {len(a)} | "
          f"{'yes' if ok else 'no: ' + str(moved[:3] if moved is not None else 'word count changed')} |")


if __name__ == "__main__":
    print("| engine | s/doc | pages | fonts embedded | identical bytes on re-render | bytes | 0.3 pt move of one word, nothing else moves |")
    print("|---|---|---|---|---|---|---|")
    measure("reportlab (own layout)", rl)
    measure("weasyprint", weasy)
    measure("typst (python binding)", typ)
