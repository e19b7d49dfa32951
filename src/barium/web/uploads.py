"""Uploaded files: read against the cap of what they are for, and handed to the services
as bytes or as a file in a private temporary folder (the services read masters and
CSV files from paths). The name a browser sends is used for its extension only.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import UploadFile

from barium.errors import InputError
from barium.limits import Limits, SizeKind

CHUNK = 1 << 16
_SUFFIX = re.compile(r"\.[a-z0-9]{1,10}")


def safe_name(upload: UploadFile, fallback: str = "upload") -> str:
    """The file's name for records (no folders, no control characters), at most 200 characters."""
    raw = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(c for c in raw if c.isprintable())[:200].strip()
    return clean or fallback


def extension(name: str) -> str:
    """A file name's extension when it is a plain one (``.pdf``), else empty: safe in a header or a path."""
    found = Path(name).suffix.lower()
    return found if _SUFFIX.fullmatch(found) else ""


def suffix_of(upload: UploadFile) -> str:
    return extension(safe_name(upload))


async def read_upload(upload: UploadFile, limits: Limits, kind: SizeKind) -> bytes:
    """The whole file, refused as soon as it passes the cap for ``kind``."""
    cap, _ = limits.cap(kind)
    parts: list[bytes] = []
    size = 0
    while chunk := await upload.read(CHUNK):
        size += len(chunk)
        if size > cap:
            limits.check_size(size, kind, name=safe_name(upload))
        parts.append(chunk)
    if not size:
        raise InputError(f"{safe_name(upload)} is empty")
    return b"".join(parts)


@contextmanager
def as_file(data: bytes, name: str) -> Iterator[Path]:
    """The bytes as a file called ``name`` (its messages quote it; mode 0600, in a folder
    only this user can enter), removed afterwards."""
    clean = Path(name.replace("\\", "/")).name.strip()
    if clean in ("", ".", "..") or "\x00" in clean:
        clean = "upload"
    with tempfile.TemporaryDirectory(prefix="barium-upload-") as folder:
        path = Path(folder) / clean[:200]
        path.write_bytes(data)
        path.chmod(0o600)
        yield path
