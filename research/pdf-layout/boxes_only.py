"""Can OCR word boxes alone (LeakEvidence.words, integer pixels) carry the word-shift channel,
or does the reader need the image? Box-centre readings vs ink-centroid readings, same images.

Box reading: map each matched box centre back to master pt through the fitted homography,
subtract the same quantity measured on the master rendered and OCR'd at the same dpi
(cancels each word's ink/box offset), then the same per-line control fit.
Run: python boxes_only.py
"""
import tempfile
from pathlib import Path
import cv2
import numpy as np
import sites
from deskew import deskew
from read_img import PAGE, degrade, lay, master_reference, ocr, raster, read_words, register, robust_line_fit
from typeset import PAGE_H, render

HERE = Path(__file__).parent


def box_x(img, dpi):
    boxes = ocr(img)
    _, _, _, pairs = register(img, boxes, dpi)
    mw = [(l, w) for l, ln in enumerate(lay.pages[PAGE].lines) for w in range(len(ln.words))]
    # homography again (register keeps it internal): fit from pairs
    src = np.float32([[lay.pages[PAGE].lines[mw[i][0]].words[mw[i][1]].x + lay.pages[PAGE].lines[mw[i][0]].words[mw[i][1]].w / 2,
                       PAGE_H - lay.pages[PAGE].lines[mw[i][0]].y] for i, _ in pairs])
    dst = np.float32([[boxes[j]["left"] + boxes[j]["width"] / 2, boxes[j]["top"] + boxes[j]["height"] / 2] for _, j in pairs])
    H, _ = cv2.findHomography(src, dst, cv2.RANSAC, 3 * dpi / 72)
    back = cv2.perspectiveTransform(dst[None], np.linalg.inv(H))[0]
    return {mw[i]: float(back[k, 0]) for k, (i, _) in enumerate(pairs)}


def readings(x, ref):
    out = {}
    for l, ln in enumerate(lay.pages[PAGE].lines):
        if not ln.justified:
            continue
        res = {w: x[(l, w)] - ref[(l, w)] for w in range(len(ln.words)) if (l, w) in x and (l, w) in ref}
        ctrl = [w for w in res if w % 2 == 0]
        if len(ctrl) < 3:
            continue
        xs = np.array([ln.words[w].x for w in ctrl]); r = np.array([res[w] for w in ctrl])
        c = robust_line_fit(xs, r)
        for w in range(1, len(ln.words) - 1, 2):
            if w in res:
                out[(l, w)] = res[w] - (c[0] + c[1] * ln.words[w].x)
    return out


print("| dpi | journey | d | reader | sites read | BER (hard) | noise sd (pt) |")
print("|---|---|---|---|---|---|---|")
ink_ref = master_reference()
with tempfile.TemporaryDirectory() as td:
    for dpi, kind, d in ((300, "clean", 0.35), (200, "scan", 0.35), (150, "scan", 0.5)):
        rng = lambda: np.random.default_rng(5)
        ref = box_x(deskew(degrade(raster(HERE / "out/master.pdf", dpi), kind, rng()), False), dpi)
        sh, ss, bits = sites.shifts(lay, "word", d, seed=11, page=PAGE)
        render(lay, f"{td}/c.pdf", sh)
        img = deskew(degrade(raster(Path(f"{td}/c.pdf"), dpi), kind, np.random.default_rng(6)), False)
        truth = {(l, w): b for (_, l, w), b in zip(ss, bits)}
        rb = readings(box_x(img, dpi), ref)
        rect, *_ = register(img, ocr(img), dpi)
        ri, _ = read_words(rect, ink_ref)
        for name, rd in (("OCR box centres", rb), ("ink centroid (image)", ri)):
            k = [s for s in truth if s in rd]
            r = np.array([rd[s] for s in k]); b = np.array([truth[s] for s in k])
            print(f"| {dpi} | {kind} | {d} | {name} | {len(k)}/{len(truth)} | {((r > 0) != b).mean():.3f} | {np.std(r - np.where(b == 1, d, -d)):.3f} |", flush=True)
