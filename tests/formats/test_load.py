"""Bytes that are not a text document are refused with a clear error."""

from __future__ import annotations

import pytest

from barium.errors import InputError, UnsupportedFormat
from barium.formats import decode_text
from barium.formats.load import format_for


@pytest.mark.parametrize(
    ("data", "error", "words"),
    [
        (b"", InputError, "empty"),
        (b"   \n\n", InputError, "empty"),
        (b"PK\x03\x04\x00\x00binary", UnsupportedFormat, "binary"),
        (b"caf\xe9 au lait", InputError, "UTF-8"),
        (bytes(range(1, 32)) * 4, UnsupportedFormat, "control"),
    ],
)
def test_unusable_bytes_are_refused_with_a_reason(data: bytes, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words):
        decode_text(data, name="x.txt")


def test_utf8_with_bom_and_crlf_is_read_as_plain_text() -> None:
    assert decode_text("\ufeffline one\r\nline two\r\n".encode()) == "line one\nline two\n"


def test_unknown_suffix_is_refused() -> None:
    with pytest.raises(UnsupportedFormat, match="unsupported"):
        format_for("report.docx")
    assert format_for("a.MD") == "markdown"
