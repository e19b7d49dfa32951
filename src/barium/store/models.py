"""Database tables. Portable SQL only: SQLite by default, PostgreSQL for teams."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uid() -> str:
    """A code identity minted once and never reused: 128 random bits, in hex.

    A copy's code derives from the key and these identities, never from integer
    ids, which a database restored from a backup hands out again. Rows made before
    identities existed keep their legacy identity (the integer id, or
    ``document:version``), which 32 hex digits can never equal.
    """
    return secrets.token_hex(16)


class UTCDateTime(TypeDecorator[datetime]):
    """A moment stored with its time zone (UTC) and read back as an aware datetime.

    PostgreSQL keeps ``timestamptz``; SQLite has no time zones, so the value is
    stored in UTC and the zone is restored on reading.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        # A naive moment is taken to be UTC already (every clock in Barium is UTC).
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime}


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.version"
    )


class DocumentVersion(Base):
    """One master text. Its site list is frozen here so that copies issued from it
    stay re-derivable and traceable whatever later releases change in the rules."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)  # the code's identity
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(500), default="")
    content: Mapped[str] = mapped_column(Text)  # the clean master: author variants at their first wording
    sha256: Mapped[str] = mapped_column(String(64), index=True)  # of the file as registered, markup included
    options: Mapped[str] = mapped_column(Text, default="{}")  # JSON: disabled channels and rules
    sites: Mapped[str] = mapped_column(Text)  # JSON site list (marking.sites_to_json)
    code_params: Mapped[str] = mapped_column(Text)  # JSON: repetition, cutoff, uniform share
    # The clean master file copies are written from, when it is more than ``content`` (DOCX);
    # loaded only when asked for (``undefer``): tracing reads every version's text, not its file.
    source: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    # JSON: the fixed line breaks of its PDF copies (formats.layout), when they carry word shifts.
    layout: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    document: Mapped[Document] = relationship(back_populates="versions")


class Recipient(Base):
    """A person copies go to. Namesakes are allowed; an e-mail address names one person.

    ``uid`` is the identity their codewords derive from; a removed recipient keeps
    their row (and so their issuance history), marked by ``removed_at``.
    """

    __tablename__ = "recipients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    email_key: Mapped[str | None] = mapped_column(String(320), unique=True, nullable=True)
    extra: Mapped[str] = mapped_column(Text, default="{}")  # JSON: other CSV columns
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(nullable=True)


class Issuance(Base):
    """A copy handed out. Written and committed before the copy's bytes leave Barium.

    ``fingerprint`` is a digest of the copy's codeword: two recipients of one
    version must never share one (issuing refuses), whatever the database forgot.
    It is empty for copies issued before fingerprints were recorded.
    """

    __tablename__ = "issuances"
    __table_args__ = (UniqueConstraint("version_id", "recipient_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipients.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64), default="", index=True)
    file: Mapped[str] = mapped_column(String(500), default="")  # the copy's file name, when written
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)


class WatchSource(Base):
    """A feed or page that `barium watch run` polls."""

    __tablename__ = "watch_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    every_seconds: Mapped[int] = mapped_column(Integer, default=900)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_run_at: Mapped[datetime | None] = mapped_column(nullable=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    next_retry_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class FetchValidator(Base):
    """HTTP cache validators per fetched URL (ETag, Last-Modified)."""

    __tablename__ = "fetch_validators"

    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    etag: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    last_modified: Mapped[str | None] = mapped_column(String(200), nullable=True)


class SeenItem(Base):
    """An item already processed, by URL or by content hash: processed once only."""

    __tablename__ = "seen_items"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "url" or "hash"
    key: Mapped[str] = mapped_column(String(2000))
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class Alert(Base):
    """A published text that contains passages of a protected document."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("article_hash", "document_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(2000))
    url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    title: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    published: Mapped[datetime | None] = mapped_column(nullable=True)
    article_hash: Mapped[str] = mapped_column(String(64), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    score: Mapped[float] = mapped_column(Float)
    spans: Mapped[str] = mapped_column(Text)  # JSON list of spans
    trace: Mapped[str] = mapped_column(Text)  # JSON: the trace result of the matched text
    verdict: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class PublicText(Base):
    """Text the author made public (a press statement): passages of it raise no alert."""

    __tablename__ = "public_texts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    content: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """One action: who did it, what, to what. Written in the action's own transaction
    (:class:`barium.services.unit.UnitOfWork`), so the two commit together or not at all.

    ``seq`` is its place in the Merkle log (from 0, no gaps), ``leaf`` its RFC 6962 leaf
    hash, ``root`` the tree's root after it and ``seal`` a keyed MAC over the three
    (:mod:`barium.audit`). Rows written before the log was sealed get them at upgrade.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int | None] = mapped_column(Integer, index=True, unique=True, nullable=True)
    leaf: Mapped[str | None] = mapped_column(String(64), nullable=True)
    root: Mapped[str | None] = mapped_column(String(64), nullable=True)
    seal: Mapped[str | None] = mapped_column(String(64), nullable=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text)  # JSON object


class Case(Base):
    """An investigation of a leak: its state on the referral chain (:mod:`barium.cases`),
    who has it and by when, and its finding once closed. Never deleted."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(80), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id"), nullable=True)
    assignee: Mapped[str | None] = mapped_column(String(200), nullable=True)
    due: Mapped[datetime | None] = mapped_column(nullable=True)
    finding: Mapped[str | None] = mapped_column(String(80), nullable=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_by: Mapped[str] = mapped_column(String(230))
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)


class CaseEvent(Base):
    """One step in a case's history: who, when, what, why; ``audit_seq`` is the audit
    entry written with it, whose inclusion proof a report cites."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(230))
    kind: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str | None] = mapped_column(String(80), nullable=True)
    to_state: Mapped[str | None] = mapped_column(String(80), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[str] = mapped_column(Text, default="{}")  # JSON object
    audit_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)


class EvidenceBlob(Base):
    """The bytes of an item of evidence, stored once under their SHA-256 and never changed."""

    __tablename__ = "evidence_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseEvidence(Base):
    """An item of evidence in a case's custody: which bytes, received when, from whom, from where.
    The same bytes attached to one case twice are one item."""

    __tablename__ = "case_evidence"
    __table_args__ = (UniqueConstraint("case_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("evidence_blobs.sha256"), index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    attached_by: Mapped[str] = mapped_column(String(230))
    origin: Mapped[str] = mapped_column(String(2000))  # a file's path, a URL, "pasted text", "alert 3"
    filename: Mapped[str] = mapped_column(String(500), default="")


class CaseTrace(Base):
    """A trace a case ran, with everything needed to run it again and compare: the leaks'
    hashes, the versions aligned, eps, the key's fingerprint, Barium's version; and the
    full result. ``approved_by``: the second user who approved disclosure (two-person rule)."""

    __tablename__ = "case_traces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(230))
    inputs: Mapped[str] = mapped_column(Text)  # JSON
    result: Mapped[str] = mapped_column(Text)  # JSON: what `barium trace --json` prints
    verdict: Mapped[str] = mapped_column(String(20))
    approved_by: Mapped[str | None] = mapped_column(String(230), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    audit_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)


class AuditCheckpoint(Base):
    """A signed checkpoint of the audit log (:class:`barium.audit.Checkpoint`), kept so
    that verification checks the log against every one made; an exported copy is the
    witness a database rollback cannot reach."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    origin: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    root: Mapped[str] = mapped_column(String(64))
    time: Mapped[str] = mapped_column(String(40))
    public_key: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))


class User(Base):
    """A person who logs in to the web app, with their roles (:mod:`barium.web.roles`).
    Never deleted: the audit log names them. ``roles``: comma-separated."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    roles: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, with its salt and parameters
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(nullable=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)  # since the last success
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)
    last_login_at: Mapped[datetime | None] = mapped_column(nullable=True)


class ApiToken(Base):
    """A token a script sends as ``Authorization: Bearer``, scoped to one of its user's
    roles. Only its SHA-256 is kept; the token itself is shown once, when made."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(30))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(nullable=True)


class WebSession(Base):
    """A browser's login: the cookie's SHA-256, the form token that guards its writes
    (CSRF), and when it ends. Made anew at every login (no session fixation)."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    address: Mapped[str] = mapped_column(String(100), default="")


class Job(Base):
    """Long work run for a web user (issuing, a scan, a report), its progress and outcome.
    ``state``: queued, running, done, failed, or interrupted (its server stopped mid-way)."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    params: Mapped[str] = mapped_column(Text)  # JSON
    state: Mapped[str] = mapped_column(String(20), index=True)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(String(2000), default="")
    result: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON
    actor: Mapped[str] = mapped_column(String(230))
    actor_kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(nullable=True)
    worker: Mapped[str | None] = mapped_column(String(100), nullable=True)


class WorkspaceMeta(Base):
    """Facts about the workspace itself, such as which key its copies were made with."""

    __tablename__ = "workspace_meta"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
