"""Cases: a leak's investigation from alert to finding: its evidence in custody, its traces,
its referrals along the organisation's chain, its finding, and its evidence report (a job).

Investigators do the work; auditors read every case, download its evidence and have its
report made, and change nothing. Every step is the service's, so each is a case event and
an audit entry naming the web user. An item of evidence is hostile input: it is served
only as a download (``application/octet-stream``, an attachment), and each download is
in the audit log. Under the two-person rule a trace's names stay withheld until a second
investigator approves it (the service refuses the one who traced).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from barium.access import Role
from barium.cases import ALERT_RECORD, CLOSED, Workflow
from barium.errors import BariumError, InputError
from barium.services.cases import CaseFile
from barium.services.jobs import JobInfo
from barium.services.tracing import LeakBytes
from barium.web.gate import Caller, allow
from barium.web.params import Id, doc_ref
from barium.web.render import page
from barium.web.routes.jobs import JobOut, submit, view
from barium.web.uploads import extension, read_upload, safe_name

router = APIRouter()
READERS = (Role.INVESTIGATOR, Role.AUDITOR)
WRITERS = (Role.INVESTIGATOR,)
TAGS: list[str | Enum] = ["cases"]
MARKS_SHOWN = 200
NOTE_CHARS = 20_000
TEXT_CHARS = 20_000_000
OVERDUE = "overdue"
EXTENSIONS = {
    "text/plain": ".txt",
    "text/html": ".html",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/tiff": ".tiff",
    ALERT_RECORD: ".json",
}

Note = Annotated[str, Field(max_length=NOTE_CHARS, description="Why: recorded with the step")]


# -- the API's shapes ------------------------------------------------------------------------


class CaseOut(BaseModel):
    """A case: its state (``status`` as a person says it), assignee, deadline and finding."""

    model_config = ConfigDict(extra="allow")
    id: int
    title: str
    state: str
    status: str
    document: int | None
    alert: int | None
    assignee: str | None
    due: str | None
    overdue: bool
    finding: str | None
    opened_at: str
    opened_by: str
    closed_at: str | None


class EvidenceOut(BaseModel):
    """An item in custody; ``intact``: its bytes still hash to ``sha256``; ``linked``: the same
    bytes were held already (stored once)."""

    model_config = ConfigDict(extra="allow")
    id: int
    sha256: str
    size: int
    media_type: str
    received_at: str
    attached_by: str
    origin: str
    filename: str
    intact: bool
    linked: bool


class CaseTraceOut(BaseModel):
    """A trace the case ran and keeps: its inputs and its whole result (names withheld, under
    the two-person rule, until a second user approves)."""

    model_config = ConfigDict(extra="allow")
    id: int
    at: str
    actor: str
    verdict: str
    inputs: dict[str, Any]
    result: dict[str, Any]
    approved_by: str | None
    approved_at: str | None
    withheld: bool


class CaseFileOut(CaseOut):
    """The whole case file: the case, its history, its evidence (re-hashed) and its traces."""

    history: list[dict[str, Any]]
    evidence: list[EvidenceOut]
    traces: list[CaseTraceOut]


class OpenIn(BaseModel):
    title: str = Field(min_length=1, max_length=500)
    from_alert: int | None = Field(default=None, ge=1, description="Open it from this alert: it holds its record")
    doc: str | None = Field(default=None, max_length=500, description="The document leaked (id or title)")
    due: datetime | None = Field(default=None, description="Deadline (UTC unless it says otherwise)")


class ReferIn(BaseModel):
    to: str = Field(min_length=1, max_length=200, description="The next step of the referral chain")
    note: Note = ""
    due: datetime | None = None


class AssignIn(BaseModel):
    to: str = Field(min_length=1, max_length=200, description="The user who takes the case")
    note: Note = ""
    due: datetime | None = None


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=NOTE_CHARS)


class CloseIn(BaseModel):
    finding: str = Field(min_length=1, max_length=200, description="One of the organisation's findings")
    note: Note = ""


class ApproveIn(BaseModel):
    note: Note = ""


class CaseTraceIn(BaseModel):
    max_false_accusation: float | None = Field(default=None, gt=0, lt=1)


class ReportIn(BaseModel):
    format: Literal["pdf", "html"] = "pdf"


# -- shared by the pages and the API -------------------------------------------------------


def _utc(moment: datetime | None) -> datetime | None:
    """The moment in UTC (a moment without a zone is taken to be UTC); refused if UTC cannot hold it."""
    if moment is None:
        return None
    try:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise InputError(f"the deadline {moment.isoformat()[:40]} is out of range") from None


def _form_due(value: str) -> datetime | None:
    """A form's date (``2026-12-31``) or time, in UTC unless it says otherwise."""
    value = value.strip()
    if not value:
        return None
    try:
        return _utc(datetime.fromisoformat(value))
    except ValueError:
        raise InputError(f"the deadline {value[:40]!r} is not a date (use 2026-12-31)") from None


def next_steps(flow: Workflow, state: str) -> list[str]:
    """The referral steps a case in ``state`` may go to now (the workflow decides)."""
    steps = []
    for step in flow.referrals:
        try:
            flow.refer(state, step)
        except BariumError:
            continue
        steps.append(step)
    return steps


def _open(caller: Caller, spec: OpenIn) -> Any:
    return caller.barium.cases.open(spec.title, from_alert=spec.from_alert, doc=doc_ref(spec.doc), due=_utc(spec.due))


async def _attach(caller: Caller, case_id: int, text: str, file: UploadFile | None, url: str = "") -> Any:
    cases = caller.barium.cases
    has_file = file is not None and bool(file.filename)
    if sum((has_file, bool(text.strip()), bool(url.strip()))) > 1:
        raise InputError("attach the pasted text, a file or a page's address: one at a time")
    if url.strip():
        cases.get(case_id)
        return cases.attach(case_id, url=url.strip())  # a public page: the server fetches it, as received
    if file is not None and has_file:
        cases.get(case_id)  # an unknown case fails before the upload is read
        data = await read_upload(file, caller.barium.ctx.limits, "leak")
        return cases.attach(case_id, upload=LeakBytes(safe_name(file, "evidence"), data))
    if not text.strip():
        raise InputError("paste the leaked text or choose a file")
    return cases.attach(case_id, text=text)


def _submit_report(request: Request, caller: Caller, case_id: int, fmt: str) -> JobInfo:
    if fmt not in ("pdf", "html"):
        raise InputError("a report is made as pdf or html")
    caller.barium.cases.get(case_id)  # an unknown case fails now, not in the job
    return submit(request, caller, "report", {"case": case_id, "format": fmt})


def _evidence_download(caller: Caller, case_id: int, evidence_id: int) -> Response:
    cases = caller.barium.cases
    data = cases.evidence_bytes(case_id, evidence_id)  # NotFound unless the case holds it
    item = next(e for e in cases.get(case_id).evidence if e.id == evidence_id)
    own = extension(item.filename)
    name = f"case-{case_id}-evidence-{evidence_id}{own or EXTENSIONS.get(item.media_type, '.bin')}"
    sha = hashlib.sha256(data).hexdigest()
    with caller.barium.ctx.unit() as uow:
        # Who took a copy of the evidence out of custody, and which bytes, is on record.
        uow.record("evidence.download", f"case {case_id}", evidence=evidence_id, sha256=sha, intact=sha == item.sha256)
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


def _back(case_id: int) -> RedirectResponse:
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


# -- pages ---------------------------------------------------------------------------------


@router.get("/cases", response_class=HTMLResponse, include_in_schema=False)
def cases_page(
    request: Request, state: Annotated[str, Query(max_length=200)] = "", caller: Caller = allow(*READERS)
) -> Response:
    cases = caller.barium.cases
    flow = cases.workflow
    found = [c.to_dict() for c in cases.list(state=state or None)]
    return page(
        request,
        caller,
        "cases.html",
        cases=found,
        state=state,
        states=[(s, flow.describe(s)) for s in flow.states] + [(OVERDUE, OVERDUE)],
        documents=[d.to_dict() for d in caller.barium.documents.list()] if caller.has(*WRITERS) else [],
        can_write=caller.has(*WRITERS),
    )


@router.post("/cases", include_in_schema=False)
def cases_open(
    title: Annotated[str, Form(max_length=500)] = "",
    doc: Annotated[str, Form(max_length=500)] = "",
    from_alert: Annotated[str, Form(max_length=20)] = "",
    due: Annotated[str, Form(max_length=40)] = "",
    caller: Caller = allow(*WRITERS),
) -> Response:
    alert = from_alert.strip()
    if alert and not alert.isdecimal():
        raise InputError("the alert is given by its number")
    info = caller.barium.cases.open(
        title, from_alert=int(alert) if alert else None, doc=doc_ref(doc), due=_form_due(due)
    )
    return _back(info.id)


@router.get("/cases/{case_id}", response_class=HTMLResponse, include_in_schema=False)
def case_page(request: Request, case_id: Id, caller: Caller = allow(*READERS)) -> Response:
    b = caller.barium
    file: CaseFile = b.cases.get(case_id)
    data = file.to_dict()
    flow = b.cases.workflow
    latest = data["traces"][-1] if data["traces"] else None
    result = latest["result"] if latest else None
    marks = (result or {}).get("marks", [])
    writer = caller.has(*WRITERS)
    return page(
        request,
        caller,
        "case.html",
        case=data,
        latest=latest,
        result=result,
        marks=marks[:MARKS_SHOWN],
        people_names=list(marks[0]["copies"]) if marks else [],
        steps=next_steps(flow, file.case.state),
        findings=list(flow.findings),
        can_write=writer and file.case.state != CLOSED,
        # Approval is the two-person rule's: without the rule, names are shown and nothing waits for it.
        two_person=b.ctx.settings.case_two_person_rule,
        can_approve=writer
        and b.ctx.settings.case_two_person_rule
        and latest is not None
        and latest["approved_by"] is None
        and latest["actor"] != str(b.actor),
        jobs=[
            view(j) for j in b.jobs.list(owner=caller.user) if j.kind == "report" and j.params.get("case") == case_id
        ],
    )


@router.post("/cases/{case_id}/attach", include_in_schema=False)
async def case_attach(
    case_id: Id,
    text: Annotated[str, Form(max_length=TEXT_CHARS)] = "",
    file: Annotated[UploadFile | None, File()] = None,
    url: Annotated[str, Form(max_length=2000)] = "",
    caller: Caller = allow(*WRITERS),
) -> Response:
    await _attach(caller, case_id, text, file, url)
    return _back(case_id)


@router.post("/cases/{case_id}/trace", include_in_schema=False)
def case_trace(case_id: Id, caller: Caller = allow(*WRITERS)) -> Response:
    caller.barium.cases.trace(case_id)
    return _back(case_id)


@router.post("/cases/{case_id}/refer", include_in_schema=False)
def case_refer(
    case_id: Id,
    to: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=NOTE_CHARS)] = "",
    due: Annotated[str, Form(max_length=40)] = "",
    caller: Caller = allow(*WRITERS),
) -> Response:
    caller.barium.cases.refer(case_id, to=to, note=note.strip(), due=_form_due(due))
    return _back(case_id)


@router.post("/cases/{case_id}/assign", include_in_schema=False)
def case_assign(
    case_id: Id,
    to: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=NOTE_CHARS)] = "",
    due: Annotated[str, Form(max_length=40)] = "",
    caller: Caller = allow(*WRITERS),
) -> Response:
    caller.barium.cases.assign(case_id, to=to, due=_form_due(due), note=note.strip())
    return _back(case_id)


@router.post("/cases/{case_id}/note", include_in_schema=False)
def case_note(
    case_id: Id, text: Annotated[str, Form(max_length=NOTE_CHARS)] = "", caller: Caller = allow(*WRITERS)
) -> Response:
    caller.barium.cases.note(case_id, text)
    return _back(case_id)


@router.post("/cases/{case_id}/close", include_in_schema=False)
def case_close(
    case_id: Id,
    finding: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=NOTE_CHARS)] = "",
    caller: Caller = allow(*WRITERS),
) -> Response:
    caller.barium.cases.close(case_id, finding=finding, note=note.strip())
    return _back(case_id)


@router.post("/cases/{case_id}/approve", include_in_schema=False)
def case_approve(
    case_id: Id, note: Annotated[str, Form(max_length=NOTE_CHARS)] = "", caller: Caller = allow(*WRITERS)
) -> Response:
    caller.barium.cases.approve(case_id, note=note.strip())
    return _back(case_id)


@router.post("/cases/{case_id}/report", include_in_schema=False)
def case_report(
    request: Request,
    case_id: Id,
    output: Annotated[str, Form(alias="format", max_length=10)] = "pdf",
    caller: Caller = allow(*READERS),
) -> Response:
    job = _submit_report(request, caller, case_id, output)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/cases/{case_id}/evidence/{evidence_id}", include_in_schema=False)
def case_evidence(case_id: Id, evidence_id: Id, caller: Caller = allow(*READERS)) -> Response:
    return _evidence_download(caller, case_id, evidence_id)


# -- the JSON API --------------------------------------------------------------------------


@router.get("/api/cases", tags=TAGS)
def api_cases(
    state: Annotated[str | None, Query(max_length=200)] = None, caller: Caller = allow(*READERS)
) -> list[CaseOut]:
    """Every case, or those in one state (``open``, ``referred:<step>``, ``closed``, or ``overdue``)."""
    return [CaseOut.model_validate(c.to_dict()) for c in caller.barium.cases.list(state=state or None)]


@router.post("/api/cases", tags=TAGS, status_code=201)
def api_case_open(spec: OpenIn, caller: Caller = allow(*WRITERS)) -> CaseOut:
    """Open a case; from an alert it holds the alert's record as its first evidence."""
    return CaseOut.model_validate(_open(caller, spec).to_dict())


@router.get("/api/cases/{case_id}", tags=TAGS)
def api_case(case_id: Id, caller: Caller = allow(*READERS)) -> CaseFileOut:
    """The whole case file: the case, its history, its evidence (custody re-checked) and its traces."""
    return CaseFileOut.model_validate(caller.barium.cases.get(case_id).to_dict())


@router.post("/api/cases/{case_id}/attach", tags=TAGS, status_code=201)
async def api_case_attach(
    case_id: Id,
    file: Annotated[UploadFile | None, File(description="The leaked file (text, Word, PDF, picture)")] = None,
    text: Annotated[str, Form(max_length=TEXT_CHARS, description="Or pasted text")] = "",
    url: Annotated[str, Form(max_length=2000, description="Or a public page, fetched by the server")] = "",
    caller: Caller = allow(*WRITERS),
) -> EvidenceOut:
    """Take a leak into the case's custody (a file, text, or a public page fetched by the server),
    stored as received under its SHA-256."""
    return EvidenceOut.model_validate((await _attach(caller, case_id, text, file, url)).to_dict())


@router.post("/api/cases/{case_id}/trace", tags=TAGS)
def api_case_trace(case_id: Id, spec: CaseTraceIn | None = None, caller: Caller = allow(*WRITERS)) -> CaseTraceOut:
    """Trace every leak the case holds, together, and keep the trace with its inputs."""
    eps = spec.max_false_accusation if spec else None
    info, _ = caller.barium.cases.trace(case_id, max_false_accusation=eps)
    return CaseTraceOut.model_validate(info.to_dict())


@router.post("/api/cases/{case_id}/refer", tags=TAGS)
def api_case_refer(case_id: Id, spec: ReferIn, caller: Caller = allow(*WRITERS)) -> CaseOut:
    """Refer the case to the next step of the organisation's chain, with why."""
    info = caller.barium.cases.refer(case_id, to=spec.to, note=spec.note.strip(), due=_utc(spec.due))
    return CaseOut.model_validate(info.to_dict())


@router.post("/api/cases/{case_id}/assign", tags=TAGS)
def api_case_assign(case_id: Id, spec: AssignIn, caller: Caller = allow(*WRITERS)) -> CaseOut:
    """Give the case to a user, optionally with a new deadline."""
    info = caller.barium.cases.assign(case_id, to=spec.to, due=_utc(spec.due), note=spec.note.strip())
    return CaseOut.model_validate(info.to_dict())


@router.post("/api/cases/{case_id}/note", tags=TAGS)
def api_case_note(case_id: Id, spec: NoteIn, caller: Caller = allow(*WRITERS)) -> CaseOut:
    """Add a note to the case's history."""
    return CaseOut.model_validate(caller.barium.cases.note(case_id, spec.text).to_dict())


@router.post("/api/cases/{case_id}/close", tags=TAGS)
def api_case_close(case_id: Id, spec: CloseIn, caller: Caller = allow(*WRITERS)) -> CaseOut:
    """Close the case with one of the organisation's findings; a closed case is final."""
    info = caller.barium.cases.close(case_id, finding=spec.finding, note=spec.note.strip())
    return CaseOut.model_validate(info.to_dict())


@router.post("/api/cases/{case_id}/approve", tags=TAGS)
def api_case_approve(case_id: Id, spec: ApproveIn | None = None, caller: Caller = allow(*WRITERS)) -> CaseTraceOut:
    """Approve disclosing the names of the case's latest trace: a second user, not the one who traced."""
    info = caller.barium.cases.approve(case_id, note=(spec.note.strip() if spec else ""))
    return CaseTraceOut.model_validate(info.to_dict())


@router.post("/api/cases/{case_id}/report", tags=TAGS, status_code=202)
def api_case_report(
    request: Request, case_id: Id, spec: ReportIn | None = None, caller: Caller = allow(*READERS)
) -> JobOut:
    """Make the case's evidence report (PDF or HTML), as a job: follow it at /api/jobs/{id}, then download it."""
    job = _submit_report(request, caller, case_id, spec.format if spec else "pdf")
    return JobOut.model_validate(job.to_dict())


@router.get(
    "/api/cases/{case_id}/evidence/{evidence_id}",
    tags=TAGS,
    responses={200: {"content": {"application/octet-stream": {}}}},
    response_class=Response,
)
def api_case_evidence(case_id: Id, evidence_id: Id, caller: Caller = allow(*READERS)) -> Response:
    """An item of evidence, its bytes as received (never rendered: an attachment); every download is audited."""
    return _evidence_download(caller, case_id, evidence_id)
