"""The text of a leaked file, whatever form it came back in.

A file's kind is told from its bytes, never from its name (an extension may lie):
each reader in :data:`LEAK_READERS` says whether it knows the bytes, and the first
that does extracts the text the tracer aligns to the master. Bytes no reader knows
are read as text, which refuses binary with a clear message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from barium.errors import InputTooLarge, NotFound
from barium.formats.docx.archive import ZIP_MAGIC
from barium.formats.load import decode_text
from barium.limits import Limits

HEAD = 8  # bytes a reader is shown to tell its format


@dataclass(frozen=True, slots=True)
class LeakReader:
    """A file format leaks come back in: ``knows`` looks at the first :data:`HEAD` bytes,
    ``text`` reads the whole file, which may be at most ``cap(limits)`` bytes."""

    name: str
    knows: Callable[[bytes], bool]
    text: Callable[[bytes, Limits, str], str]
    cap: Callable[[Limits], int]


def _docx_text(data: bytes, limits: Limits, name: str) -> str:
    from barium.formats.docx import docx_text

    return docx_text(data, limits=limits, name=name)


def _pdf_text(data: bytes, limits: Limits, name: str) -> str:
    from barium.formats.pdf import pdf_text

    return pdf_text(data, limits=limits, name=name)


def _image_text(data: bytes, limits: Limits, name: str) -> str:
    from barium.formats.image import image_text

    return image_text(data, limits=limits, name=name)


def _is_image(head: bytes) -> bool:
    from barium.formats.image import image_kind

    return image_kind(head) is not None


LEAK_READERS: list[LeakReader] = [
    # Any ZIP is read as a Word file: one that is not says so (no word/document.xml).
    LeakReader("Word file", lambda head: head.startswith(ZIP_MAGIC), _docx_text, lambda limits: limits.docx_file_bytes),
    # The text layer, or OCR of the pages that have none (a scan saved as PDF).
    LeakReader("PDF", lambda head: head.startswith(b"%PDF-"), _pdf_text, lambda limits: limits.pdf_file_bytes),
    # PNG, JPEG, TIFF: scans, screenshots, phone photos, read by OCR.
    LeakReader("image", _is_image, _image_text, lambda limits: limits.image_file_bytes),
]


def read_leak_file(path: Path, *, limits: Limits) -> str:
    """The text of the leaked file at ``path``, through the one text check.

    A file format's bytes are capped by its own limit (a Word file carries pictures);
    what is read as text, by the leak cap.
    """
    if not path.is_file():
        raise NotFound(f"no such file: {path}")
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(HEAD)
    for reader in LEAK_READERS:
        if reader.knows(head):
            if size > reader.cap(limits):
                raise InputTooLarge(
                    f"{path.name}: {size:,} bytes, over the {reader.cap(limits):,}-byte limit for a {reader.name}"
                )
            return limits.check_text(reader.text(path.read_bytes(), limits, path.name), "leak", name=path.name)
    limits.check_size(size, "leak", name=path.name)
    return limits.check_text(decode_text(path.read_bytes(), name=path.name), "leak", name=path.name)
