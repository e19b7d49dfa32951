"""Q2: SSIM between master and marked copy pages at 150 dpi, per channel and shift d.

Run: python invisibility.py   -> table: channel, d, largest move (pt), min/mean page SSIM,
plus the SSIM of master vs a re-render of itself (1.0) and of master vs the master
shifted as a whole by 1 px (what SSIM calls a large change that no reader sees).
"""
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image
from skimage.metrics import structural_similarity as ssim

import sites
from typeset import Layout, render

HERE = Path(__file__).parent
lay = Layout.from_json((HERE / "out/master_layout.json").read_text())


def raster(pdf: Path, dpi: int = 150) -> list[np.ndarray]:
    with tempfile.TemporaryDirectory() as td:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), f"{td}/p"], check=True)
        return [np.asarray(Image.open(f).convert("L")) for f in sorted(Path(td).glob("p-*.png"))]


def main() -> None:
    master = raster(HERE / "out/master.pdf")
    print("| channel | d (pt) | largest move (pt) | sites | min page SSIM | mean page SSIM | changed px (p1) |")
    print("|---|---|---|---|---|---|---|")
    pm = np.pad(master[0], ((0, 0), (1, 0)), constant_values=255)[:, :-1]
    print(f"| whole page moved 1 px | - | 0.48 | - | {ssim(master[0], pm):.4f} | | {(pm != master[0]).sum()} |")
    grid = {"word": [0.1, 0.25, 0.4, 0.5, 0.75, 1.0, 1.5], "line": [0.1, 0.25, 0.5, 1.0],
            "para": [0.25, 0.5, 1.0, 2.0], "tc": [0.02, 0.05, 0.1, 0.2]}
    with tempfile.TemporaryDirectory() as td:
        for ch, ds in grid.items():
            for d in ds:
                sh, s, _ = sites.shifts(lay, ch, d)
                pdf = Path(td) / "c.pdf"
                render(lay, pdf, sh)
                copy = raster(pdf)
                vals = [ssim(a, b) for a, b in zip(master, copy)]
                if ch == "tc":
                    move = max(d * (len(lay.pages[p].lines[l].words[w].text) - 1) for p, l, w in s)
                    label = f"Tc {d}/char"
                else:
                    move, label = d, f"{d}"
                changed = int((master[0] != copy[0]).sum())
                print(f"| {ch} | {label} | {move:.2f} | {len(s)} | {min(vals):.4f} | {np.mean(vals):.4f} | {changed} |")


if __name__ == "__main__":
    main()
