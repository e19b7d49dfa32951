"""Turn user-supplied bytes into a parsed document, refusing what is not text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from barium.errors import InputError, InputTooLarge, NotFound, UnsupportedFormat
from barium.formats.base import ParsedDocument
from barium.formats.markdown import parse_markdown
from barium.formats.text import parse_text
from barium.formats.variants import extract_variants

FORMATS: dict[str, Callable[[str], ParsedDocument]] = {
    "text": parse_text,
    "markdown": parse_markdown,
}
_SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".txt": "text",
    ".text": "text",
    "": "text",
}


def format_for(path: Path | str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise UnsupportedFormat(f"{Path(path).name}: unsupported file type {suffix!r}; Barium reads .txt and .md files")
    return _SUFFIXES[suffix]


def decode_text(data: bytes, *, name: str = "input") -> str:
    """Decode UTF-8 (with or without BOM); refuse binary and undecodable data."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    if b"\x00" in data[:65536]:
        raise UnsupportedFormat(f"{name}: looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8") from None
    if "\x00" in text:  # anywhere, not only at the start: PostgreSQL cannot store it, and no text holds one
        raise InputError(f"{name}: contains a NUL character (byte {data.index(0)}); not a text document")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 8:
        raise UnsupportedFormat(f"{name}: contains control characters; not a text document")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_file(path: Path, *, cap: int, fmt: str | None = None) -> tuple[str, str]:
    """(text, format) of a master file, refused when missing, too large or not text."""
    if not path.is_file():
        raise NotFound(f"no such file: {path}")
    if path.stat().st_size > cap:
        raise InputTooLarge(f"{path.name}: larger than the {cap:,}-byte limit (max_document_bytes)")
    fmt = fmt or format_for(path)
    return decode_text(path.read_bytes(), name=path.name), fmt


def parse(text: str, fmt: str) -> ParsedDocument:
    """The clean master with its editable regions and the author's variants."""
    try:
        parser = FORMATS[fmt]
    except KeyError:
        raise UnsupportedFormat(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}") from None
    return extract_variants(parser(text))
