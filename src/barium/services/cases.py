"""Cases: an investigation of a leak from alert to finding, with its evidence in custody.

A case moves along the organisation's referral chain (:class:`barium.cases.Workflow`);
every move, attachment, note and trace is a :class:`CaseEvent` and an audit entry,
written in one unit of work. Evidence is stored once under its SHA-256 and linked to
each case holding it; a case's leaks are traced together (joint tracing), and every
trace is kept with its inputs and its full result, so it can be run again and compared.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from barium import __version__
from barium.cases import ALERT_RECORD, CLOSED, OPEN, Workflow, media_type
from barium.cases.media import DOCX, HTML
from barium.errors import Conflict, InputError, InputTooLarge, NotFound
from barium.formats.leak import leak_cap
from barium.limits import Limits
from barium.services.documents import find_document
from barium.services.tracing import LeakBytes, Tracing
from barium.services.unit import Context, Detail, UnitOfWork
from barium.store import Alert, Case, CaseEvent, CaseEvidence, CaseTrace, EvidenceBlob
from barium.store.models import utcnow
from barium.tracing import TraceResult

__all__ = ["CaseFile", "CaseInfo", "CaseTraceInfo", "Cases", "EventInfo", "EvidenceInfo"]

WITHHELD = "(withheld: two-person rule)"
READABLE = ("text/plain", HTML, DOCX, "application/pdf", "image/png", "image/jpeg", "image/tiff")


@dataclass(frozen=True, slots=True)
class CaseInfo:
    id: int
    title: str
    state: str
    status: str  # the state as a person says it
    document_id: int | None
    alert_id: int | None
    assignee: str | None
    due: datetime | None
    overdue: bool
    finding: str | None
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "state": self.state,
            "status": self.status,
            "document": self.document_id,
            "alert": self.alert_id,
            "assignee": self.assignee,
            "due": self.due.isoformat() if self.due else None,
            "overdue": self.overdue,
            "finding": self.finding,
            "opened_at": self.opened_at.isoformat(),
            "opened_by": self.opened_by,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
        }


@dataclass(frozen=True, slots=True)
class EventInfo:
    at: datetime
    actor: str
    kind: str
    from_state: str | None
    to_state: str | None
    note: str
    details: dict[str, Any]
    audit_seq: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "kind": self.kind,
            "from": self.from_state,
            "to": self.to_state,
            "note": self.note,
            "details": self.details,
            "audit_seq": self.audit_seq,
        }


@dataclass(frozen=True, slots=True)
class EvidenceInfo:
    """An item in custody. ``intact``: its stored bytes still hash to ``sha256``;
    ``linked``: attaching it found bytes already held (nothing was stored twice)."""

    id: int
    sha256: str
    size: int
    media_type: str
    received_at: datetime
    attached_by: str
    origin: str
    filename: str
    intact: bool = True
    linked: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "sha256": self.sha256,
            "size": self.size,
            "media_type": self.media_type,
            "received_at": self.received_at.isoformat(),
            "attached_by": self.attached_by,
            "origin": self.origin,
            "filename": self.filename,
            "intact": self.intact,
            "linked": self.linked,
        }


@dataclass(frozen=True, slots=True)
class CaseTraceInfo:
    """A trace the case ran. ``withheld``: names are kept back until a second user approves."""

    id: int
    at: datetime
    actor: str
    verdict: str
    inputs: dict[str, Any]
    result: dict[str, Any]
    approved_by: str | None
    approved_at: datetime | None
    withheld: bool
    audit_seq: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "verdict": self.verdict,
            "inputs": self.inputs,
            "result": self.result,
            "approved_by": self.approved_by,
            "approved_at": self.approved_at.isoformat() if self.approved_at else None,
            "withheld": self.withheld,
            "audit_seq": self.audit_seq,
        }


@dataclass(frozen=True, slots=True)
class CaseFile:
    case: CaseInfo
    events: list[EventInfo] = field(default_factory=list)
    evidence: list[EvidenceInfo] = field(default_factory=list)
    traces: list[CaseTraceInfo] = field(default_factory=list)

    @property
    def latest_trace(self) -> CaseTraceInfo | None:
        return self.traces[-1] if self.traces else None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.case.to_dict(),
            "history": [e.to_dict() for e in self.events],
            "evidence": [e.to_dict() for e in self.evidence],
            "traces": [t.to_dict() for t in self.traces],
        }


class Cases:
    def __init__(self, ctx: Context, tracing: Tracing) -> None:
        self.ctx = ctx
        self.tracing = tracing

    @property
    def workflow(self) -> Workflow:
        return Workflow.from_settings(self.ctx.settings)

    @property
    def _who(self) -> str:
        return str(self.ctx.actor)

    @staticmethod
    def _due(due: datetime | None, now: datetime) -> datetime | None:
        if due is not None and due < now - timedelta(days=1):
            raise InputError(f"the deadline {due:%Y-%m-%d} is in the past")
        return due

    def _deadline(self, now: datetime) -> datetime | None:
        days = self.ctx.settings.case_stage_days
        return now + timedelta(days=days) if days else None

    # -- opening and moving a case -------------------------------------------------

    def open(
        self,
        title: str,
        *,
        from_alert: int | None = None,
        doc: int | str | None = None,
        due: datetime | None = None,
    ) -> CaseInfo:
        """Open a case; from an alert, it holds the alert's record (article, spans, trace)
        as its first evidence and is about the alert's document."""
        title = title.strip()
        if not title:
            raise InputError("a case needs a title")
        if len(title) > 500:
            raise InputError("a case's title is at most 500 characters")
        now = utcnow()
        with self.ctx.unit() as uow:
            s = uow.session
            document_id = None if doc is None else find_document(s, doc).id
            alert = None
            if from_alert is not None:
                alert = s.get(Alert, from_alert)
                if alert is None:
                    raise NotFound(f"no alert {from_alert}; `barium alerts` lists them")
                if document_id is not None and document_id != alert.document_id:
                    raise InputError(f"alert {from_alert} is about document {alert.document_id}, not {document_id}")
                document_id = alert.document_id
            case = Case(
                title=title,
                state=OPEN,
                document_id=document_id,
                alert_id=from_alert,
                due=self._due(due, now) or self._deadline(now),
                opened_at=now,
                opened_by=self._who,
            )
            s.add(case)
            s.flush()
            self._event(uow, case, "open", None, OPEN, "", title=title, alert=from_alert, document=document_id)
            if alert is not None:
                record = json.dumps(_alert_record(alert), ensure_ascii=False, sort_keys=True, indent=1).encode()
                self._store(
                    uow, case, record, origin=f"alert {alert.id}", filename=f"alert-{alert.id}.json", kind=ALERT_RECORD
                )
            return self._info(case, now)

    def refer(self, case_id: int, *, to: str, note: str = "", due: datetime | None = None) -> CaseInfo:
        """Refer the case to the next step of the chain (``to``), with why."""
        now = utcnow()
        with self.ctx.unit() as uow:
            case = _case(uow.session, case_id)
            new = self.workflow.refer(case.state, to)
            old, case.state = case.state, new
            case.due = self._due(due, now) or self._deadline(now)
            self._event(uow, case, "refer", old, new, note, to=to)
            return self._info(case, now)

    def assign(self, case_id: int, *, to: str, due: datetime | None = None, note: str = "") -> CaseInfo:
        to = to.strip()
        if not to or len(to) > 200:
            raise InputError("assign to a user name of 1 to 200 characters")
        now = utcnow()
        with self.ctx.unit() as uow:
            case = _case(uow.session, case_id)
            self.workflow.check_open(case.state, "assigned")
            previous, case.assignee = case.assignee, to
            if due is not None:
                case.due = self._due(due, now)
            self._event(uow, case, "assign", None, None, note, to=to, previous=previous, due=_iso(case.due))
            return self._info(case, now)

    def note(self, case_id: int, text: str) -> CaseInfo:
        text = text.strip()
        if not text:
            raise InputError("the note is empty")
        if len(text) > 20_000:
            raise InputError("a note is at most 20,000 characters; attach a longer text as evidence")
        now = utcnow()
        with self.ctx.unit() as uow:
            case = _case(uow.session, case_id)
            self._event(uow, case, "note", None, None, text)
            return self._info(case, now)

    def close(self, case_id: int, *, finding: str, note: str = "") -> CaseInfo:
        now = utcnow()
        with self.ctx.unit() as uow:
            case = _case(uow.session, case_id)
            new = self.workflow.close(case.state, finding)
            old, case.state, case.finding, case.closed_at, case.due = case.state, new, finding, now, None
            self._event(uow, case, "close", old, new, note, finding=finding)
            return self._info(case, now)

    # -- evidence -----------------------------------------------------------------------

    def attach(
        self,
        case_id: int,
        *,
        path: Path | None = None,
        url: str | None = None,
        text: str | None = None,
        upload: LeakBytes | None = None,
        fetcher: Any = None,
    ) -> EvidenceInfo:
        """Take an item into the case's custody: a file, a page fetched from ``url``, pasted
        text, or a file's bytes as received (``upload``: a web upload, with the name it
        came under). Stored as received, under its SHA-256; the same bytes already held
        are linked, never stored twice."""
        given = [x is not None for x in (path, url, text, upload)]
        if sum(given) != 1:
            raise InputError("attach one of: a file, --url or --text")
        limits = self.ctx.limits
        if path is not None:
            data, origin, filename = _read_file(path, limits), str(path.resolve()), path.name
            cap = leak_cap(data, limits)
        elif upload is not None:
            data, origin, filename = upload.data, f"a web upload of {upload.name[:200]}", upload.name[:200]
            cap = leak_cap(data, limits)
        elif url is not None:
            data, origin, filename = self._fetch(url, fetcher), url, url.rstrip("/").rsplit("/", 1)[-1][:200]
            cap = limits.article_bytes
        else:
            assert text is not None
            if not text.strip():
                raise InputError("the text is empty")
            data, origin, filename, cap = text.encode("utf-8"), "pasted text", "", limits.leak_bytes
        if len(data) > cap:
            raise InputTooLarge(f"{filename or origin}: {len(data):,} bytes, over the {cap:,}-byte limit for evidence")
        kind = media_type(data)
        if kind not in READABLE:
            raise InputError(
                f"{filename or origin}: {kind} is not something Barium can trace; attach the leaked text, "
                "Word file, PDF or picture itself"
            )
        with self.ctx.unit() as uow:
            case = _case(uow.session, case_id)
            self.workflow.check_open(case.state, "attached")
            return self._store(uow, case, data, origin=origin, filename=filename, kind=kind)

    def _fetch(self, url: str, fetcher: Any) -> bytes:
        from barium.services.fetch_state import fetch_policy
        from barium.watch.fetch import Fetcher, refuse_private

        policy = fetch_policy(self.ctx)
        if policy.public_only:
            refuse_private(url)  # said now, as bad input; the fetcher checks every redirect too
        own = fetcher or Fetcher(policy)
        try:
            result = own.get(url)
        finally:
            if fetcher is None:
                own.close()
        return bytes(result.body)

    def _store(
        self, uow: UnitOfWork, case: Case, data: bytes, *, origin: str, filename: str, kind: str
    ) -> EvidenceInfo:
        s = uow.session
        digest = hashlib.sha256(data).hexdigest()
        blob = s.get(EvidenceBlob, digest)
        linked = blob is not None
        if blob is None:
            s.add(EvidenceBlob(sha256=digest, size=len(data), media_type=kind, content=data, stored_at=utcnow()))
        item = s.scalar(select(CaseEvidence).where(CaseEvidence.case_id == case.id, CaseEvidence.sha256 == digest))
        again = item is not None  # the same bytes again: the item the case holds, this receipt recorded
        if item is None:
            item = CaseEvidence(
                case_id=case.id,
                sha256=digest,
                received_at=utcnow(),
                attached_by=self._who,
                origin=origin[:2000],
                filename=filename[:500],
            )
            s.add(item)
            s.flush()
        self._event(
            uow,
            case,
            "attach",
            None,
            None,
            "",
            evidence=item.id,
            sha256=digest,
            media_type=kind,
            size=len(data),
            origin=origin[:300],
            **({"again": True} if again else {}),
        )
        return _evidence(item, len(data), kind, linked=linked or again)

    # -- tracing ----------------------------------------------------------------------

    def trace(self, case_id: int, *, max_false_accusation: float | None = None) -> tuple[CaseTraceInfo, TraceResult]:
        """Trace every leak the case holds together (joint tracing), and keep the trace:
        its inputs and its whole result."""
        with self.ctx.read() as s:
            case = _case(s, case_id, lock=False)
            self.workflow.check_open(case.state, "traced")
            items = list(
                s.execute(
                    select(CaseEvidence, EvidenceBlob)
                    .join(EvidenceBlob, EvidenceBlob.sha256 == CaseEvidence.sha256)
                    .where(CaseEvidence.case_id == case_id, EvidenceBlob.media_type != ALERT_RECORD)
                    .order_by(CaseEvidence.id)
                )
            )
            contents = [
                (item, blob, s.scalar(select(EvidenceBlob.content).where(EvidenceBlob.sha256 == blob.sha256)))
                for item, blob in items
            ]
            document_id = case.document_id
        if not contents:
            raise InputError(f"case {case_id} holds no leak to trace; attach one (barium case attach {case_id} FILE)")
        sources: list[LeakBytes | str] = []
        for item, blob, data in contents:
            assert data is not None
            if hashlib.sha256(data).hexdigest() != blob.sha256:
                raise Conflict(
                    f"evidence {item.id} no longer matches its SHA-256: custody is broken; nothing was traced"
                )
            name = item.filename or f"evidence {item.id}"
            sources.append(_page_text(data, name) if blob.media_type == HTML else LeakBytes(name, data))
        # Every registered document is considered, not only the case's: a leak of another
        # shows as such, and text that matches none says so (no_match).
        result = self.tracing.trace_joint(
            sources, max_false_accusation=max_false_accusation, all_scores=True, record=False
        )
        full = result.to_dict()
        read = {leak["sha256"]: leak for leak in full["leaks"]}
        inputs: dict[str, Any] = {
            "leaks": [
                {
                    "evidence": item.id,
                    "sha256": blob.sha256,
                    "filename": item.filename,
                    "media_type": blob.media_type,
                    "versions_aligned": read.get(blob.sha256, {}).get("versions_aligned", []),
                }
                for item, blob, _ in contents
            ],
            "case_document": document_id,
            "max_false_accusation": result.max_false_accusation,
            "key_fingerprint": result.key_fingerprint,
            "barium_version": __version__,
        }
        now = utcnow()
        with self.ctx.unit() as uow:
            case = _case(uow.session, case_id)
            self.workflow.check_open(case.state, "traced")
            row = CaseTrace(
                case_id=case.id,
                at=now,
                actor=self._who,
                inputs=json.dumps(inputs, sort_keys=True),
                result=json.dumps(full, ensure_ascii=False, sort_keys=True),
                verdict=result.verdict,
            )
            uow.session.add(row)
            uow.session.flush()
            # Recipient ids, not names: the audit log is read more widely than the case file.
            seq = self._event(
                uow,
                case,
                "trace",
                None,
                None,
                "",
                trace=row.id,
                verdict=result.verdict,
                leaks=[blob.sha256 for _, blob, _ in contents],
                accused=[a.recipient_id for a in result.accused],
            )
            row.audit_seq = seq
            info = self._trace_info(row)
        return info, result

    def approve(self, case_id: int, *, note: str = "") -> CaseTraceInfo:
        """A second user approves disclosing the names of the case's latest trace."""
        with self.ctx.unit() as uow:
            case = _case(uow.session, case_id)
            row = uow.session.scalar(
                select(CaseTrace).where(CaseTrace.case_id == case.id).order_by(CaseTrace.id.desc())
            )
            if row is None:
                raise InputError(f"case {case_id} has no trace to approve")
            if row.approved_by is not None:
                raise Conflict(f"trace {row.id} was approved already, by {row.approved_by}")
            if row.actor == self._who:
                raise Conflict("the user who ran the trace cannot approve it: a second user must")
            row.approved_by, row.approved_at = self._who, utcnow()
            self._event(uow, case, "approve", None, None, note, trace=row.id)
            return self._trace_info(row)

    def record_report(self, case_id: int, *, sha256: str, fmt: str, file: str, names: bool) -> int:
        """Record that the case's evidence report was written (any state: a closed case is reported on)."""
        with self.ctx.unit() as uow:
            case = _case(uow.session, case_id)
            return self._event(
                uow, case, "report", None, None, "", sha256=sha256, format=fmt, file=file[:300], names=names
            )

    # -- reading --------------------------------------------------------------------

    def get(self, case_id: int) -> CaseFile:
        """The whole case file; each item of evidence re-hashed (custody checked)."""
        now = utcnow()
        with self.ctx.read() as s:
            case = _case(s, case_id, lock=False)
            events = list(s.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)))
            items = list(
                s.execute(
                    select(CaseEvidence, EvidenceBlob)
                    .join(EvidenceBlob, EvidenceBlob.sha256 == CaseEvidence.sha256)
                    .where(CaseEvidence.case_id == case_id)
                    .order_by(CaseEvidence.id)
                )
            )
            evidence = []
            for item, blob in items:
                data = s.scalar(select(EvidenceBlob.content).where(EvidenceBlob.sha256 == blob.sha256)) or b""
                intact = hashlib.sha256(data).hexdigest() == blob.sha256 and len(data) == blob.size
                evidence.append(_evidence(item, blob.size, blob.media_type, intact=intact))
            traces = [
                self._trace_info(t)
                for t in s.scalars(select(CaseTrace).where(CaseTrace.case_id == case_id).order_by(CaseTrace.id))
            ]
            info = self._info(case, now)
        return CaseFile(
            info,
            [
                EventInfo(e.at, e.actor, e.kind, e.from_state, e.to_state, e.note, json.loads(e.details), e.audit_seq)
                for e in events
            ],
            evidence,
            traces,
        )

    def evidence_bytes(self, case_id: int, evidence_id: int) -> bytes:
        with self.ctx.read() as s:
            item = s.get(CaseEvidence, evidence_id)
            if item is None or item.case_id != case_id:
                raise NotFound(f"case {case_id} holds no evidence {evidence_id}")
            data = s.scalar(select(EvidenceBlob.content).where(EvidenceBlob.sha256 == item.sha256))
        return data or b""

    def list(self, *, state: str | None = None) -> list[CaseInfo]:
        if state is not None and state not in self.workflow.states and state != "overdue":
            raise InputError(f"no state {state!r}; the states are: {', '.join((*self.workflow.states, 'overdue'))}")
        now = utcnow()
        with self.ctx.read() as s:
            query = select(Case).order_by(Case.id)
            if state is not None and state != "overdue":
                query = query.where(Case.state == state)
            found = [self._info(c, now) for c in s.scalars(query)]
        return [c for c in found if c.overdue] if state == "overdue" else found

    # -- helpers -----------------------------------------------------------------------

    def _event(
        self, uow: UnitOfWork, case: Case, kind: str, old: str | None, new: str | None, note: str, **details: Detail
    ) -> int:
        seq = uow.record(f"case.{kind}", f"case {case.id}", **details, **({"note": note[:300]} if note else {}))
        uow.session.add(
            CaseEvent(
                case_id=case.id,
                at=utcnow(),
                actor=self._who,
                kind=kind,
                from_state=old,
                to_state=new,
                note=note,
                details=json.dumps(details, ensure_ascii=False, sort_keys=True),
                audit_seq=seq,
            )
        )
        return seq

    def _info(self, c: Case, now: datetime) -> CaseInfo:
        return CaseInfo(
            c.id,
            c.title,
            c.state,
            self.workflow.describe(c.state) + (f" ({c.finding})" if c.finding else ""),
            c.document_id,
            c.alert_id,
            c.assignee,
            c.due,
            c.state != CLOSED and c.due is not None and c.due < now,
            c.finding,
            c.opened_at,
            c.opened_by,
            c.closed_at,
        )

    def _trace_info(self, t: CaseTrace) -> CaseTraceInfo:
        withheld = self.ctx.settings.case_two_person_rule and t.approved_by is None
        result = json.loads(t.result)
        return CaseTraceInfo(
            t.id,
            t.at,
            t.actor,
            t.verdict,
            json.loads(t.inputs),
            withhold_names(result) if withheld else result,
            t.approved_by,
            t.approved_at,
            withheld,
            t.audit_seq,
        )


def withhold_names(result: dict[str, Any]) -> dict[str, Any]:
    """A trace result with every name and e-mail replaced by "person 1 (withheld)" and so
    on, the same person the same way throughout: what the two-person rule shows."""
    names: dict[str, str] = {}

    def alias(name: str) -> str:
        return names.setdefault(name, f"person {len(names) + 1} {WITHHELD}")

    out = dict(result)
    for key in ("accused", "candidates", "scores"):
        out[key] = [
            {**p, "recipient": alias(p["recipient"]), "email": None, "recipient_id": None} for p in result.get(key, [])
        ]
    if "marks" in result:
        out["marks"] = [{**m, "copies": {alias(k): v for k, v in m.get("copies", {}).items()}} for m in result["marks"]]
    return out


def _case(s: Session, case_id: int, *, lock: bool = True) -> Case:
    query = select(Case).where(Case.id == case_id)
    case = s.scalar(query.with_for_update() if lock else query)
    if case is None:
        raise NotFound(f"no case {case_id}; `barium case list` shows them")
    return case


def _evidence(item: CaseEvidence, size: int, kind: str, *, linked: bool = False, intact: bool = True) -> EvidenceInfo:
    return EvidenceInfo(
        item.id, item.sha256, size, kind, item.received_at, item.attached_by, item.origin, item.filename, intact, linked
    )


def _alert_record(alert: Alert) -> dict[str, Any]:
    return {
        "alert": alert.id,
        "source": alert.source,
        "url": alert.url,
        "title": alert.title,
        "published": alert.published.isoformat() if alert.published else None,
        "article_sha256": alert.article_hash,
        "document": alert.document_id,
        "kind": alert.kind,
        "score": alert.score,
        "spans": json.loads(alert.spans),
        "trace": json.loads(alert.trace),
        "raised_at": alert.created_at.isoformat(),
    }


def _read_file(path: Path, limits: Limits) -> bytes:
    """A file's bytes, its size checked against its kind's cap before it is read."""
    if not path.is_file():
        raise NotFound(f"no such file: {path}")
    size = path.stat().st_size
    with path.open("rb") as fh:
        cap = leak_cap(fh.read(16), limits)
    if size > cap:
        raise InputTooLarge(f"{path.name}: {size:,} bytes, over the {cap:,}-byte limit for evidence")
    return path.read_bytes()


def _page_text(data: bytes, name: str) -> str:
    """A fetched page as the tracer reads it: its whole visible text (which keeps the
    invisible marks extraction would drop), as the watcher does."""
    from barium.watch.pages import visible_text

    text = visible_text(data)
    if not text.strip():
        raise InputError(f"{name}: the page has no text to trace")
    return text


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
