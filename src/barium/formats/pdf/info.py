"""What ``pdfinfo`` says of a PDF before anything else reads it: pages, their sizes, encryption."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from barium.errors import InputError, InputTooLarge
from barium.formats.image.run import run_tool
from barium.limits import Limits

__all__ = ["PdfInfo", "pdf_info"]

_PAGES = re.compile(r"^Pages:\s+(\d+)\s*$", re.M)
_ENCRYPTED = re.compile(r"^Encrypted:\s+(\S+)", re.M)
_SIZE = re.compile(r"^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts", re.M)


@dataclass(frozen=True, slots=True)
class PdfInfo:
    """``pages`` in the file; ``sizes[i]`` is page i+1's (width, height) in points;
    ``encrypted``: the file is encrypted without a password to open it (permissions only)."""

    pages: int
    sizes: tuple[tuple[float, float], ...]
    encrypted: bool


def pdf_info(path: Path, *, limits: Limits, name: str) -> PdfInfo:
    """The page count and sizes of the PDF at ``path``, refused when it has more than
    ``limits.pdf_pages`` pages, needs a password, or is too damaged to open."""
    done = run_tool(
        ["pdfinfo", "-f", "1", "-l", str(limits.pdf_pages), str(path)], limits=limits, name=name, check=False
    )
    if done.returncode != 0:
        if "password" in done.stderr.lower():
            raise InputError(f"{name}: an encrypted PDF that opens only with a password; decrypt it, then trace it")
        detail = done.stderr.splitlines()[-1] if done.stderr else f"exit status {done.returncode}"
        raise InputError(f"{name}: a damaged or unreadable PDF ({detail})")
    report = done.stdout.decode("utf-8", "replace")
    pages = _PAGES.search(report)
    if pages is None:
        raise InputError(f"{name}: a damaged or unreadable PDF (pdfinfo found no page count)")
    count = int(pages.group(1))
    if count > limits.pdf_pages:
        raise InputTooLarge(f"{name}: a PDF of {count:,} pages, over the {limits.pdf_pages:,}-page limit (pdf_pages)")
    if count == 0:
        raise InputError(f"{name}: a PDF without pages")
    sizes = {int(m.group(1)): (float(m.group(2)), float(m.group(3))) for m in _SIZE.finditer(report)}
    encrypted = _ENCRYPTED.search(report)
    return PdfInfo(
        count,
        tuple(sizes.get(i, (612.0, 792.0)) for i in range(1, count + 1)),
        encrypted is not None and encrypted.group(1) == "yes",
    )
