"""Tracing from the forms a PDF copy comes back in: pages rendered, scanned, photographed, captured.

    .venv/bin/python benchmarks/formats.py            # writes benchmarks/results/formats.md
    .venv/bin/python benchmarks/formats.py --quick    # fewer trials and recipients, a smoke check

Documents of about 1,500 words (consecutive BBC News articles of one topic, house style only,
no author variants, no layout marks yet) are issued as PDF copies (typeset by typst) to every
recipient. Each trial takes one recipient's copy and turns a page of it into what a newsroom
might publish, then traces that image with `barium trace`:

- print and scan, simulated: the page rasterised at 150, 200 or 300 dpi, rotated up to
  +-2 degrees, blurred, with noise, saved as JPEG quality 60; a full page, half, a quarter;
- phone photo, simulated: a perspective warp, uneven illumination, blur, about 150 dpi;
- screenshot: the page at 96 or 144 dpi, cropped to a window (PNG);
- the PDF file itself (its text layer).

Per setting: the share of trials that identify the copy's holder at eps = 1e-6, innocents
accused, code positions read per channel, and OCR word accuracy (the share of the copy's words
on that page found, in order, in what was read).
"""

from __future__ import annotations

import argparse
import difflib
import io
import random
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from PIL import Image, ImageFilter

from barium.formats.image import image_evidence
from barium.limits import Limits
from barium.services import Barium
from barium.text import tokenize
from corpus import long_documents

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


def crop(image: Image.Image, share: float) -> Image.Image:
    """The top ``share`` of the page (half a page, a quarter)."""
    return image.crop((0, 0, image.width, max(1, int(image.height * share))))


def scan(image: Image.Image, rng: random.Random) -> bytes:
    """Printed and scanned: a small rotation, blur, noise, JPEG quality 60."""
    out = image.rotate(rng.uniform(-2, 2), expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    out = out.filter(ImageFilter.GaussianBlur(0.7))
    noise = Image.effect_noise(out.size, 18).convert("L")
    out = Image.blend(out, noise, 0.08)
    return _jpeg(out, 60)


def photo(image: Image.Image, rng: random.Random) -> bytes:
    """A phone photo: the page (200 dpi) tilted and seen at a slant (each corner up to 2% of
    the page in), light falling off to one side, lens blur, then sampled at about 150 dpi
    with sensor noise and saved as JPEG quality 70. Every resampling is bicubic, as a
    camera's optics are continuous (a nearest-neighbour rotation, used here before
    2026-12-02, cuts the lines into one-pixel steps that no camera makes)."""
    w, h = image.size
    d = 0.02
    quad = [rng.uniform(0, d) * w, rng.uniform(0, d) * h, rng.uniform(0, d) * w, h - rng.uniform(0, d) * h]
    quad += [w - rng.uniform(0, d) * w, h - rng.uniform(0, d) * h, w - rng.uniform(0, d) * w, rng.uniform(0, d) * h]
    warped = image.transform(image.size, Image.Transform.QUAD, quad, Image.Resampling.BICUBIC, fillcolor=255)
    warped = warped.rotate(rng.uniform(-2, 2), Image.Resampling.BICUBIC, fillcolor=255)
    shade = Image.linear_gradient("L").rotate(90).resize(warped.size).point(lambda v: 150 + v * 105 // 255)
    lit = Image.composite(warped, shade, warped.point(lambda v: 255 - v))  # ink stays dark, paper dims
    soft = lit.filter(ImageFilter.GaussianBlur(1.2))
    small = soft.resize((w * 3 // 4, h * 3 // 4), Image.Resampling.BICUBIC)  # about 150 dpi
    noise = Image.effect_noise(small.size, 12).convert("L")
    return _jpeg(Image.blend(small, noise, 0.06), 70)


def screenshot(image: Image.Image) -> bytes:
    """A window's capture: the page's upper part, lossless."""
    out = io.BytesIO()
    crop(image, 0.7).save(out, "PNG")
    return out.getvalue()


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def accuracy(truth: str, read: str) -> float:
    """Share of the page's words found, in order, in what was read."""
    # Word keys, as the tracer compares words: case, typography and invisible marks aside.
    a, b = [t.key for t in tokenize(truth)], [t.key for t in tokenize(read)]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / max(1, len(a))


def page_words(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--trials", type=int, help="per setting (default 20; 3 with --quick)")
    args = ap.parse_args()
    trials = args.trials or (3 if args.quick else 20)
    recipients = 100 if args.quick else 1000
    rng = random.Random(20261202)
    sources = long_documents(1500, 2)
    limits = Limits()
    settings = [
        ("print and scan, 300 dpi, full page", 300, 1.0, "scan"),
        ("print and scan, 200 dpi, full page", 200, 1.0, "scan"),
        ("print and scan, 200 dpi, half page", 200, 0.5, "scan"),
        ("print and scan, 200 dpi, quarter page", 200, 0.25, "scan"),
        ("print and scan, 150 dpi, full page", 150, 1.0, "scan"),
        ("phone photo, about 150 dpi, full page", 200, 1.0, "photo"),
        ("screenshot, 144 dpi, a window of 70% of the page", 144, 1.0, "screen"),
        ("screenshot, 96 dpi, a window of 70% of the page", 96, 1.0, "screen"),
        ("the PDF file itself", 0, 1.0, "pdf"),
    ]
    results = {label: Outcome() for label, *_ in settings}
    with tempfile.TemporaryDirectory() as tmp, Barium.init(Path(tmp) / "ws") as b:
        for i in range(recipients):
            b.recipients.add(f"Recipient {i:04d}", email=f"r{i:04d}@example.org")
        docs = []
        for k, text in enumerate(sources):
            d = b.documents.add(text, title=f"Composite {k}")
            report = b.issuing.issue(d.id, all_recipients=True, out=Path(tmp) / f"d{k}", output="pdf")
            docs.append((Path(tmp) / f"d{k}", report.copies))
        words = statistics.mean(len(t.split()) for t in sources)
        for label, dpi, share, kind in settings:
            outcome = results[label]
            for _ in range(trials):
                folder, copies = rng.choice(docs)
                copy = rng.choice(copies)
                assert copy.file is not None
                pdf = folder / copy.file
                leak = Path(tmp) / "leak"
                if kind == "pdf":
                    leak.write_bytes(pdf.read_bytes())
                else:
                    image = crop(page_image(pdf, 1, dpi), share)
                    data = (
                        scan(image, rng)
                        if kind == "scan"
                        else photo(image, rng)
                        if kind == "photo"
                        else screenshot(image)
                    )
                    leak.write_bytes(data)
                    read = image_evidence(data, limits=limits, name="leak").text
                    shown = page_words(pdf, 1).split()
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
    lines = [
        "# Tracing from PDFs and images",
        "",
        f"Command: `.venv/bin/python benchmarks/formats.py{' --quick' if args.quick else ''}`  ",
        f"{len(sources)} documents of {words:.0f} words on average (BBC News, house style only: no author variants, "
        f"no layout marks), PDF copies typeset by typst, {recipients} recipients, eps = 1e-6, {trials} trials a row.",
        "",
        "| setting | identified | innocents accused | positions read, median | sites read per trial by channel | "
        "OCR word accuracy, median |",
        "|---|---|---|---|---|---|",
    ]
    for label, *_ in settings:
        o = results[label]
        per = ", ".join(f"{k} {v / max(1, o.trials):.0f}" for k, v in o.channels.most_common())
        acc = f"{statistics.median(o.accuracy):.1%}" if o.accuracy else "(text layer)"
        lines.append(
            f"| {label} | {o.identified}/{o.trials} ({o.identified / max(1, o.trials):.0%}) | {o.innocents} | "
            f"{statistics.median(o.positions) if o.positions else 0:.0f} | {per} | {acc} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    out = RESULTS.with_name("formats-quick.md") if args.quick else RESULTS
    out.write_text(text)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
