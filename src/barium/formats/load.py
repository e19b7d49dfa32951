"""Turn user-supplied bytes into a parsed document, refusing what is not text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from barium.errors import InputError, NotFound, UnsupportedFormat
from barium.formats.base import ParsedDocument
from barium.formats.markdown import parse_markdown
from barium.formats.text import parse_text
from barium.formats.variants import extract_variants
from barium.limits import Limits, TextKind, clean_text, looks_binary

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
    """Decode UTF-8 (with or without BOM); refuse binary and undecodable data.

    Binary is judged on the whole of ``data`` (:func:`barium.limits.looks_binary`);
    the few stray control characters a text may carry are dropped
    (:func:`barium.limits.clean_text`), as they are from every text Barium reads.
    """
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    if looks_binary(data):
        raise UnsupportedFormat(f"{name}: looks like a binary file (NUL or control bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8") from None
    return clean_text(text.replace("\r\n", "\n").replace("\r", "\n"))


def read_file(path: Path, *, limits: Limits, kind: TextKind = "document", fmt: str | None = None) -> tuple[str, str]:
    """(text, format) of a master (or public) file, refused when missing, too large or not text."""
    if not path.is_file():
        raise NotFound(f"no such file: {path}")
    limits.check_size(path.stat().st_size, kind, name=path.name)
    fmt = fmt or format_for(path)
    return limits.check_text(decode_text(path.read_bytes(), name=path.name), kind, name=path.name), fmt


def parse(text: str, fmt: str) -> ParsedDocument:
    """The clean master with its editable regions and the author's variants."""
    try:
        parser = FORMATS[fmt]
    except KeyError:
        raise UnsupportedFormat(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}") from None
    return extract_variants(parser(text))
