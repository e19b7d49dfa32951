"""The ZIP container is read within bounds whatever it declares, and written the same every time."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest

from barium.errors import InputError, InputTooLarge, UnsupportedFormat
from barium.formats.docx import docx_text, open_docx
from barium.formats.docx.archive import Member, read_archive, write_archive
from barium.limits import Limits
from tests.formats.docx.build import docx, p, zip_members

LIMITS = Limits()
GIB = 1 << 30


def raw_zip(entries: list[tuple[str, int, bytes, int, int]]) -> bytes:
    """A ZIP file written field by field: (name, method, stored bytes, crc, declared size)
    per entry, so that a test can declare whatever it likes."""
    local = bytearray()
    central = bytearray()
    for name, method, data, crc, declared in entries:
        encoded = name.encode()
        offset = len(local)
        local += struct.pack(
            "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(data), declared, len(encoded), 0
        )
        local += encoded + data
        central += struct.pack(
            "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, len(data), declared,
            len(encoded), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += encoded
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(local), 0)
    return bytes(local + central + end)


def zeros_deflated(size: int) -> bytes:
    """A raw deflate stream of ``size`` zero bytes (a multiple of 1 MiB), made in
    milliseconds: after a full flush the compressor's output for each MiB repeats."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * (size >> 20) + compressor.flush()


def with_member(name: str, method: int, data: bytes, crc: int, declared: int) -> bytes:
    """A small valid Word file plus one extra member, written field by field."""
    with zipfile.ZipFile(io.BytesIO(docx(p("Some text.")))) as archive:
        entries = [(i.filename, 0, archive.read(i), i.CRC, i.file_size) for i in archive.infolist()]
    return raw_zip([*entries, (name, method, data, crc, declared)])


def test_a_gigabyte_of_zeros_declared_small_is_refused_as_a_bomb() -> None:
    bomb = with_member("word/media/image1.png", 8, zeros_deflated(GIB), 0, 1000)
    with pytest.raises(InputTooLarge, match=r"leak\.docx: word/media/image1\.png inflates over 500:1"):
        docx_text(bomb, limits=LIMITS, name="leak.docx")


def test_a_gigabyte_of_zeros_declared_honestly_is_refused_too() -> None:
    bomb = with_member("word/media/image1.png", 8, zeros_deflated(GIB), zlib.crc32(b""), GIB)
    with pytest.raises(InputTooLarge, match="ZIP bomb"):
        open_docx(bomb, limits=LIMITS, name="x.docx")


def test_a_member_that_inflates_past_the_unpacked_cap_is_refused() -> None:
    # Ratio is fine (random-ish data), size is not.
    blob = bytes(range(256)) * 4096  # 1 MiB
    data = with_member("word/media/big.bin", 0, blob, zlib.crc32(blob), len(blob))
    with pytest.raises(InputTooLarge, match="docx_unpacked_bytes"):
        open_docx(data, limits=Limits(docx_unpacked_bytes=500_000), name="x.docx")


def test_members_that_overlap_in_the_file_are_refused() -> None:
    data = bytearray(docx(p("Some text.")))
    # Point the second central entry at the first local header: the overlapping-files bomb.
    first = data.index(b"PK\x01\x02")
    second = data.index(b"PK\x01\x02", first + 1)
    struct.pack_into("<I", data, second + 42, 0)
    with pytest.raises(InputError, match="files inside the archive overlap"):
        open_docx(bytes(data), limits=LIMITS, name="x.docx")


def test_too_many_members_are_refused_before_they_are_read() -> None:
    members: list[tuple[str, str | bytes]] = [(f"word/media/{i}.txt", b"x") for i in range(12)]
    with pytest.raises(InputTooLarge, match=r"x\.docx: 12 files inside this Word file, over the limit of 10"):
        read_archive(zip_members(members), limits=Limits(docx_members=10), name="x.docx")


def test_a_file_over_the_size_cap_is_refused_unread() -> None:
    with pytest.raises(InputTooLarge, match=r"big\.docx: .* over the 1,000-byte limit \(docx_file_bytes\)"):
        open_docx(docx(p("x" * 5000)), limits=Limits(docx_file_bytes=1000), name="big.docx")


@pytest.mark.parametrize(
    ("data", "error", "words"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), UnsupportedFormat, "encrypted .password-protected"),
        (b"Dear colleagues, this is plain text.", UnsupportedFormat, "not a ZIP package"),
        (b"%PDF-1.7\n...", UnsupportedFormat, "a PDF file"),
        (b"{\\rtf1\\ansi hello}", UnsupportedFormat, "an RTF file"),
        (b"PK\x05\x06" + bytes(18), InputError, "empty ZIP archive"),
    ],
)
def test_what_is_not_a_docx_is_refused_saying_what_it_is(data: bytes, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=rf"^report\.docx: .*{words}"):
        open_docx(data, limits=LIMITS, name="report.docx")


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_a_truncated_file_is_refused_as_damaged(keep: float) -> None:
    data = docx(p("Some text that fills the document a little. " * 50))
    with pytest.raises(InputError, match=r"x\.docx: a (damaged|truncated)"):
        open_docx(data[: int(len(data) * keep)], limits=LIMITS, name="x.docx")


def test_a_member_whose_bytes_do_not_match_its_checksum_is_refused() -> None:
    data = with_member("word/media/a.bin", 0, b"hello", 12345, 5)
    with pytest.raises(InputError, match="checksum"):
        open_docx(data, limits=LIMITS, name="x.docx")


def test_two_members_with_one_name_in_two_cases_are_refused() -> None:
    data = with_member("WORD/document.xml", 0, b"<x/>", zlib.crc32(b"<x/>"), 4)
    with pytest.raises(InputError, match="two files named"):
        open_docx(data, limits=LIMITS, name="x.docx")


def test_a_method_word_never_writes_is_refused() -> None:
    data = with_member("word/media/a.bin", 12, b"BZh9", 0, 4)
    with pytest.raises(UnsupportedFormat, match="compression method 12"):
        open_docx(data, limits=LIMITS, name="x.docx")


def test_writing_keeps_names_order_and_methods_and_gives_the_same_bytes_every_time() -> None:
    members = [
        Member("[Content_Types].xml", b"<Types/>", zipfile.ZIP_DEFLATED),
        Member("word/media/b.png", b"\x89PNG....", zipfile.ZIP_STORED),
        Member("word/a.xml", b"<a/>" * 100, zipfile.ZIP_DEFLATED),
    ]
    first = write_archive(members)
    assert write_archive(members) == first
    assert read_archive(first, limits=LIMITS, name="x") == tuple(members)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert [(i.filename, i.compress_type, i.date_time) for i in archive.infolist()] == [
            (m.name, m.compress_type, (1980, 1, 1, 0, 0, 0)) for m in members
        ]


@pytest.mark.parametrize("cap", ["docx_file_bytes", "docx_unpacked_bytes", "docx_members"])
def test_a_word_cap_must_be_positive(cap: str) -> None:
    with pytest.raises(ValueError, match="positive"):
        Limits(**{cap: 0})


def test_word_xml_that_repeats_itself_is_not_mistaken_for_a_bomb() -> None:
    # 200,000 like runs deflate about 300:1; a bomb of repeated bytes runs near 1,000:1.
    data = docx(p(*[f"<w:r><w:t>{w}</w:t></w:r>" for w in ["wo", "rd"] * 100_000]))
    assert docx_text(data, limits=LIMITS, name="x.docx") == "word" * 100_000


def test_a_member_claiming_a_zip_version_zipfile_cannot_read_is_a_damaged_file() -> None:
    """Found by the fuzz test: "zip file version 6.4" came out of zipfile as NotImplementedError."""
    data = bytearray(docx([p("Hello")]))
    central = data.rfind(b"PK\x01\x02")
    data[central + 6 : central + 8] = struct.pack("<H", 64)  # version needed to extract: 6.4
    with pytest.raises(InputError, match="damaged or truncated"):
        docx_text(bytes(data), limits=Limits(), name="leak.docx")
