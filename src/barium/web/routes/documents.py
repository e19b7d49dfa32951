"""Documents: upload a master (text, Markdown or Word), its versions and mark sites, issuing
copies (a job), and who received which copy.

The mark sites say where a copy's marks are: whoever knows them can scrub a copy
before leaking it, so they are the distributor's alone, as is issuing. Investigators
see the list and who received what, which a trace needs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from barium.access import Role
from barium.errors import InputError
from barium.web.gate import Caller, allow
from barium.web.params import Id, Version
from barium.web.render import page
from barium.web.routes.jobs import JobOut, submit
from barium.web.uploads import as_file, read_upload, safe_name, suffix_of

router = APIRouter()
MASTER_SUFFIXES = {".txt": ".txt", ".text": ".txt", ".md": ".md", ".markdown": ".md", ".docx": ".docx"}
SITES_SHOWN = 500
READERS = (Role.DISTRIBUTOR, Role.INVESTIGATOR, Role.AUDITOR)  # the list, and who received which copy
ISSUED_READERS = (Role.DISTRIBUTOR, Role.INVESTIGATOR, Role.AUDITOR)


class DocumentOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: int
    title: str
    version: int
    format: str
    sites: int
    channels: dict[str, int]
    versions: int
    created_at: str


class IssueIn(BaseModel):
    """Whom to issue copies to: ``all`` recipients, or those named in ``to`` (names, e-mails or ids)."""

    to: list[Annotated[str, Field(max_length=300)]] = Field(default_factory=list, max_length=10_000)
    all: bool = False
    version: int | None = Field(default=None, ge=1)
    format: str | None = Field(default=None, pattern="^(pdf|text|markdown|docx)$")
    stamp: str | None = Field(default=None, max_length=200)


async def _register(caller: Caller, upload: UploadFile, title: str | None, doc: int | None = None) -> Any:
    suffix = MASTER_SUFFIXES.get(suffix_of(upload))
    if suffix is None:
        raise InputError("a master is a .txt, .md or .docx file")
    data = await read_upload(upload, caller.barium.ctx.limits, "document")
    # The file keeps its own name: it is the master's name on record, and the title when none is given.
    with as_file(data, Path(safe_name(upload, "master")).stem + suffix) as path:
        if doc is None:
            return caller.barium.documents.add(path, title=(title or "").strip() or None)
        return caller.barium.documents.update(doc, path)


def _submit_issue(request: Request, caller: Caller, doc: int, spec: IssueIn) -> Any:
    if not spec.all and not spec.to:
        raise InputError("name the recipients, or choose all of them")
    info = caller.barium.documents.get(doc, version=spec.version)  # unknown ids fail now, not in the job
    output = None if spec.format in (None, info.format) else spec.format
    return submit(
        request,
        caller,
        "issue",
        {
            "document": doc,
            "to": spec.to,
            "all": spec.all,
            "version": info.version,
            "format": output,
            "stamp": spec.stamp,
        },
    )


# -- pages ---------------------------------------------------------------------------------


@router.get("/documents", response_class=HTMLResponse, include_in_schema=False)
def documents_page(request: Request, caller: Caller = allow(*READERS)) -> Response:
    docs = [d.to_dict() for d in caller.barium.documents.list()]
    return page(request, caller, "documents.html", documents=docs, can_add=caller.has(Role.DISTRIBUTOR))


@router.post("/documents", include_in_schema=False)
async def documents_add(
    request: Request,
    file: Annotated[UploadFile, File()],
    title: Annotated[str, Form(max_length=500)] = "",
    caller: Caller = allow(Role.DISTRIBUTOR),
) -> Response:
    info = await _register(caller, file, title)
    return RedirectResponse(f"/documents/{info.id}", status_code=303)


@router.get("/documents/{doc}", response_class=HTMLResponse, include_in_schema=False)
def document_page(
    request: Request,
    doc: Id,
    version: Annotated[int | None, Query(ge=1, le=2**53)] = None,
    unchanged: Annotated[int | None, Query(ge=1, le=2**53)] = None,
    caller: Caller = allow(Role.DISTRIBUTOR),
) -> Response:
    b = caller.barium
    info = b.documents.get(doc)
    versions = [b.documents.get(doc, version=v).to_dict() for v in range(1, info.versions + 1)]
    recipients = [r.to_dict() for r in b.recipients.list()]
    return page(
        request,
        caller,
        "document.html",
        document=info.to_dict(),
        summary=info.sites_summary(),
        reach=b.documents.reach(doc).to_dict(),
        new_version=version,
        unchanged=unchanged,
        versions=versions,
        recipients=recipients,
        jobs=[
            j.to_dict() for j in b.jobs.list(owner=caller.user) if j.kind == "issue" and j.params.get("document") == doc
        ],
    )


@router.post("/documents/{doc}/versions", include_in_schema=False)
async def document_update(
    request: Request, doc: Id, file: Annotated[UploadFile, File()], caller: Caller = allow(Role.DISTRIBUTOR)
) -> Response:
    before = caller.barium.documents.get(doc).versions
    after = await _register(caller, file, None, doc)
    said = "version" if after.versions > before else "unchanged"
    return RedirectResponse(f"/documents/{doc}?{said}={after.version}", status_code=303)


@router.get("/documents/{doc}/sites", response_class=HTMLResponse, include_in_schema=False)
def sites_page(
    request: Request, doc: Id, version: Version = None, caller: Caller = allow(Role.DISTRIBUTOR)
) -> Response:
    report = caller.barium.documents.sites(doc, version=version)
    data = report.to_dict()
    return page(
        request,
        caller,
        "sites.html",
        report=data,
        shown=[r.to_dict() for r in report.sites[:SITES_SHOWN]],
        total=len(report.sites),
    )


@router.post("/documents/{doc}/issue", include_in_schema=False)
def issue_form(
    request: Request,
    doc: Id,
    to: Annotated[list[str] | None, Form()] = None,
    everyone: Annotated[str, Form(alias="all", max_length=10)] = "",
    output: Annotated[str, Form(alias="format", max_length=20)] = "",
    stamp: Annotated[str, Form(max_length=200)] = "",
    caller: Caller = allow(Role.DISTRIBUTOR),
) -> Response:
    spec = IssueIn(
        to=[t for t in (to or []) if t.strip()],
        all=everyone == "on",
        format=output or None,
        stamp=stamp.strip() or None,
    )
    job = _submit_issue(request, caller, doc, spec)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/documents/{doc}/issued", response_class=HTMLResponse, include_in_schema=False)
def issued_page(request: Request, doc: Id, caller: Caller = allow(*ISSUED_READERS)) -> Response:
    b = caller.barium
    return page(
        request,
        caller,
        "issued.html",
        document=b.documents.get(doc).to_dict(),
        issued=[r.to_dict() for r in b.issuing.issued(doc)],
    )


# -- the JSON API --------------------------------------------------------------------------


@router.get("/api/documents", tags=["documents"])
def api_documents(caller: Caller = allow(*READERS)) -> list[DocumentOut]:
    """Every registered document, its latest version."""
    return [DocumentOut.model_validate(d.to_dict()) for d in caller.barium.documents.list()]


@router.post("/api/documents", tags=["documents"], status_code=201)
async def api_document_add(
    file: Annotated[UploadFile, File(description="The master: .txt, .md or .docx")],
    title: Annotated[str, Form(max_length=500)] = "",
    caller: Caller = allow(Role.DISTRIBUTOR),
) -> DocumentOut:
    """Register a master; returns its version 1."""
    return DocumentOut.model_validate((await _register(caller, file, title)).to_dict())


@router.get("/api/documents/{doc}", tags=["documents"])
def api_document(doc: Id, version: Version = None, caller: Caller = allow(*READERS)) -> DocumentOut:
    return DocumentOut.model_validate(caller.barium.documents.get(doc, version=version).to_dict())


@router.post("/api/documents/{doc}/versions", tags=["documents"], status_code=201)
async def api_document_update(
    doc: Id, file: Annotated[UploadFile, File()], caller: Caller = allow(Role.DISTRIBUTOR)
) -> DocumentOut:
    """A changed master becomes a new version (an unchanged one returns the latest)."""
    return DocumentOut.model_validate((await _register(caller, file, None, doc)).to_dict())


@router.get("/api/documents/{doc}/sites", tags=["documents"])
def api_sites(doc: Id, version: Version = None, caller: Caller = allow(Role.DISTRIBUTOR)) -> dict[str, Any]:
    """Every mark site of a version, with its variants (what `barium sites --json` prints)."""
    return caller.barium.documents.sites(doc, version=version).to_dict()


@router.get("/api/documents/{doc}/reach", tags=["documents"])
def api_reach(
    doc: Id,
    version: Version = None,
    recipients: Annotated[int | None, Query(ge=1, le=10_000_000)] = None,
    caller: Caller = allow(*READERS),
) -> dict[str, Any]:
    """How long a pasted or a retyped quote must be to name its source among ``recipients`` (default:
    the recipients there are) at the workspace's eps: an estimate from the version's marks."""
    return caller.barium.documents.reach(doc, version=version, recipients=recipients).to_dict()


@router.post("/api/documents/{doc}/issue", tags=["documents"], status_code=202)
def api_issue(request: Request, doc: Id, spec: IssueIn, caller: Caller = allow(Role.DISTRIBUTOR)) -> JobOut:
    """Issue copies, as a job: follow it at /api/jobs/{id}, then download its archive."""
    return JobOut.model_validate(_submit_issue(request, caller, doc, spec).to_dict())


@router.get("/api/documents/{doc}/issued", tags=["documents"])
def api_issued(doc: Id, caller: Caller = allow(*ISSUED_READERS)) -> list[dict[str, Any]]:
    """Who received which version, when, and the sha256 of each copy."""
    return [r.to_dict() for r in caller.barium.issuing.issued(doc)]
