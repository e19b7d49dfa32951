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

from barium.channels.base import LeakEvidence
from barium.errors import InputTooLarge, NotFound
from barium.formats.docx.archive import ZIP_MAGIC
from barium.formats.load import decode_text
from barium.limits import Limits

HEAD = 8  # bytes a reader is shown to tell its format


@dataclass(frozen=True, slots=True)
class LeakReader:
    """A file format leaks come back in: ``knows`` looks at the first :data:`HEAD` bytes,
    ``read`` reads the whole file, which may be at most ``cap(limits)`` bytes, into its
    text and (a PDF, a picture) the boxes of its words."""

    name: str
    knows: Callable[[bytes], bool]
    read: Callable[[bytes, Limits, str], LeakEvidence]
    cap: Callable[[Limits], int]


def _docx_evidence(data: bytes, limits: Limits, name: str) -> LeakEvidence:
    from barium.formats.docx import docx_text

    return LeakEvidence(docx_text(data, limits=limits, name=name))


def _pdf_evidence(data: bytes, limits: Limits, name: str) -> LeakEvidence:
    from barium.formats.pdf import pdf_evidence

    page = pdf_evidence(data, limits=limits, name=name)
    return LeakEvidence(page.text, page.words, page.word_starts)


def _image_evidence(data: bytes, limits: Limits, name: str) -> LeakEvidence:
    from barium.formats.image import image_evidence

    page = image_evidence(data, limits=limits, name=name)
    return LeakEvidence(page.text, page.words, page.word_starts)


def _is_image(head: bytes) -> bool:
    from barium.formats.image import image_kind

    return image_kind(head) is not None


LEAK_READERS: list[LeakReader] = [
    # Any ZIP is read as a Word file: one that is not says so (no word/document.xml).
    LeakReader(
        "Word file", lambda head: head.startswith(ZIP_MAGIC), _docx_evidence, lambda limits: limits.docx_file_bytes
    ),
    # The text layer, or OCR of the pages that have none (a scan saved as PDF).
    LeakReader("PDF", lambda head: head.startswith(b"%PDF-"), _pdf_evidence, lambda limits: limits.pdf_file_bytes),
    # PNG, JPEG, TIFF: scans, screenshots, phone photos, read by OCR.
    LeakReader("image", _is_image, _image_evidence, lambda limits: limits.image_file_bytes),
]


def reader_for(head: bytes) -> LeakReader | None:
    """The reader that knows a file starting with ``head``; None: it is read as text."""
    return next((r for r in LEAK_READERS if r.knows(head[:HEAD])), None)


def leak_cap(head: bytes, limits: Limits) -> int:
    """The most bytes a leaked file starting with ``head`` may have."""
    reader = reader_for(head)
    return limits.leak_bytes if reader is None else reader.cap(limits)


def read_leak_evidence(path: Path, *, limits: Limits) -> LeakEvidence:
    """The text of the leaked file at ``path``, through the one text check, with its
    words' boxes when it came as a PDF or a picture.

    A file format's bytes are capped by its own limit (a Word file carries pictures);
    what is read as text, by the leak cap. The size is checked before the file is read.
    """
    if not path.is_file():
        raise NotFound(f"no such file: {path}")
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(HEAD)
    _check_cap(head, size, path.name, limits)
    return read_leak_bytes(path.read_bytes(), name=path.name, limits=limits)


def read_leak_bytes(data: bytes, *, name: str, limits: Limits) -> LeakEvidence:
    """What :func:`read_leak_evidence` reads, from bytes already held (evidence in custody)."""
    _check_cap(data[:HEAD], len(data), name, limits)
    reader = reader_for(data)
    if reader is None:
        return LeakEvidence(limits.check_text(decode_text(data, name=name), "leak", name=name))
    found = reader.read(data, limits, name)
    text = limits.check_text(found.text, "leak", name=name)
    # The boxes point into the text: kept only if the check left it as it was.
    return found if text == found.text else LeakEvidence(text)


def _check_cap(head: bytes, size: int, name: str, limits: Limits) -> None:
    reader = reader_for(head)
    if reader is None:
        limits.check_size(size, "leak", name=name)
    elif size > reader.cap(limits):
        raise InputTooLarge(f"{name}: {size:,} bytes, over the {reader.cap(limits):,}-byte limit for a {reader.name}")


def read_leak_file(path: Path, *, limits: Limits) -> str:
    """The text of the leaked file at ``path`` (see :func:`read_leak_evidence`)."""
    return read_leak_evidence(path, limits=limits).text
