"""Writing files so that a crash never leaves half of one, and cells no spreadsheet will run."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMP_PREFIX = ".tmp-"  # what a killed write leaves behind, for callers that sweep a folder


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file beside ``path``, fsync, then rename over it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """The cell as text a spreadsheet shows but never evaluates: a leading ``'`` when it could be a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell
