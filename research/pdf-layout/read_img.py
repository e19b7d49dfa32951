"""Q3b + Q4: read word-shift (and line-shift) sites from page images, via Tesseract word boxes.

Pipeline (reader knows only the master and the leak image; never any recipient's copy):
  1. OCR the leak image (tesseract TSV word boxes).
  2. Match OCR words to the master's words of the page (difflib on folded text).
  3. Fit a homography master-points -> image-pixels from matched box centres (RANSAC):
     covers scale, rotation (deskew), translation and a phone's perspective.
  4. Rectify the image into master coordinates (s px per pt).
  5. Per word: ink-weighted column centroid inside the word's cell (mid-gap to mid-gap,
     descender to ascender) -> x in pt; minus the master's own ink centroid.
  6. Per line: fit the control words' residuals (a + b x), robustly; a site's reading r
     is its residual from that fit. sigma = robust spread of control residuals.
  7. Symbol = r > 0; |r| < tau -> erasure; LLR = 2 d r / sigma^2 (reported as confidence).
Line shifts: same, with the row centroid of each line and even lines as controls.
Q4: OCR word accuracy against the master words of the page.

Run: python read_img.py [--quick] [dpi ...]   (page 1 only; prints markdown tables)
"""
from __future__ import annotations

import difflib
import io
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

import sites
from typeset import Layout, PAGE_H, PAGE_W, render

HERE = Path(__file__).parent
lay = Layout.from_json((HERE / "out/master_layout.json").read_text())
PAGE = 0
S = 300 / 72  # rectified image scale: px per pt
ASC, DESC = 0.80, 0.25  # word cell above / below the baseline, in em


def raster(pdf: Path, dpi: int, page: int = PAGE) -> np.ndarray:
    with tempfile.TemporaryDirectory() as td:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", str(page + 1), "-l", str(page + 1), str(pdf), f"{td}/p"], check=True)
        return np.asarray(Image.open(next(Path(td).glob("p*.png"))).convert("L"))


def degrade(img: np.ndarray, kind: str, rng: np.random.Generator) -> np.ndarray:
    if kind == "clean":
        return img
    h, w = img.shape
    if kind == "scan":
        angle, blur, noise, persp = rng.uniform(1, 2) * rng.choice([-1, 1]), 0.8, 6.0, 0.0
    elif kind == "photo":
        angle, blur, noise, persp = rng.uniform(1, 2) * rng.choice([-1, 1]), 1.2, 10.0, 0.015
    else:
        raise ValueError(kind)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = src + rng.uniform(-persp, persp, (4, 2)).astype(np.float32) * np.float32([w, h])
    H = cv2.getPerspectiveTransform(src, dst)
    R = np.vstack([cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0), [0, 0, 1]])
    out = cv2.warpPerspective(img, R @ H, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)
    out = cv2.GaussianBlur(out.astype(np.float32), (0, 0), blur)
    if kind == "photo":  # uneven lighting
        out = out * np.linspace(0.85, 1.0, w, dtype=np.float32)[None, :]
    out = np.clip(out + rng.normal(0, noise, out.shape), 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(out).save(buf, "JPEG", quality=60)
    return np.asarray(Image.open(buf).convert("L"))


def ocr(img: np.ndarray) -> list[dict]:
    with tempfile.TemporaryDirectory() as td:
        Image.fromarray(img).save(f"{td}/i.png")
        tsv = subprocess.run(["tesseract", f"{td}/i.png", "-", "-l", "eng", "tsv"], check=True, capture_output=True, text=True).stdout
    rows = [r.split("\t") for r in tsv.splitlines()[1:]]
    return [dict(text=r[11], left=int(r[6]), top=int(r[7]), width=int(r[8]), height=int(r[9]), conf=float(r[10]))
            for r in rows if len(r) == 12 and r[0] == "5" and r[11].strip()]


def fold(t: str) -> str:
    return re.sub(r"[^\w]", "", t.lower())


def master_words(page: int = PAGE):
    return [(l, w, wd) for l, ln in enumerate(lay.pages[page].lines) for w, wd in enumerate(ln.words)]


def cell(ln, w: int) -> tuple[float, float, float, float]:
    """Word w's measuring cell in pt (x0, x1, ytop, ybottom in page-down coords)."""
    words = ln.words
    x0 = (words[w - 1].x + words[w - 1].w + words[w].x) / 2 if w > 0 else words[w].x - 2
    x1 = (words[w].x + words[w].w + words[w + 1].x) / 2 if w + 1 < len(words) else words[w].x + words[w].w + 2
    base = PAGE_H - ln.y
    return x0, x1, base - ASC * ln.size, base + DESC * ln.size


def ink(img: np.ndarray, box, scale: float) -> tuple[float, float, float]:
    """Ink-weighted centroid (x, y in pt) and ink mass inside box (pt) of an image with scale px/pt."""
    x0, x1, y0, y1 = (int(round(v * scale)) for v in box)
    crop = img[max(0, y0):y1, max(0, x0):x1].astype(np.float32)
    m = np.clip((200.0 - crop) / 200.0, 0, 1)
    tot = m.sum()
    if tot <= 0:
        return np.nan, np.nan, 0.0
    ys, xs = np.mgrid[0:m.shape[0], 0:m.shape[1]]
    return ((xs * m).sum() / tot + max(0, x0) + 0.5) / scale, ((ys * m).sum() / tot + max(0, y0) + 0.5) / scale, tot


def master_reference(page: int = PAGE) -> dict:
    """The master's own ink centroids at 600 dpi (cached)."""
    f = HERE / f"out/master_ink_p{page}.json"
    if f.exists():
        return {tuple(map(int, k.split(","))): v for k, v in json.loads(f.read_text()).items()}
    img = raster(HERE / "out/master.pdf", 600, page)
    ref = {}
    for l, w, _ in master_words(page):
        ref[(l, w)] = ink(img, cell(lay.pages[page].lines[l], w), 600 / 72)[:2]
    f.write_text(json.dumps({f"{k[0]},{k[1]}": v for k, v in ref.items()}))
    return ref


def register(img: np.ndarray, boxes: list[dict], dpi: int, page: int = PAGE):
    """Match OCR words to master words; homography master pt -> image px; rectified image."""
    mw = master_words(page)
    a = [fold(wd.text) for _, _, wd in mw]
    b = [fold(x["text"]) for x in boxes]
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    pairs = [(i + k, j + k) for i, j, n in sm.get_matching_blocks() for k in range(n)]
    src, dst = [], []
    for i, j in pairs:
        l, w, wd = mw[i]
        ln = lay.pages[page].lines[l]
        src.append([wd.x + wd.w / 2, PAGE_H - ln.y - 0.28 * ln.size])  # ~ x-height centre
        bx = boxes[j]
        dst.append([bx["left"] + bx["width"] / 2, bx["top"] + bx["height"] / 2])
    H, inl = cv2.findHomography(np.float32(src), np.float32(dst), cv2.RANSAC, 0.6 * dpi / 72 * 3)
    # rectify: master pt * S -> image px is H @ diag(1/S)
    Hs = H @ np.diag([1 / S, 1 / S, 1])
    rect = cv2.warpPerspective(img, np.linalg.inv(Hs), (int(PAGE_W * S), int(PAGE_H * S)), flags=cv2.INTER_CUBIC | cv2.WARP_FILL_OUTLIERS, borderValue=255)
    matched = len(pairs)
    return rect, matched, len(a), pairs


def robust_line_fit(x: np.ndarray, r: np.ndarray) -> np.ndarray:
    """a + b x fitted with one pass of outlier rejection; returns coefficients."""
    A = np.vstack([np.ones_like(x), x]).T
    c, *_ = np.linalg.lstsq(A, r, rcond=None)
    res = r - A @ c
    keep = np.abs(res) <= max(3 * 1.4826 * np.median(np.abs(res)), 1e-6)
    if keep.sum() >= 2:
        c, *_ = np.linalg.lstsq(A[keep], r[keep], rcond=None)
    return c


def read_words(rect: np.ndarray, ref: dict, page: int = PAGE) -> tuple[dict, float]:
    """Site (l, w) -> reading r (pt), and sigma (pt) from control words."""
    readings, ctrl_res = {}, []
    for l, ln in enumerate(lay.pages[page].lines):
        if not ln.justified:
            continue
        res = {}
        for w in range(len(ln.words)):
            cx, _, mass = ink(rect, cell(ln, w), S)
            if mass > 0 and not np.isnan(ref[(l, w)][0]):
                res[w] = (ref[(l, w)][0], cx - ref[(l, w)][0])
        ctrl = [w for w in res if w % 2 == 0]
        if len(ctrl) < 3:
            continue
        x = np.array([res[w][0] for w in ctrl])
        r = np.array([res[w][1] for w in ctrl])
        c = robust_line_fit(x, r)
        ctrl_res += list(r - (c[0] + c[1] * x))
        for w in range(1, len(ln.words) - 1, 2):
            if w in res:
                readings[(l, w)] = res[w][1] - (c[0] + c[1] * res[w][0])
    sigma = 1.4826 * np.median(np.abs(ctrl_res)) if ctrl_res else np.nan
    return readings, float(sigma)


def read_lines(rect: np.ndarray, ref: dict, page: int = PAGE) -> dict:
    """Line site l -> reading (pt, up positive): line y-centroid residual vs even neighbours."""
    ys = {}
    for l, ln in enumerate(lay.pages[page].lines):
        if ln.font != lay.pages[0].lines[1].font:
            continue
        d = [ref[(l, w)][1] - ink(rect, cell(ln, w), S)[1] for w in range(len(ln.words))]
        d = [v for v in d if not np.isnan(v)]
        if d:
            ys[l] = float(np.median(d))
    out = {}
    for _, l in sites.line_sites(lay, page):
        if l in ys and l - 1 in ys and l + 1 in ys:
            out[l] = ys[l] - (ys[l - 1] + ys[l + 1]) / 2
    return out


def ocr_accuracy(boxes: list[dict], page: int = PAGE) -> tuple[float, float]:
    """(exact-token accuracy, folded-token accuracy) of OCR against the page's master words."""
    mw = [wd.text for _, _, wd in master_words(page)]
    got = [b["text"] for b in boxes]
    exact = sum(n for *_, n in difflib.SequenceMatcher(None, mw, got, autojunk=False).get_matching_blocks())
    folded = sum(n for *_, n in difflib.SequenceMatcher(None, [fold(x) for x in mw], [fold(x) for x in got], autojunk=False).get_matching_blocks())
    return exact / len(mw), folded / len(mw)


def run(dpi: int, kind: str, d: float, channel: str, seed: int, ref: dict, td: str) -> dict:
    sh, ss, bits = sites.shifts(lay, channel, d, seed=seed, page=PAGE)
    render(lay, f"{td}/c.pdf", sh)
    img = degrade(raster(Path(f"{td}/c.pdf"), dpi), kind, np.random.default_rng(seed))
    t = time.time()
    boxes = ocr(img)
    t_ocr = time.time() - t
    rect, matched, total, _ = register(img, boxes, dpi)
    acc = ocr_accuracy(boxes)
    if channel == "word":
        rd, sigma = read_words(rect, ref)
        keys = [(l, w) for (_, l, w) in ss]
    else:
        rd, sigma = read_lines(rect, ref), np.nan
        keys = [l for (_, l) in ss]
    truth = dict(zip(keys, bits))
    r = np.array([rd[k] for k in keys if k in rd])
    b = np.array([truth[k] for k in keys if k in rd])
    missing = len(keys) - len(r)
    out = dict(dpi=dpi, kind=kind, d=d, channel=channel, sites=len(keys), missing=missing, t_ocr=t_ocr, acc=acc,
               matched=matched / total, sigma=sigma, r=r.tolist(), b=b.tolist())
    return out


def summarise(o: dict, tau_frac: float = 0.5) -> str:
    r, b, d = np.array(o["r"]), np.array(o["b"]), o["d"]
    if d == 0:
        ber = float("nan")
    else:
        ber = float(((r > 0).astype(int) != b).mean())
    keep = np.abs(r) >= tau_frac * d if d else np.abs(r) >= 0.125
    er = 1 - keep.mean() + o["missing"] / o["sites"] * keep.mean()
    ber_k = float(((r[keep] > 0).astype(int) != b[keep]).mean()) if keep.any() and d else float("nan")
    # sigma of the readings around +-d (the site noise)
    noise = np.std(r - np.where(b == 1, d, -d)) if d else np.std(r)
    return (f"| {o['channel']} | {o['dpi']} | {o['kind']} | {d} | {o['sites']} | {ber:.3f} | {er:.3f} | {ber_k:.3f} | "
            f"{noise:.3f} | {o['sigma']:.3f} | {o['acc'][0]:.3f} / {o['acc'][1]:.3f} | {o['t_ocr']:.1f} |")


HEADER = ("| channel | dpi | journey | d (pt) | sites | BER (hard) | erasure rate (tau=d/2) | BER among read | "
          "site noise sd (pt) | control-word sd (pt) | OCR word acc exact / folded | OCR s |\n|---|---|---|---|---|---|---|---|---|---|---|---|")

if __name__ == "__main__":
    quick = "--quick" in sys.argv
    ref = master_reference()
    grid = []
    only = [int(a) for a in sys.argv[1:] if a.isdigit()]
    if quick:
        grid = [(300, "clean", 0.5, "word")]
    else:
        for dpi in (150, 200, 300):
            for kind in ("clean", "scan", "photo"):
                for d in (0.25, 0.5):
                    grid.append((dpi, kind, d, "word"))
        grid += [(200, "scan", 0.0, "word"), (150, "scan", 0.75, "word"), (150, "photo", 0.75, "word"), (200, "photo", 0.35, "word"),
                 (300, "photo", 0.35, "word"), (150, "scan", 0.25, "line"), (150, "photo", 0.25, "line"), (300, "photo", 0.1, "line")]
    if only:
        grid = [g for g in grid if g[0] in only]
    print(HEADER)
    results = []
    with tempfile.TemporaryDirectory() as td:
        for i, (dpi, kind, d, ch) in enumerate(grid):
            o = run(dpi, kind, d, ch, seed=100 + i, ref=ref, td=td)
            results.append(o)
            print(summarise(o), flush=True)
    (HERE / f"out/read_img_{'_'.join(map(str, only)) or 'all'}.json").write_text(json.dumps(results))
