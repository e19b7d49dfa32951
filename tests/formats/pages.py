"""Test pages made from real text by the real programs: LibreOffice prints a text to PDF,
poppler renders it, Pillow degrades the picture as a scanner or a phone would."""

from __future__ import annotations

import difflib
import io
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFilter

from barium.text import tokenize

CORPUS = Path("/work/shared/corpus/bbc-news")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
TOOLS = {name: shutil.which(name) for name in ("tesseract", "pdftotext", "pdftoppm", "pdfinfo")}

needs_tools = pytest.mark.skipif(
    SOFFICE is None or None in TOOLS.values() or not CORPUS.is_dir(),
    reason="needs LibreOffice, Tesseract, poppler-utils (make sysdeps) and the BBC corpus",
)


def bbc(section: str, number: int) -> str:
    return (CORPUS / section / f"{number:03d}.txt").read_text(encoding="utf-8").strip() + "\n"


def convert(source: Path, target: str, out: Path, profile: Path) -> Path:
    """``soffice --headless --convert-to target`` into ``out``, with a profile of its own."""
    assert SOFFICE is not None
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    produced = out / f"{source.stem}.{target.split(':')[0]}"
    assert done.returncode == 0 and produced.is_file(), done.stdout + done.stderr
    return produced


def to_pdf(source: Path, out: Path, *, options: str = "") -> Path:
    """``soffice --headless --convert-to pdf[:writer_pdf_Export:options]``, its own profile."""
    return convert(source, f"pdf:writer_pdf_Export:{options}" if options else "pdf", out, out / "lo-profile")


def render(pdf: Path, dpi: int, *, page: int = 1) -> Image.Image:
    """Page ``page`` of ``pdf`` rendered grey by ``pdftoppm -r dpi``."""
    out = pdf.with_name(f"{pdf.stem}-{dpi}-{page}")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            str(page),
            "-l",
            str(page),
            str(pdf),
            str(out),
        ],
        check=True,
        timeout=120,
    )
    return Image.open(out.with_suffix(".png")).convert("L")


def png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def scan(image: Image.Image, *, angle: float = 1.5, blur: float = 0.8, noise: float = 6.0, seed: int = 0) -> bytes:
    """A scan: tilted by ``angle`` degrees, blurred, noisy, saved as JPEG at quality 60."""
    tilted = image.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    values = np.asarray(tilted.filter(ImageFilter.GaussianBlur(blur)), dtype=np.float64)
    noisy = values + np.random.default_rng(seed).normal(0.0, noise, values.shape)
    return _jpeg(noisy)


def photo(image: Image.Image, *, angle: float = -1.2, seed: int = 1) -> bytes:
    """A phone photo: tilted, softer, noisier, lit from one side (the far corner at 55%)."""
    tilted = image.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    values = np.asarray(tilted.filter(ImageFilter.GaussianBlur(1.2)), dtype=np.float64)
    h, w = values.shape
    light = np.linspace(0.55, 1.0, w)[None, :] * np.linspace(0.8, 1.0, h)[:, None]
    noisy = values * light + np.random.default_rng(seed).normal(0.0, 10.0, values.shape)
    return _jpeg(noisy)


def _jpeg(values: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.clip(values, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=60)
    return buf.getvalue()


def word_accuracy(source: str, read: str) -> float:
    """Share of the source's words read back, in order (difflib on word keys: what the
    tracer's alignment sees)."""
    ref = [t.key for t in tokenize(source)]
    got = [t.key for t in tokenize(read)]
    matcher = difflib.SequenceMatcher(None, ref, got, autojunk=False)
    return sum(b.size for b in matcher.get_matching_blocks()) / len(ref)


def bbox_words(path: Path) -> list[tuple[str, float, float]]:
    """(word, left, top) of every word poppler reads in the PDF at ``path``
    (``pdftotext -bbox``), entities decoded, invisible characters left out."""
    import html
    import re

    from barium.text.invisible import strip_invisible

    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [
        (strip_invisible(html.unescape(m.group(3))), float(m.group(1)), float(m.group(2)))
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', out)
    ]
