"""Erasure threshold trade-off from read_img runs: tau vs erasure rate vs BER among read.

Run: python tradeoff.py   (reads out/read_img_*.json)
"""
import json
from math import erf, sqrt
from pathlib import Path
import numpy as np

rows = []
for f in sorted(Path(__file__).parent.glob("out/read_img_[0-9]*.json")):
    rows += json.loads(f.read_text())
print("| dpi | journey | d | sigma (pt) | d/sigma | tau/d=0: BER | 0.25: eras / BER | 0.5: eras / BER | 0.75: eras / BER | Gaussian BER Phi(-d/sigma) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for o in rows:
    if o["channel"] != "word" or o["d"] == 0:
        continue
    r, b, d = np.array(o["r"]), np.array(o["b"]), o["d"]
    sig = float(np.std(r - np.where(b == 1, d, -d)))
    cells = []
    for t in (0.0, 0.25, 0.5, 0.75):
        keep = np.abs(r) >= t * d
        miss = o["missing"] / o["sites"]
        er = 1 - (1 - miss) * keep.mean()
        ber = ((r[keep] > 0).astype(int) != b[keep]).mean()
        cells.append(f"{ber:.3f}" if t == 0 else f"{er:.3f} / {ber:.3f}")
    gauss = 0.5 * (1 + erf(-d / sig / sqrt(2)))
    print(f"| {o['dpi']} | {o['kind']} | {d} | {sig:.3f} | {d / sig:.1f} | " + " | ".join(cells) + f" | {gauss:.4f} |")
