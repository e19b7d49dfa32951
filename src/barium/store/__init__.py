"""Persistence: SQLAlchemy models, the database handle, Alembic migrations."""

from barium.store.db import Database, check_revision, has_schema, upgrade
from barium.store.models import (
    Alert,
    AuditCheckpoint,
    AuditEntry,
    Base,
    Document,
    DocumentVersion,
    FetchValidator,
    Issuance,
    PublicText,
    Recipient,
    SeenItem,
    WatchSource,
    WorkspaceMeta,
)

__all__ = [
    "Alert",
    "AuditCheckpoint",
    "AuditEntry",
    "Base",
    "Database",
    "Document",
    "DocumentVersion",
    "FetchValidator",
    "Issuance",
    "PublicText",
    "Recipient",
    "SeenItem",
    "WatchSource",
    "WorkspaceMeta",
    "check_revision",
    "has_schema",
    "upgrade",
]
