"""Results of service calls, as plain data."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    id: int
    title: str
    version: int
    version_id: int
    format: str
    sites: int
    created_at: datetime
    versions: int = 1
    channels: dict[str, int] = field(default_factory=dict)  # sites per channel

    def sites_summary(self) -> str:
        """``"412 mark sites: 22 variants, 60 orthography, ..."``, for people."""
        parts = ", ".join(f"{n} {name}" for name, n in self.channels.items() if n)
        return f"{self.sites} mark sites" + (f": {parts}" if parts else "")

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "format": self.format,
            "sites": self.sites,
            "channels": dict(self.channels),
            "versions": self.versions,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class RecipientInfo:
    id: int
    name: str
    email: str | None
    extra: dict[str, str] = field(default_factory=dict)
    uid: str = ""  # the code identity their codewords derive from (minted once, never reused)
    removed_at: datetime | None = None  # removed: no new copies; their history stays

    @property
    def removed(self) -> bool:
        return self.removed_at is not None

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            **({"extra": self.extra} if self.extra else {}),
            **({"removed_at": self.removed_at.isoformat()} if self.removed_at else {}),
        }


@dataclass(frozen=True, slots=True)
class IssuedCopy:
    """One recipient's copy: its text (what a reader sees), and its bytes (the file)."""

    recipient: RecipientInfo
    text: str
    sha256: str  # of ``data``
    file: str | None = None
    data: bytes = b""

    def to_dict(self) -> dict[str, object]:
        return {
            "recipient": self.recipient.name,
            "recipient_id": self.recipient.id,
            "email": self.recipient.email,
            "file": self.file,
            "sha256": self.sha256,
        }


@dataclass(frozen=True, slots=True)
class IssuedRecord:
    """One copy handed out, as the database records it."""

    recipient: str
    email: str | None
    version: int
    file: str | None
    sha256: str
    issued_at: datetime
    removed: bool = False  # the recipient has since been removed (their history stays)

    def to_dict(self) -> dict[str, object]:
        return {
            "recipient": self.recipient,
            "email": self.email,
            "version": self.version,
            "file": self.file,
            "sha256": self.sha256,
            "issued_at": self.issued_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class IssueReport:
    document: DocumentInfo
    copies: list[IssuedCopy]
    manifest: str | None
    words: int
    words_changed_share: float  # mean share of master words visibly changed per copy
    # Copies identical to another recipient's: the document has too few mark sites
    # to give everyone a copy of their own, and a leak of one cannot tell them apart.
    identical_copies: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "document": {
                "id": self.document.id,
                "title": self.document.title,
                "version": self.document.version,
            },
            "copies": [c.to_dict() for c in self.copies],
            "manifest": self.manifest,
            "words": self.words,
            "words_changed_share": round(self.words_changed_share, 5),
            "identical_copies": self.identical_copies,
        }


@dataclass(frozen=True, slots=True)
class SiteRow:
    index: int
    channel: str
    rule: str
    paragraph: int
    start: int
    end: int
    line: int
    column: int
    master: str
    forms: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class SitesReport:
    document: DocumentInfo
    sites: list[SiteRow]
    words: int
    per_channel: dict[str, int]
    code_length: int
    slots: int

    def to_dict(self) -> dict[str, object]:
        return {
            "document": {
                "id": self.document.id,
                "title": self.document.title,
                "version": self.document.version,
            },
            "words": self.words,
            "code_length": self.code_length,
            "slots": self.slots,
            "per_channel": self.per_channel,
            "sites": [s.to_dict() for s in self.sites],
        }
