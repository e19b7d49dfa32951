"""PDF pages of Word copies, through LibreOffice (``soffice --headless --convert-to pdf``).

LibreOffice lays a Word file out as Word would, and its PDF keeps the copy's text
marks in the text layer. Two things make it fit for copies:

* **Repeatable bytes.** LibreOffice stamps each PDF with the moment of conversion
  (``/CreationDate``) and a random file identifier (``/ID``, and ``/DocChecksum``);
  the rest of the file is the same for the same Word file (research/pdf-layout).
  Those values are replaced, at their own length so the cross-reference offsets
  stay right, by a fixed date and by a digest of the rest: the same copy converted
  twice is the same file, and no conversion moment tells two copies apart.
* **One program start per batch.** Starting LibreOffice costs about two seconds;
  a batch of copies converts in one start (0.4 s a copy, measured on 20).

Each run gets a profile folder of its own, so conversions may run side by side.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from barium.errors import InputError, UnsupportedFormat
from barium.formats.image.run import run_tool
from barium.limits import Limits

_DATE = re.compile(rb"/(CreationDate|ModDate)\(D:\d{14}")
_ID = re.compile(rb"/ID \[ <[0-9A-F]{32}>(\s*)<[0-9A-F]{32}> \]")
_CHECKSUM = re.compile(rb"/DocChecksum /[0-9A-F]{32}")


def office_program() -> str:
    """LibreOffice's command, or :class:`UnsupportedFormat` saying how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise UnsupportedFormat("PDF copies of Word masters need LibreOffice (libreoffice-writer-nogui): make sysdeps")


def docx_to_pdf(files: Sequence[bytes], *, limits: Limits) -> list[bytes]:
    """The PDF of each Word file, in order, with repeatable bytes (see the module docstring).

    LibreOffice runs under the one runner of external programs (its deadline, memory
    and output caps: ``limits.tool_*``)."""
    if not files:
        return []
    program = office_program()
    with tempfile.TemporaryDirectory(prefix="barium-office-") as tmp:
        folder = Path(tmp)
        names = [folder / f"copy{i:05d}.docx" for i in range(len(files))]
        for path, data in zip(names, files, strict=True):
            path.write_bytes(data)
        args = [
            program,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "pdf"),
            *map(str, names),
        ]
        done = run_tool(args, limits=limits, name=f"{len(files)} Word copies", check=False)
        out = [folder / "pdf" / (n.stem + ".pdf") for n in names]
        missing = [p.name for p in out if not p.is_file()]
        if done.returncode != 0 or missing:
            why = done.stderr.strip()[:300] or f"no PDF for {', '.join(missing[:3])}"
            raise InputError(f"LibreOffice could not convert the Word copies to PDF: {why}")
        return [repeatable(p.read_bytes()) for p in out]


def repeatable(pdf: bytes) -> bytes:
    """``pdf`` with LibreOffice's conversion moment and random identifiers made fixed."""
    pdf = _DATE.sub(lambda m: b"/" + m.group(1) + b"(D:20000101000000", pdf)
    digest = hashlib.md5(_CHECKSUM.sub(b"", _ID.sub(b"", pdf)), usedforsecurity=False).hexdigest().upper().encode()
    pdf = _ID.sub(lambda m: b"/ID [ <" + digest + b">" + m.group(1) + b"<" + digest + b"> ]", pdf)
    return _CHECKSUM.sub(b"/DocChecksum /" + digest, pdf)
