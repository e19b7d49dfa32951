"""The audit log: its entries (newest first, paged by place), checking it end to end (a
job: a big log takes a minute), signing a checkpoint of it, and an entry's inclusion
proof in the latest checkpoint. The auditor's alone.

Entries are paged by their place in the log (``seq``, from 0 without gaps in an
intact log): the page before place N asks the log for exactly those places, so
the last page of a log of millions costs what the first does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict

from barium.access import Role
from barium.audit import Checkpoint
from barium.errors import InputError, NotFound
from barium.services.audit import AuditRecord
from barium.services.jobs import JobInfo
from barium.web.gate import Caller, allow
from barium.web.params import MAX_ID, Id
from barium.web.render import page
from barium.web.routes.jobs import JobOut, submit

router = APIRouter()
AUDITOR = (Role.AUDITOR,)
PAGE = 50  # entries on one page
MAX_LIMIT = 1000  # entries one API call returns, at most
DETAIL_CHARS = 300  # a detail's value on the page is cut here (the API gives it whole)
CHECKPOINTS_SHOWN = 100
VERIFY_KIND = "audit.verify"


class AuditEntryOut(BaseModel):
    """One entry as the log holds it: its place, time, actor (``kind:name``), action, subject and details."""

    model_config = ConfigDict(extra="allow")
    seq: int
    at: str
    actor: str
    action: str
    subject: str
    details: dict[str, Any]
    leaf: str


class AuditPageOut(BaseModel):
    """Entries oldest first; ``next`` is the ``since`` that continues after them, ``latest`` the
    place of the newest entry in the log (-1 for an empty log)."""

    entries: list[AuditEntryOut]
    next: int
    latest: int


class CheckpointOut(BaseModel):
    """A signed checkpoint (what `barium audit checkpoint --out` writes): the log's first ``size``
    entries have the Merkle root ``root``, signed with the workspace's Ed25519 audit key."""

    model_config = ConfigDict(extra="allow")
    format: str
    origin: str
    size: int
    root: str
    time: str
    public_key: str
    signature: str


class ProofOut(BaseModel):
    """The RFC 6962 inclusion proof that entry ``seq`` (canonical bytes ``entry``, leaf ``leaf``)
    is in the tree of ``checkpoint``: ``path`` holds the sibling hashes from the leaf up."""

    model_config = ConfigDict(extra="allow")
    seq: int
    leaf: str
    entry: str
    path: list[str]
    checkpoint: CheckpointOut


def _latest_seq(caller: Caller) -> int:
    """The place of the newest entry (-1: none)."""
    return max((r.seq for r in caller.barium.audit.entries(limit=10)), default=-1)


def _span(caller: Caller, start: int, stop: int) -> list[AuditRecord]:
    """The entries at places ``start`` to ``stop - 1``, oldest first."""
    if stop <= start:
        return []
    found = caller.barium.audit.records(list(range(start, stop)))
    return [found[s] for s in sorted(found)]


def _shown(record: AuditRecord) -> dict[str, Any]:
    data = record.to_dict()
    data["shown_details"] = [
        (k, text if len(text := _text(v)) <= DETAIL_CHARS else text[: DETAIL_CHARS - 1] + "…")
        for k, v in record.details.items()
        if v is not None
    ]
    return data


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _submit_verify(request: Request, caller: Caller) -> JobInfo:
    return submit(request, caller, VERIFY_KIND, {})


def _checks(caller: Caller) -> list[dict[str, Any]]:
    """The caller's recent checks of the log (their jobs), newest first."""
    return [j.to_dict() for j in caller.barium.jobs.list(owner=caller.user) if j.kind == VERIFY_KIND][:5]


def _checkpoints_made(caller: Caller) -> list[dict[str, Any]]:
    """Every checkpoint signed, newest first, as the log records it (the latest is kept in full)."""
    made = caller.barium.audit.entries(action="audit.checkpoint", limit=CHECKPOINTS_SHOWN)
    return [e.to_dict() for e in reversed(made)]


def _checkpoint_out(point: Checkpoint) -> CheckpointOut:
    return CheckpointOut.model_validate(point.to_dict())


# -- pages ---------------------------------------------------------------------------------


@router.get("/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(
    request: Request,
    before: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
    action: Annotated[str, Query(max_length=100)] = "",
    subject: Annotated[str, Query(max_length=200)] = "",
    caller: Caller = allow(*AUDITOR),
) -> Response:
    latest = _latest_seq(caller)
    stop = latest + 1 if before is None else min(before, latest + 1)
    start = max(0, stop - PAGE)
    if action.strip() or subject.strip():  # the latest PAGE that match, no paging
        matched = caller.barium.audit.entries(
            action=action.strip() or None, subject=subject.strip() or None, limit=PAGE
        )
        entries = [_shown(r) for r in reversed(matched)]
        start, stop = (matched[0].seq, matched[-1].seq + 1) if matched else (0, 0)
        before = None
    else:
        entries = [_shown(r) for r in reversed(_span(caller, start, stop))]
    point = caller.barium.audit.latest_checkpoint()
    return page(
        request,
        caller,
        "audit.html",
        entries=entries,
        latest=latest,
        first=start,
        last=stop - 1,
        older=start if start > 0 else None,
        newer=min(stop + PAGE, latest + 1) if stop <= latest else None,
        checkpoint=point.to_dict() if point else None,
        checks=_checks(caller),
        action=action,
        subject=subject,
        filtered=bool(action.strip() or subject.strip()),
    )


@router.post("/audit/verify", include_in_schema=False)
def audit_verify(request: Request, caller: Caller = allow(*AUDITOR)) -> Response:
    job = _submit_verify(request, caller)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/audit/checkpoints", response_class=HTMLResponse, include_in_schema=False)
def checkpoints_page(request: Request, caller: Caller = allow(*AUDITOR)) -> Response:
    point = caller.barium.audit.latest_checkpoint()
    return page(
        request,
        caller,
        "audit_checkpoints.html",
        checkpoint=point.to_dict() if point else None,
        checkpoint_json=point.to_json() if point else "",
        made=_checkpoints_made(caller),
    )


@router.post("/audit/checkpoint", include_in_schema=False)
def checkpoint_form(caller: Caller = allow(*AUDITOR)) -> Response:
    caller.barium.audit.checkpoint()
    return RedirectResponse("/audit/checkpoints", status_code=303)


@router.get("/audit/prove/{seq}", response_class=HTMLResponse, include_in_schema=False)
def prove_page(request: Request, seq: Id, caller: Caller = allow(*AUDITOR)) -> Response:
    proof = caller.barium.audit.prove(seq)
    record = caller.barium.audit.records([seq]).get(seq)
    if record is None:  # proved a moment ago: only a log changed meanwhile gets here
        raise NotFound(f"the audit log has no entry #{seq}")
    return page(request, caller, "audit_proof.html", proof=proof.to_dict(), entry=_shown(record))


# -- the JSON API --------------------------------------------------------------------------


@router.get("/api/audit", tags=["audit"])
def api_audit(
    since: Annotated[int | None, Query(ge=0, le=MAX_ID, description="The place of the first entry wanted")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    action: Annotated[
        str | None, Query(max_length=100, description="An action (copy.issue) or a prefix (copy.)")
    ] = None,
    subject: Annotated[str | None, Query(max_length=200, description="A subject, e.g. 'case 3'")] = None,
    after: Annotated[datetime | None, Query(description="Only entries at or after this moment (UTC)")] = None,
    caller: Caller = allow(*AUDITOR),
) -> AuditPageOut:
    """Entries oldest first: from place ``since`` on (at most ``limit``), or without ``since`` the latest
    ``limit``. To follow the log, call again with ``since`` set to the ``next`` of the answer. With
    ``action``, ``subject`` or ``after``: the latest ``limit`` entries that match (not with ``since``)."""
    latest = _latest_seq(caller)
    if action or subject or after:
        if since is not None:
            raise InputError("page by place (since) or filter (action, subject, after), not both")
        moment = after if after is None or after.tzinfo else after.replace(tzinfo=UTC)
        found = caller.barium.audit.entries(action=action, subject=subject, since=moment, limit=limit)
        following = latest + 1
    elif since is None:
        found = caller.barium.audit.entries(limit=limit)
        following = latest + 1
    else:
        stop = min(since + limit, latest + 1)
        found = _span(caller, since, stop)
        following = max(since, stop)
    return AuditPageOut(
        entries=[AuditEntryOut.model_validate(r.to_dict()) for r in found], next=following, latest=latest
    )


@router.post("/api/audit/verify", tags=["audit"], status_code=202)
def api_audit_verify(request: Request, caller: Caller = allow(*AUDITOR)) -> JobOut:
    """Check every entry, the head and every stored checkpoint, as a job: follow it at /api/jobs/{id};
    its result says whether the log is ``intact`` and lists any ``problems``."""
    return JobOut.model_validate(_submit_verify(request, caller).to_dict())


@router.post("/api/audit/checkpoint", tags=["audit"], status_code=201)
def api_audit_checkpoint(caller: Caller = allow(*AUDITOR)) -> CheckpointOut:
    """Sign a checkpoint of the log as it stands, after verifying it (409 when it is not intact).
    Keep the answer outside the server: it later catches a log cut short or rolled back."""
    return _checkpoint_out(caller.barium.audit.checkpoint())


@router.get("/api/audit/checkpoint", tags=["audit"])
def api_audit_latest_checkpoint(caller: Caller = allow(*AUDITOR)) -> CheckpointOut:
    """The latest signed checkpoint (404 when none has been signed)."""
    point = caller.barium.audit.latest_checkpoint()
    if point is None:
        raise NotFound("no checkpoint has been signed yet; POST /api/audit/checkpoint")
    return _checkpoint_out(point)


@router.get("/api/audit/checkpoints", tags=["audit"])
def api_audit_checkpoints(caller: Caller = allow(*AUDITOR)) -> list[AuditEntryOut]:
    """The checkpoints signed (their ``audit.checkpoint`` entries: size and root in the details),
    newest first; the latest in full is at /api/audit/checkpoint."""
    return [AuditEntryOut.model_validate(e) for e in _checkpoints_made(caller)]


@router.get("/api/audit/prove/{seq}", tags=["audit"])
def api_audit_prove(seq: Id, caller: Caller = allow(*AUDITOR)) -> ProofOut:
    """The inclusion proof of entry ``seq`` in the latest checkpoint that covers it (404 when there is
    no such entry or no checkpoint covers it yet). The log is verified first."""
    return ProofOut.model_validate(caller.barium.audit.prove(seq).to_dict())
