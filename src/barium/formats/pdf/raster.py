"""A PDF page as a grey image (``pdftoppm``), for the pages that have no text layer."""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image

from barium.errors import InputTooLarge
from barium.formats.image.decode import page_images
from barium.formats.image.run import run_tool
from barium.limits import Limits

__all__ = ["MIN_DPI", "SCAN_DPI", "render_page"]

SCAN_DPI = 300  # Tesseract's own recommendation, and where research/pdf-layout read 99.7% of a scan
MIN_DPI = 150  # a page too large for the pixel cap at this resolution is refused


def render_page(
    path: Path, page: int, size: tuple[float, float], *, limits: Limits, name: str, dpi: float = SCAN_DPI
) -> Image.Image:
    """Page ``page`` (from 1) of the PDF at ``path``, ``size`` points large, at ``dpi``
    (:data:`SCAN_DPI`), or less (down to :data:`MIN_DPI`) to stay within ``limits.image_pixels``."""
    width, height = (max(1.0, v) / 72.0 for v in size)
    dpi = min(float(dpi), math.sqrt(limits.image_pixels / (width * height)))
    if dpi < MIN_DPI:
        raise InputTooLarge(
            f"{name}: page {page} is {width:.0f}x{height:.0f} inches, too large to read at {MIN_DPI} dpi "
            f"within the {limits.image_pixels:,}-pixel limit (image_pixels)"
        )
    target = path.with_name(f"page-{page}")
    run_tool(
        [
            "pdftoppm",
            "-r",
            str(math.floor(dpi)),
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            str(page),
            "-l",
            str(page),
            str(path),
            str(target),
        ],
        limits=limits,
        name=name,
    )
    png = target.with_suffix(".png")
    try:
        return next(iter(page_images(png.read_bytes(), limits=limits, name=f"{name} (page {page})")))
    finally:
        png.unlink(missing_ok=True)
