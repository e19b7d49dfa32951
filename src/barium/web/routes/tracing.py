"""Trace: paste a leak or upload files (text, Word, PDF, a picture), and see the verdict with
every mark read. Several files together are traced jointly, as leaks of one source.

Each trace is in the audit log (``trace.run``), as from the CLI; a trace run here is
not kept otherwise: for evidence that must be kept, open a case and attach it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from barium.access import Role
from barium.errors import InputError
from barium.services.cases import withhold_names
from barium.services.tracing import LeakBytes, LeakSource
from barium.tracing import TraceResult
from barium.web.gate import Caller, allow
from barium.web.params import doc_ref
from barium.web.render import page
from barium.web.uploads import read_upload, safe_name

router = APIRouter()
MAX_FILES = 20
MARKS_SHOWN = 200


class TraceIn(BaseModel):
    text: str = Field(min_length=1, max_length=20_000_000)
    doc: str | None = Field(default=None, max_length=500)
    max_false_accusation: float | None = Field(default=None, gt=0, lt=1)
    weak: bool = False


class TraceOut(BaseModel):
    """What `barium trace --json` prints: the verdict, the accused and candidates with their
    bounds, every mark read, the leaks, and the provenance (key fingerprint, version, time)."""

    model_config = ConfigDict(extra="allow")
    verdict: str
    document: dict[str, Any] | None
    accused: list[dict[str, Any]]
    candidates: list[dict[str, Any]]
    max_false_accusation: float
    recipients_scored: int
    key_fingerprint: str
    traced_at: str


def disclosed(caller: Caller, result: dict[str, Any]) -> dict[str, Any]:
    """A trace result as this server may show it: under the two-person rule no trace here names
    anyone (a case's, once a second investigator approves it, does); else as it is."""
    if caller.barium.ctx.settings.case_two_person_rule:
        return {**withhold_names(result), "withheld": True}
    return result


def run_trace(
    caller: Caller, sources: list[LeakSource], *, doc: str | None, eps: float | None, weak: bool
) -> TraceResult:
    if not sources:
        raise InputError("paste the leaked text or choose a file")
    if len(sources) > MAX_FILES:
        raise InputError(f"at most {MAX_FILES} leaks at once")
    document = doc_ref(doc)
    tracing = caller.barium.tracing
    if len(sources) == 1:
        return tracing.trace(sources[0], doc=document, max_false_accusation=eps, weak=weak)
    return tracing.trace_joint(sources, doc=document, max_false_accusation=eps, weak=weak)


async def _sources(caller: Caller, text: str, files: list[UploadFile]) -> list[LeakSource]:
    sources: list[LeakSource] = [text] if text.strip() else []
    for f in files[: MAX_FILES + 1]:
        if f.filename:
            sources.append(LeakBytes(safe_name(f, "leak"), await read_upload(f, caller.barium.ctx.limits, "leak")))
    return sources


@router.get("/trace", response_class=HTMLResponse, include_in_schema=False)
def trace_form(request: Request, caller: Caller = allow(Role.INVESTIGATOR)) -> Response:
    documents = [d.to_dict() for d in caller.barium.documents.list()]
    return page(request, caller, "trace.html", documents=documents, result=None)


@router.post("/trace", response_class=HTMLResponse, include_in_schema=False)
async def trace_page(
    request: Request,
    text: Annotated[str, Form(max_length=20_000_000)] = "",
    files: Annotated[list[UploadFile] | None, File()] = None,
    doc: Annotated[str, Form(max_length=500)] = "",
    caller: Caller = allow(Role.INVESTIGATOR),
) -> Response:
    sources = await _sources(caller, text, files or [])
    result = run_trace(caller, sources, doc=doc or None, eps=None, weak=False)
    data = disclosed(caller, result.to_dict())
    documents = [d.to_dict() for d in caller.barium.documents.list()]
    return page(
        request,
        caller,
        "trace.html",
        documents=documents,
        result=data,
        pasted=text if text.strip() and len(sources) == 1 else "",
        text=text,  # the form keeps what was pasted, to trace it again or edit it
        marks=data.get("marks", [])[:MARKS_SHOWN],
        people_names=list(data["marks"][0]["copies"]) if data.get("marks") else [],
    )


@router.post("/trace/case", include_in_schema=False)
def trace_to_case(
    text: Annotated[str, Form(min_length=1, max_length=20_000_000)],
    title: Annotated[str, Form(min_length=1, max_length=500)],
    doc: Annotated[str, Form(max_length=20)] = "",
    caller: Caller = allow(Role.INVESTIGATOR),
) -> Response:
    """Open a case holding the pasted leak as its first evidence, traced in the case (kept for the record)."""
    cases = caller.barium.cases
    case = cases.open(title, doc=int(doc) if doc.isdecimal() else None)
    cases.attach(case.id, text=text)
    cases.trace(case.id)
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.post("/api/trace", tags=["trace"])
def api_trace(spec: TraceIn, caller: Caller = allow(Role.INVESTIGATOR)) -> TraceOut:
    """Trace pasted text (a retyped quote, an article's text)."""
    result = run_trace(caller, [spec.text], doc=spec.doc, eps=spec.max_false_accusation, weak=spec.weak)
    return TraceOut.model_validate(disclosed(caller, result.to_dict()))


@router.post("/api/trace/files", tags=["trace"])
async def api_trace_files(
    files: Annotated[list[UploadFile], File(description="One leak, or several believed to share a source")],
    doc: Annotated[str, Form(max_length=500)] = "",
    caller: Caller = allow(Role.INVESTIGATOR),
) -> TraceOut:
    """Trace leaked files (text, Word, PDF, scans, screenshots, photos); several are traced jointly."""
    sources = await _sources(caller, "", files)
    return TraceOut.model_validate(
        disclosed(caller, run_trace(caller, sources, doc=doc or None, eps=None, weak=False).to_dict())
    )
