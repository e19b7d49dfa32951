"""Q4: Tesseract word accuracy on rendered BBC pages, and whether lexical/typographic marks survive.

Part A: the 3-page master at 150/200/300 dpi, clean / scan / photo (read_img.degrade),
page segmentation --psm 3 (auto) and --psm 4 (one column). Word accuracy two ways:
in-order (difflib matching blocks, what text alignment sees) and bag-of-words (recognition
alone, ignoring reading order).
Part B (deskewed first, psm 3): a page of sentences each carrying one mark form (curly/straight quotes, dashes,
ellipsis, spelling variants, digit grouping); share of sites whose form OCR returns intact.
Run: python ocr_text.py [A|B]
"""
import collections
import difflib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from read_img import degrade, raster
from deskew import deskew
from typeset import Layout, layout, render

HERE = Path(__file__).parent


def tess(img, psm):
    with tempfile.TemporaryDirectory() as td:
        Image.fromarray(img).save(f"{td}/i.png")
        return subprocess.run(["tesseract", f"{td}/i.png", "-", "-l", "eng", "--psm", str(psm)],
                              check=True, capture_output=True, text=True).stdout


def part_a():
    lay = Layout.from_json((HERE / "out/master_layout.json").read_text())
    print("| dpi | journey | psm | words | in-order acc | bag acc | folded bag acc |")
    print("|---|---|---|---|---|---|---|")
    for dpi in (150, 200, 300):
        for kind in ("clean", "scan", "photo"):
            for psm in ((3, 4) if kind != "clean" else (3,)):
                ref, got = [], []
                for p in range(len(lay.pages)):
                    ref += [w.text for ln in lay.pages[p].lines for w in ln.words]
                    img = degrade(raster(HERE / "out/master.pdf", dpi, p), kind, np.random.default_rng(p + dpi))
                    got += tess(img, psm).split()
                order = sum(b.size for b in difflib.SequenceMatcher(None, ref, got, autojunk=False).get_matching_blocks())
                bag = sum((collections.Counter(ref) & collections.Counter(got)).values())
                f = lambda ws: collections.Counter(re.sub(r"\W", "", w.lower()) for w in ws)
                fbag = sum((f(ref) & f(got)).values())
                n = len(ref)
                print(f"| {dpi} | {kind} | {psm} | {n} | {order / n:.4f} | {bag / n:.4f} | {fbag / n:.4f} |", flush=True)


MARKS = [  # (name, form A, form B) : each rendered in its own sentence
    ("apostrophe", "company\u2019s", "company's"),
    ("double quotes", "\u201cstrong\u201d", '"strong"'),
    ("en dash / hyphen", "2004\u20132005", "2004-2005"),
    ("em dash / double hyphen", "profit\u2014and", "profit--and"),
    ("ellipsis", "results\u2026", "results..."),
    ("towards / toward", "towards", "toward"),
    ("e-mail / email", "e-mail", "email"),
    ("per cent / percent", "per cent", "percent"),
    ("2,000 / 2000", "2,000", "2000"),
    ("serial comma", "Google, Yahoo, and Microsoft", "Google, Yahoo and Microsoft"),
]


def part_b():
    sentence = "Analysts said the {} figure surprised markets on Friday."
    blocks, truth = [], []
    rng = np.random.default_rng(3)
    for rep in range(6):
        for name, a, b in MARKS:
            pick = int(rng.integers(0, 2))
            blocks.append(("p", sentence.format((a, b)[pick])))
            truth.append((name, (a, b)[pick], (a, b)[1 - pick]))
    lay = layout(blocks)
    with tempfile.TemporaryDirectory() as td:
        render(lay, f"{td}/m.pdf")
        print("| dpi | journey | " + " | ".join(n for n, *_ in MARKS) + " |")
        print("|---|---|" + "---|" * len(MARKS))
        for dpi in (150, 300):
            for kind in ("clean", "scan", "photo"):
                text = ""
                for p in range(len(lay.pages)):
                    text += tess(deskew(degrade(raster(Path(f"{td}/m.pdf"), dpi, p), kind, np.random.default_rng(p)), False), 3)
                # one segment per sentence, however OCR broke the lines
                lines = [seg.split("surprised")[0] for seg in re.split(r"Analysts\s+said\s+the", " ".join(text.split()))[1:]]
                ok = collections.Counter()
                for (name, form, other), ln in zip(truth, lines):
                    # intact: the shown form is there and the other one is not
                    ok[name] += int(form in ln and (other not in ln or other in form))
                total = collections.Counter(n for n, *_ in truth)
                print(f"| {dpi} | {kind} | " + " | ".join(f"{ok[n]}/{total[n]}" for n, *_ in MARKS) + f" | lines={len(lines)}/{len(truth)}")


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "AB"
    if "A" in which:
        part_a()
    if "B" in which:
        part_b()
