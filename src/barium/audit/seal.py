"""What a log entry's hashes cover, and the keyed seals that bind them to their place.

A leaf is the canonical JSON of an entry, its place (``seq``) included, so an entry
moved elsewhere no longer hashes to the leaf it had. Each stored row also carries
the tree's root after it and a MAC over (place, leaf, root) keyed from the workspace
key: someone who edits the database and recomputes the hashes (SHA-256 is public)
still cannot make the seal, so verification names the first row touched. The log's
head (its size and last root) is sealed the same way, so a tail cut off is noticed.
Whoever holds the workspace key could reseal a rewritten log; against that, signed
checkpoints kept outside the database are the witness (:mod:`barium.audit.checkpoint`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from barium.audit.merkle import leaf_hash

__all__ = ["EntryFields", "head_seal", "mac_key", "row_seal"]


@dataclass(frozen=True, slots=True)
class EntryFields:
    """An entry as the log hashes it: exactly the columns a reader of the log sees."""

    seq: int
    at: datetime
    actor_kind: str
    actor: str
    action: str
    subject: str
    details: str  # the stored JSON text, hashed as stored

    def canonical(self) -> bytes:
        moment = self.at.replace(tzinfo=UTC) if self.at.tzinfo is None else self.at.astimezone(UTC)
        fields = {
            "v": 1,
            "seq": self.seq,
            "at": moment.isoformat(timespec="microseconds"),
            "actor_kind": self.actor_kind,
            "actor": self.actor,
            "action": self.action,
            "subject": self.subject,
            "details": self.details,
        }
        return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()

    def leaf(self) -> bytes:
        return leaf_hash(self.canonical())


def mac_key(workspace_key: bytes) -> bytes:
    """The seals' key, derived from the workspace key (never the key itself)."""
    return hmac.new(workspace_key, b"barium audit seal", hashlib.sha256).digest()


def row_seal(key: bytes, seq: int, leaf: bytes, root: bytes) -> str:
    return hmac.new(key, b"row\x00" + seq.to_bytes(8, "big") + leaf + root, hashlib.sha256).hexdigest()


def head_seal(key: bytes, size: int, root: bytes) -> str:
    return hmac.new(key, b"head\x00" + size.to_bytes(8, "big") + root, hashlib.sha256).hexdigest()
