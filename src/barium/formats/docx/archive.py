"""A Word file's ZIP container: read within bounds, written byte for byte the same every time.

A .docx is hostile input like any master or leak (docs/limits.md). Nothing the
archive declares is trusted: the number of members is checked before Python's
zipfile builds an object for each, every member is inflated here in steps of
64 KiB while its output and the compressed bytes it consumed are counted, and
the total, the per-member ratio and the CRC are judged on what came out. A
member's compressed size is believed only as the length of its slice of the
file, and slices may not overlap (the overlapping-entries bomb). So a bomb is
refused after at most one step past a cap, in bounded memory.

Writing uses fixed timestamps and attributes, keeps every member's name, order
and compression method, and deflates at one level, so the same members always
give the same bytes.
"""

from __future__ import annotations

import io
import itertools
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from barium.errors import InputError, InputTooLarge, UnsupportedFormat
from barium.limits import Limits, over_cap

__all__ = ["Member", "read_archive", "write_archive"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGIC = b"PK\x03\x04"  # a local file header: how every ZIP (and so every .docx) begins
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_MAX_COMMENT = 0xFFFF
_STEP = 64 * 1024  # largest output of one inflate call, and largest input slice fed
_RATIO_FLOOR = 1024 * 1024  # small parts may compress very well; judge ratios only past this
# The DOS epoch: zip has no earlier date, and any fixed one keeps copies identical.
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_LEVEL = 6  # zlib's default level, named so that it never changes with a default
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
# Magic numbers of files that are often renamed to .docx, to say what they are.
_LOOKALIKES = ((b"%PDF", "a PDF file"), (b"{\\rtf", "an RTF file"), (b"<?xml", "an XML file (Word 2003 XML?)"))


@dataclass(frozen=True, slots=True)
class Member:
    """One file inside the ZIP container: its name, its bytes, stored or deflated."""

    name: str
    data: bytes
    compress_type: int


def read_archive(data: bytes, *, limits: Limits, name: str) -> tuple[Member, ...]:
    """The members of the ZIP file ``data``, in archive order, fully inflated.

    Raises :class:`UnsupportedFormat` for what is not a ZIP package (an OLE file:
    an encrypted .docx or a legacy .doc), :class:`InputTooLarge` past a cap of
    ``limits`` (``docx_file_bytes``, ``docx_members``, ``docx_unpacked_bytes``,
    ``docx_max_ratio``) and :class:`InputError` for a damaged archive. Every message
    starts with ``name``.
    """
    _check_kind(data, name=name)
    if len(data) > limits.docx_file_bytes:
        raise over_cap(len(data), limits.docx_file_bytes, name=name, setting="docx_file_bytes")
    _check_declared_count(data, limits=limits, name=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    # NotImplementedError: a member claims a ZIP version or feature zipfile does not read
    # ("zip file version 6.4"), which a damaged or hostile file can say.
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        ValueError,
        struct.error,
        NotImplementedError,
    ) as exc:
        raise InputError(f"{name}: a damaged or truncated Word file ({exc})") from None
    if len(infos) > limits.docx_members:
        raise _too_many(len(infos), limits, name)
    if not infos:
        raise InputError(f"{name}: an empty ZIP archive, not a Word document")
    _check_names(infos, name=name)
    slices = _slices(data, infos, name=name)
    members: list[Member] = []
    budget = limits.docx_unpacked_bytes
    for info, (start, end) in zip(infos, slices, strict=True):
        content = _inflate(data, start, end, info, budget=budget, limits=limits, name=name)
        budget -= len(content)
        members.append(Member(info.filename, content, info.compress_type))
    return tuple(members)


def write_archive(members: Iterable[Member]) -> bytes:
    """A ZIP file of ``members`` in the order given, identical for identical members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for member in members:
            info = zipfile.ZipInfo(member.name, date_time=_FIXED_TIME)
            # zipfile's defaults depend on the platform (create_system) or the name
            # (directory attributes): fixed here so that every machine writes the same.
            info.create_system = 0
            info.external_attr = 0
            info.compress_type = member.compress_type
            level = _LEVEL if member.compress_type == zipfile.ZIP_DEFLATED else None
            archive.writestr(info, member.data, compresslevel=level)
    return out.getvalue()


def _check_kind(data: bytes, *, name: str) -> None:
    if data.startswith(OLE_MAGIC):
        # Word saves a password-protected .docx inside an OLE compound file, like a .doc.
        raise UnsupportedFormat(
            f"{name}: an encrypted (password-protected) Word document or a legacy Word 97-2003 .doc file. "
            "Remove the password (File > Info > Protect Document), or save it as a Word Document (.docx), "
            "then try again"
        )
    if not data.startswith(b"PK"):
        for magic, what in _LOOKALIKES:
            if data.lstrip()[: len(magic)].lower() == magic.lower():
                raise UnsupportedFormat(f"{name}: {what}, not a Word .docx file")
        raise UnsupportedFormat(f"{name}: not a Word .docx file (not a ZIP package)")


def _check_declared_count(data: bytes, *, limits: Limits, name: str) -> None:
    """Refuse a central directory that declares too many entries before zipfile reads it.

    zipfile builds one object per entry; a 50 MB file can declare a million.
    """
    at = data.rfind(_EOCD, max(0, len(data) - _EOCD_SIZE - _MAX_COMMENT))
    if at < 0 or at + _EOCD_SIZE > len(data):
        raise InputError(f"{name}: a damaged or truncated Word file (no ZIP central directory)")
    (count,) = struct.unpack_from("<H", data, at + 10)
    # 0xFFFF means "see the ZIP64 record": zipfile reads that one, counted after.
    if count != 0xFFFF and count > limits.docx_members:
        raise _too_many(count, limits, name)


def _too_many(count: int, limits: Limits, name: str) -> InputTooLarge:
    return InputTooLarge(
        f"{name}: {count:,} files inside this Word file, over the limit of {limits.docx_members:,} (docx_members)"
    )


def _check_names(infos: list[zipfile.ZipInfo], *, name: str) -> None:
    # Part names are case-insensitive (OPC): two spellings of one name would let
    # different readers see different documents.
    seen: set[str] = set()
    for info in infos:
        key = info.filename.casefold()
        if key in seen:
            raise InputError(f"{name}: two files named {info.filename!r} inside the archive; refused")
        seen.add(key)
        if info.flag_bits & 0x1:
            raise UnsupportedFormat(f"{name}: {info.filename} is encrypted inside the ZIP archive; not a Word document")
        if info.compress_type not in _METHODS:
            raise UnsupportedFormat(
                f"{name}: {info.filename} uses ZIP compression method {info.compress_type}, which Word never writes"
            )


def _slices(data: bytes, infos: list[zipfile.ZipInfo], *, name: str) -> list[tuple[int, int]]:
    """Where each member's compressed bytes lie in ``data``; no two may overlap."""
    slices: list[tuple[int, int]] = []
    for info in infos:
        at = info.header_offset
        if at < 0 or at + 30 > len(data) or data[at : at + 4] != ZIP_MAGIC:
            raise InputError(f"{name}: a damaged Word file ({info.filename}: no local header)")
        name_len, extra_len = struct.unpack_from("<HH", data, at + 26)
        start = at + 30 + name_len + extra_len
        end = start + info.compress_size
        if end > len(data):
            raise InputError(f"{name}: a truncated Word file ({info.filename} is cut short)")
        slices.append((start, end))
    ordered = sorted(zip(infos, slices, strict=True), key=lambda pair: pair[0].header_offset)
    for (_, (_, end)), (info, _) in itertools.pairwise(ordered):
        if info.header_offset < end:
            raise InputError(
                f"{name}: files inside the archive overlap ({info.filename}): a ZIP bomb or a damaged file"
            )
    return slices


def _inflate(
    data: bytes, start: int, end: int, info: zipfile.ZipInfo, *, budget: int, limits: Limits, name: str
) -> bytes:
    """One member's content, refused as soon as it passes ``budget`` bytes or inflates
    over ``limits.docx_max_ratio`` times the compressed bytes consumed so far."""
    raw = memoryview(data)[start:end]
    if info.compress_type == zipfile.ZIP_STORED:
        content = bytes(raw)
        _check_budget(len(content), budget, limits, name)
    else:
        content = _inflate_deflated(raw, info, budget=budget, limits=limits, name=name)
    if zlib.crc32(content) != info.CRC:
        raise InputError(f"{name}: a damaged Word file ({info.filename} fails its checksum)")
    return content


def _inflate_deflated(raw: memoryview, info: zipfile.ZipInfo, *, budget: int, limits: Limits, name: str) -> bytes:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    parts: list[bytes] = []
    produced = fed = 0
    pending = b""
    try:
        while not inflater.eof:
            if not pending and fed < len(raw):
                pending = bytes(raw[fed : fed + _STEP])
                fed += len(pending)
            out = inflater.decompress(pending, _STEP)
            pending = inflater.unconsumed_tail
            if not out and not pending and fed >= len(raw):
                break
            produced += len(out)
            _check_budget(produced, budget, limits, name)
            consumed = fed - len(pending)
            if produced > _RATIO_FLOOR and produced > limits.docx_max_ratio * consumed:
                raise InputTooLarge(
                    f"{name}: {info.filename} inflates over {limits.docx_max_ratio:g}:1 (likely a ZIP bomb); refused"
                )
            parts.append(out)
    except zlib.error as exc:
        raise InputError(f"{name}: a damaged Word file ({info.filename}: {exc})") from None
    if not inflater.eof:
        raise InputError(f"{name}: a truncated Word file ({info.filename} is cut short)")
    return b"".join(parts)


def _check_budget(produced: int, budget: int, limits: Limits, name: str) -> None:
    if produced > budget:
        raise InputTooLarge(
            f"{name}: over {limits.docx_unpacked_bytes:,} bytes once decompressed (docx_unpacked_bytes); refused"
        )
