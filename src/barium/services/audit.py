"""The audit log every unit of work appends to (:mod:`barium.services.unit`): reading it,
verifying it, signing checkpoints of it and proving that an entry is in it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from barium.audit import Checkpoint, Verification, inclusion_proof, sign_checkpoint, verify_inclusion, verify_rows
from barium.audit.checkpoint import public_key_of, read_checkpoint
from barium.audit.log import checkpoints, fields_of, read_head, rows
from barium.audit.seal import mac_key
from barium.errors import InputError, IntegrityFailure, NotFound
from barium.files import atomic_write
from barium.services.unit import Context
from barium.store import AuditCheckpoint, AuditEntry, WorkspaceMeta

__all__ = ["AuditLog", "AuditRecord", "InclusionProof"]


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One action as the log holds it."""

    id: int
    seq: int
    at: datetime
    actor_kind: str
    actor: str
    action: str
    subject: str
    details: dict[str, Any]
    leaf: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": f"{self.actor_kind}:{self.actor}",
            "action": self.action,
            "subject": self.subject,
            "details": self.details,
            "leaf": self.leaf,
        }


@dataclass(frozen=True, slots=True)
class InclusionProof:
    """That entry ``seq`` (its canonical bytes hash to ``leaf``) is in the tree of a checkpoint."""

    seq: int
    leaf: str
    entry: str  # the canonical JSON the leaf hashes (RFC 6962: SHA-256 of 0x00 and these bytes)
    checkpoint: Checkpoint
    path: list[str]

    @property
    def valid(self) -> bool:
        return verify_inclusion(
            bytes.fromhex(self.leaf),
            self.seq,
            self.checkpoint.size,
            [bytes.fromhex(p) for p in self.path],
            bytes.fromhex(self.checkpoint.root),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "leaf": self.leaf,
            "entry": self.entry,
            "path": self.path,
            "checkpoint": self.checkpoint.to_dict(),
        }


class AuditLog:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def entries(
        self,
        *,
        action: str | None = None,
        subject: str | None = None,
        since: datetime | None = None,
        limit: int = 100,
    ) -> list[AuditRecord]:
        """The latest ``limit`` entries, oldest first; ``action`` matches a whole action
        (``copy.issue``) or a prefix ending in a dot (``copy.``)."""
        if limit < 1:
            raise InputError("the limit must be at least 1")
        query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
        if action is not None:
            query = query.where(
                AuditEntry.action.startswith(action, autoescape=True)
                if action.endswith(".")
                else AuditEntry.action == action
            )
        if subject is not None:
            query = query.where(AuditEntry.subject == subject)
        if since is not None:
            query = query.where(AuditEntry.at >= since)
        with self.ctx.read() as session:
            found = list(session.scalars(query))
        return [_record(e) for e in reversed(found)]

    def records(self, seqs: list[int]) -> dict[int, AuditRecord]:
        """The entries at places ``seqs`` (those that exist), by place."""
        if not seqs:
            return {}
        with self.ctx.read() as session:
            return {r.seq: r for r in map(_record, session.scalars(select(AuditEntry).where(AuditEntry.seq.in_(seqs))))}

    def about_recipient(self, recipient_id: int, *, action: str) -> list[AuditRecord]:
        """Entries of the family ``action`` (``copy.``) whose details name recipient
        ``recipient_id``, oldest first: who handled that person's copy. The details are
        JSON written with sorted keys, so the database narrows by text and each entry
        found is then checked."""
        needle = f'"recipient": {int(recipient_id)}'
        query = (
            select(AuditEntry)
            .where(AuditEntry.action.startswith(action, autoescape=True))
            .where(AuditEntry.details.contains(needle, autoescape=True))
            .order_by(AuditEntry.seq)
        )
        with self.ctx.read() as session:
            found = [_record(e) for e in session.scalars(query)]
        return [r for r in found if r.details.get("recipient") == recipient_id]

    def note_settings(self) -> dict[str, list[Any]]:
        """Record a change of the workspace's settings since they were last seen (its
        ``barium.toml`` or ``BARIUM_*`` variables are edited outside Barium): each setting
        changed with its old and new value, in a ``settings.change`` entry. Returns them."""
        current = _settings_seen(self.ctx)
        with self.ctx.read() as session:
            row = session.get(WorkspaceMeta, SETTINGS_SEEN)
            before = None if row is None else json.loads(row.value)
        if before == current:
            return {}
        with self.ctx.unit() as uow:
            row = uow.session.execute(
                select(WorkspaceMeta).where(WorkspaceMeta.name == SETTINGS_SEEN).with_for_update()
            ).scalar_one_or_none()
            before = None if row is None else json.loads(row.value)
            if before == current:  # another process noted the same change first
                return {}
            if row is None:
                uow.session.add(WorkspaceMeta(name=SETTINGS_SEEN, value=json.dumps(current, sort_keys=True)))
            else:
                row.value = json.dumps(current, sort_keys=True)
            if before is None:  # a new workspace: its first settings are what it starts with
                return {}
            changed = {
                k: [before.get(k), current.get(k)]
                for k in sorted({*before, *current})
                if before.get(k) != current.get(k)
            }
            uow.record(
                "settings.change", "settings", names=sorted(changed), changes=json.dumps(changed, sort_keys=True)
            )
            return changed

    def verify(self, *, witnesses: list[Path] | None = None) -> Verification:
        """Check every entry, the head and every checkpoint: the stored ones and ``witnesses``,
        checkpoint files kept outside the database (which alone catch a rolled-back head)."""
        outside = [read_checkpoint(p) for p in witnesses or []]
        with self.ctx.read() as session:
            # One snapshot: the head, the checkpoints and the rows streamed from it.
            head = read_head(session)
            points = checkpoints(session)
            return verify_rows(
                rows(session),
                key=mac_key(self.ctx.ws.key),
                head=head,
                checkpoints=list({c.signature: c for c in points + outside}.values()),
                public_key=public_key_of(self.ctx.ws.audit_key),
                origin=self.ctx.ws.key_fingerprint,
            )

    def checkpoint(self, *, out: Path | None = None) -> Checkpoint:
        """Sign the log as it stands (after a full verification: a damaged log is never
        vouched for), keep the checkpoint, record that the key was used, and write it to ``out``."""
        check = self.verify()
        if not check.intact:
            raise IntegrityFailure(
                f"the audit log is not intact ({check.problems[0].message}); run `barium audit verify`. "
                "No checkpoint was signed"
            )
        now = datetime.now(UTC).isoformat(timespec="seconds")
        point = sign_checkpoint(
            self.ctx.ws.audit_key,
            origin=self.ctx.ws.key_fingerprint,
            size=check.entries,
            root=bytes.fromhex(check.root),
            time=now,
        )
        with self.ctx.unit() as uow:
            size = uow.session.scalar(select(func.count()).select_from(AuditEntry))
            if size != point.size:  # another writer appended since the verification
                raise InputError("the audit log grew while it was checked; run the checkpoint again")
            uow.session.add(
                AuditCheckpoint(
                    origin=point.origin,
                    size=point.size,
                    root=point.root,
                    time=point.time,
                    public_key=point.public_key,
                    signature=point.signature,
                )
            )
            uow.record(
                "audit.checkpoint", "audit log", size=point.size, root=point.root, file=str(out) if out else None
            )
        if out is not None:
            atomic_write(out, point.to_json().encode())
        return point

    def latest_checkpoint(self) -> Checkpoint | None:
        with self.ctx.read() as session:
            points = checkpoints(session)
        return points[-1] if points else None

    def prove(self, seq: int, *, checkpoint: Checkpoint | None = None) -> InclusionProof:
        """The inclusion proof of entry ``seq`` in ``checkpoint`` (the latest one that covers it)."""
        return self.prove_all([seq], checkpoint=checkpoint)[0]

    def prove_all(self, seqs: list[int], *, checkpoint: Checkpoint | None = None) -> list[InclusionProof]:
        """Inclusion proofs of entries ``seqs`` in one checkpoint (by default the latest,
        which must cover them all), reading the log's leaves once."""
        if not seqs:
            return []
        last = max(seqs)
        # A proof from a log that was changed would vouch for what it no longer says.
        check = self.verify(witnesses=[])
        if not check.intact:
            raise IntegrityFailure(
                f"the audit log is not intact ({check.problems[0].message}); no proof is given from it. "
                "Run `barium audit verify`"
            )
        with self.ctx.read() as session:
            entries = {e.seq: e for e in session.scalars(select(AuditEntry).where(AuditEntry.seq.in_(seqs)))}
            missing = sorted(set(seqs) - set(entries))
            if missing:
                raise NotFound(f"the audit log has no entry #{missing[0]}")
            if checkpoint is None:
                points = checkpoints(session)
                if not points or points[-1].size <= last:
                    raise NotFound(f"no checkpoint covers entry #{last} yet; run `barium audit checkpoint`")
                checkpoint = points[-1]
            if checkpoint.size <= last:
                raise InputError(f"the checkpoint covers entries #0 to #{checkpoint.size - 1}, not #{last}")
            leaves = [
                bytes.fromhex(leaf or "")
                for leaf in session.scalars(
                    select(AuditEntry.leaf).where(AuditEntry.seq < checkpoint.size).order_by(AuditEntry.seq)
                )
            ]
        proofs = []
        for seq in seqs:
            fields = fields_of(entries[seq])
            # The leaf of what the entry says now, never the leaf stored beside it.
            path = [p.hex() for p in inclusion_proof(leaves, seq)]
            proof = InclusionProof(seq, fields.leaf().hex(), fields.canonical().decode(), checkpoint, path)
            if not proof.valid:
                raise InputError(f"entry #{seq} is not in the checkpoint's tree; run `barium audit verify`")
            proofs.append(proof)
        return proofs


SETTINGS_SEEN = "settings_seen"


def _settings_seen(ctx: Context) -> dict[str, Any]:
    """The settings as the log notes them: all but the database URL, which may hold a password."""
    from dataclasses import asdict

    seen = asdict(ctx.settings)
    seen.pop("database_url", None)
    back: dict[str, Any] = json.loads(json.dumps(seen))  # as JSON gives it back: lists, not tuples
    return back


def _record(e: AuditEntry) -> AuditRecord:
    return AuditRecord(
        e.id,
        -1 if e.seq is None else e.seq,
        e.at,
        e.actor_kind,
        e.actor,
        e.action,
        e.subject,
        json.loads(e.details),
        e.leaf or "",
    )
