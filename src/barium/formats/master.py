"""A master as registered: its clean, parsed text and, for a file format, the clean file."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from barium.errors import InputTooLarge, NotFound, UnsupportedFormat
from barium.formats.base import ParsedDocument
from barium.formats.docx.archive import ZIP_MAGIC
from barium.formats.load import parse, read_file
from barium.limits import Limits


@dataclass(frozen=True, slots=True)
class Master:
    """What a version is made from.

    ``parsed`` is the clean text (author variants at their first wording) that sites
    are found in and leaks are aligned to. ``file`` is the clean file copies are
    written from when the format is more than its text (a Word document), else None.
    ``sha256`` is of what was given, markup included, so registering it again is a no-op.
    """

    parsed: ParsedDocument
    format: str
    filename: str
    sha256: str
    file: bytes | None = None

    @property
    def text(self) -> str:
        return self.parsed.text


def is_docx_path(path: Path) -> bool:
    """A Word file by its name, or (whatever its name says) by its first bytes: a ZIP."""
    if path.suffix.lower() == ".docx":
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(4) == ZIP_MAGIC
    except OSError:
        return False


def load_master(source: Path | str, *, limits: Limits, fmt: str | None = None) -> Master:
    """A master given as a path, or as text (then ``fmt`` or plain text).

    A Word file (``.docx``, or any ZIP) is scrubbed of identifying metadata and its
    author variants resolved (:func:`barium.formats.docx.prepare_master`); that clean
    file is what copies are written from.
    """
    if isinstance(source, Path) and (fmt == "docx" or (fmt is None and source.is_file() and is_docx_path(source))):
        return _load_docx(source, limits=limits)
    if isinstance(source, Path):
        text, fmt = read_file(source, limits=limits, fmt=fmt)
        filename = source.name
    else:
        text, fmt, filename = limits.check_text(source, "document", name="document"), fmt or "text", ""
    return Master(parse(text, fmt), fmt, filename, hashlib.sha256(text.encode()).hexdigest())


def _load_docx(path: Path, *, limits: Limits) -> Master:
    from barium.formats.docx import prepare_master

    if not path.is_file():
        raise NotFound(f"no such file: {path}")
    size = path.stat().st_size
    if size > limits.docx_file_bytes:
        raise InputTooLarge(
            f"{path.name}: {size:,} bytes, over the {limits.docx_file_bytes:,}-byte limit for a Word file"
        )
    data = path.read_bytes()
    prepared = prepare_master(data, limits=limits, name=path.name)
    return Master(prepared.document, "docx", path.name, hashlib.sha256(data).hexdigest(), prepared.docx)


def _write_docx(file: bytes, replacements: Replacements) -> bytes:
    from barium.formats.docx import render_docx

    return render_docx(file, replacements)


# (start, end, new text) in the clean master's text, in text order, not overlapping.
Replacements = Sequence[tuple[int, int, str]]
# Writes a copy of a clean master file with its text changed by the replacements.
FileWriter = Callable[[bytes, Replacements], bytes]
FILE_WRITERS: dict[str, FileWriter] = {"docx": _write_docx}


def copy_bytes(fmt: str, file: bytes | None, copy_text: str, replacements: Replacements) -> bytes:
    """The bytes of a copy: its text, for a text format; the master file edited, for a file format."""
    if file is None:
        return copy_text.encode()
    try:
        writer = FILE_WRITERS[fmt]
    except KeyError:
        raise UnsupportedFormat(f"this Barium cannot write copies of {fmt} masters") from None
    return writer(file, replacements)
