"""Every size cap Barium applies, in one value object, and the one check every text passes.

>>> limits = Limits.from_settings(settings)                        # doctest: +SKIP
>>> text = limits.check_text(raw, kind="document", name="plan.md")  # doctest: +SKIP

Caps are in bytes (UTF-8 for text), each named after the setting that sets it.
The detector's caps are derived from the text caps, never set on their own: a
text's characters never outnumber its UTF-8 bytes, nor its words its characters,
so whatever passed its own cap also fits the detector, and a master or a public
text that was accepted can never make a later scan fail.

What is binary is judged on bytes (:func:`looks_binary`), over the whole input;
text is never refused for its characters: :func:`clean_text` drops the stray
control characters a hostile page or a bad export carries, and every text is
cleaned the same way whether it is registered, scanned or traced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from barium.errors import InputError, InputTooLarge

if TYPE_CHECKING:
    from barium.settings import Settings

__all__ = ["BINARY_SHARE", "Limits", "SizeKind", "TextKind", "clean_text", "looks_binary", "over_cap"]

TextKind = Literal["document", "leak", "public", "article"]
SizeKind = TextKind | Literal["csv", "archive"]

# C0 controls other than tab, line feed, form feed and carriage return, DEL and the C1
# controls: no text means them, and Python's str.splitlines reads some as line breaks.
_CONTROL_CHARS = "\x00-\x08\x0b\x0e-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]")
# Those that str.splitlines and word processors use as line or record breaks become one.
_BREAKS = str.maketrans({"\x0b": "\n", "\x1c": "\n", "\x1d": "\n", "\x1e": "\n", "\x85": "\n"})
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32), 127])
# What starts a word for barium.text.tokenize: a text without one has nothing to index.
_WORD = re.compile(r"[^\W_]")
# Over this share of control bytes (or any NUL byte), data is binary, not text.
BINARY_SHARE = 0.02


def looks_binary(data: bytes | str) -> bool:
    """True for data with a NUL anywhere, or with over 2% control bytes (characters) in all.

    Text that went through :func:`clean_text` never looks binary.
    """
    if isinstance(data, str):
        return "\x00" in data or len(_CONTROL.findall(data)) > BINARY_SHARE * len(data)
    if b"\x00" in data:
        return True
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return controls > BINARY_SHARE * len(data)


def clean_text(text: str) -> str:
    """``text`` without stray control characters (record and line separators become
    line breaks); every other character, invisible ones included, is kept."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub("", text.translate(_BREAKS))


def over_cap(size: int, cap: int, *, name: str, setting: str) -> InputTooLarge:
    """The error for ``size`` bytes over ``cap``: it names the input, its size and the setting."""
    return InputTooLarge(f"{name}: {size:,} bytes, over the {cap:,}-byte limit ({setting})")


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Size caps in bytes. Build with :meth:`from_settings`; the defaults are the packaged ones.

    document_bytes
        A master (``doc add``, ``doc update``): ``max_document_bytes``.
    leak_bytes
        A leak to trace, a scanned file, one WARC record or JSON Lines line: ``max_leak_bytes``.
    public_bytes
        A published text (``public add``): ``max_public_bytes``.
    article_bytes
        A fetched response, decoded, and the article text from it: ``watch_max_bytes``.
    csv_bytes
        A recipients CSV: ``max_csv_bytes``.
    archive_bytes
        Decompressed bytes read from one WARC or JSON Lines file: ``max_archive_bytes``.
    max_ratio
        Decompressed / compressed size past which a body or a WARC record is a bomb.
    docx_file_bytes
        A Word (.docx) file as given, master or leak: pictures make these far larger than
        their text, which is still held to ``document_bytes`` or ``leak_bytes``.
    docx_unpacked_bytes
        All members of one Word file, decompressed (counted while inflating, never
        taken from the sizes the file declares): the whole package is held in memory.
    docx_members
        Members (parts) of one Word file; Word writes a few dozen, one per picture more.
    docx_max_ratio
        Decompressed / compressed bytes (so far) past which a member of a Word file is a
        bomb, judged after its first MiB. Higher than ``max_ratio``: Word XML that repeats
        itself (a long table of like cells) deflates 150-300:1, while a deflate bomb of
        repeated bytes runs at about 1,000:1; ``docx_unpacked_bytes`` bounds what lies between.

    pdf_file_bytes
        A PDF leak as given: a scan saved as PDF is pictures, far larger than its text.
    pdf_pages
        Pages of one PDF leak, read from ``pdfinfo`` before any page is read.
    image_file_bytes
        An image leak (PNG, JPEG, TIFF) as given.
    image_pixels
        Pixels of one page image, judged on the size its header declares before it is
        decoded, and of a PDF page before it is rasterised: an A4 page at 600 dpi is 35
        million. Decoded to 8-bit grey and straightened, a page costs about 4 bytes a pixel.
    image_frames
        Page images OCR'd for one leak: the frames of a TIFF, the pages of a PDF without
        a text layer. OCR takes seconds a page; this bounds the time a leak can cost.
    tool_seconds
        Wall-clock seconds one run of an external program (Tesseract, poppler) may take.
    tool_memory_bytes
        Address space of one external program run (``RLIMIT_AS``), and the largest file it
        may write (``RLIMIT_FSIZE``: a rendered page).
    tool_output_bytes
        What one external program run may print (the text of a PDF, Tesseract's words).
    joint_leaks
        Leaks one joint trace takes together (``barium trace A B C --joint``): each is
        read and aligned to every version it may come from.

    The ``docx_``, ``pdf_``, ``image_``, ``tool_`` and ``joint_`` caps are not settings yet: they bound
    memory and time, not policy.
    """

    document_bytes: int = 10_000_000
    leak_bytes: int = 5_000_000
    public_bytes: int = 10_000_000
    article_bytes: int = 10_000_000
    csv_bytes: int = 50_000_000
    archive_bytes: int = 2_000_000_000
    max_ratio: float = 100.0
    docx_file_bytes: int = 50_000_000
    docx_unpacked_bytes: int = 200_000_000
    docx_members: int = 2_000
    docx_max_ratio: float = 500.0
    pdf_file_bytes: int = 100_000_000
    pdf_pages: int = 200
    image_file_bytes: int = 50_000_000
    image_pixels: int = 50_000_000
    image_frames: int = 50
    tool_seconds: float = 120.0
    tool_memory_bytes: int = 2_000_000_000
    tool_output_bytes: int = 50_000_000
    joint_leaks: int = 50

    def __post_init__(self) -> None:
        caps = (
            self.docx_file_bytes,
            self.docx_unpacked_bytes,
            self.docx_members,
            self.document_bytes,
            self.leak_bytes,
            self.public_bytes,
            self.article_bytes,
            self.csv_bytes,
            self.archive_bytes,
            self.pdf_file_bytes,
            self.pdf_pages,
            self.image_file_bytes,
            self.image_pixels,
            self.image_frames,
            self.tool_memory_bytes,
            self.tool_output_bytes,
            self.joint_leaks,
        )
        if min(caps) <= 0 or self.tool_seconds <= 0 or self.max_ratio < 1 or self.docx_max_ratio < 1:
            raise ValueError("size caps must be positive and max_ratio at least 1")

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            document_bytes=settings.max_document_bytes,
            leak_bytes=settings.max_leak_bytes,
            public_bytes=settings.max_public_bytes,
            article_bytes=settings.watch_max_bytes,
            csv_bytes=settings.max_csv_bytes,
            archive_bytes=settings.max_archive_bytes,
        )

    @property
    def text_chars(self) -> int:
        """The detector's character cap: the largest text cap (a character is at least a byte)."""
        return max(self.document_bytes, self.leak_bytes, self.public_bytes, self.article_bytes)

    @property
    def text_words(self) -> int:
        """The detector's word cap (a word is at least a character)."""
        return self.text_chars

    def cap(self, kind: SizeKind) -> tuple[int, str]:
        """(cap in bytes, setting name) for one kind of input."""
        return {
            "document": (self.document_bytes, "max_document_bytes"),
            "leak": (self.leak_bytes, "max_leak_bytes"),
            "public": (self.public_bytes, "max_public_bytes"),
            "article": (self.article_bytes, "watch_max_bytes"),
            "csv": (self.csv_bytes, "max_csv_bytes"),
            "archive": (self.archive_bytes, "max_archive_bytes"),
        }[kind]

    def check_size(self, size: int, kind: SizeKind, *, name: str) -> None:
        """Raise :class:`InputTooLarge` when ``size`` bytes are over the cap of ``kind``."""
        cap, setting = self.cap(kind)
        if size > cap:
            raise over_cap(size, cap, name=name, setting=setting)

    def check_text(self, text: str, kind: TextKind, *, name: str) -> str:
        """The one check of every text registered, scanned or traced: its UTF-8 size
        against the cap of ``kind`` (:class:`InputTooLarge`), then :func:`clean_text`;
        a stored text (a document or a public text) must also have a word
        (:class:`InputError`), or the detector could not index it.

        The result passes this check again unchanged, so what was stored never fails later.
        """
        cap, _ = self.cap(kind)
        # Four bytes at most per character: a text short enough in characters needs no encoding.
        if len(text) * 4 > cap:
            self.check_size(len(text.encode("utf-8", "surrogatepass")), kind, name=name)
        cleaned = clean_text(text)
        if kind in ("document", "public") and _WORD.search(cleaned) is None:
            raise InputError(f"{name}: no words in this text")
        return cleaned
