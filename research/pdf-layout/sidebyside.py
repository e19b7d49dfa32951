"""Eyeball check for Q2: master vs copy crops (150 dpi) stacked, plus |difference| image.

Run: python sidebyside.py word 0.5   -> out/sbs_word_0.5.png
"""
import sys, subprocess, tempfile
from pathlib import Path
import numpy as np
from PIL import Image
import sites
from typeset import Layout, render
HERE = Path(__file__).parent
ch, d = sys.argv[1], float(sys.argv[2])
lay = Layout.from_json((HERE / "out/master_layout.json").read_text())
sh, _, _ = sites.shifts(lay, ch, d)
with tempfile.TemporaryDirectory() as td:
    render(lay, f"{td}/c.pdf", sh)
    ims = []
    for p in ("out/master.pdf", f"{td}/c.pdf"):
        subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-f", "1", "-l", "1", p, f"{td}/x"], check=True)
        ims.append(np.asarray(Image.open(next(Path(td).glob("x*.png"))).convert("L"))[380:700, 140:1100])
diff = 255 - np.abs(ims[0].astype(int) - ims[1].astype(int)).astype(np.uint8)
Image.fromarray(np.vstack([ims[0], np.full((10, ims[0].shape[1]), 0, np.uint8), ims[1], np.full((10, ims[0].shape[1]), 0, np.uint8), diff])).save(HERE / f"out/sbs_{ch}_{d}.png")
