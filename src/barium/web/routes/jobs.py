"""Jobs: their progress (a page that follows itself with htmx, and survives a reload),
and the files they made. A user sees only their own jobs; a download is audited,
and a job's files go only to its owner while they still hold the role that made it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from pydantic import BaseModel, ConfigDict

from barium.access import Role
from barium.errors import Forbidden, NotFound
from barium.services.jobs import JobInfo
from barium.web.gate import Caller, allow
from barium.web.params import Id
from barium.web.render import page
from barium.web.worker import ARCHIVE

router = APIRouter()

# Who may fetch what a job of each kind made (its owner, holding one of these roles).
DOWNLOAD_ROLES: dict[str, tuple[Role, ...]] = {
    "issue": (Role.DISTRIBUTOR,),
    "report": (Role.INVESTIGATOR, Role.AUDITOR),
}
LINKS = {
    "report": ("case", "/cases/{}", "Back to the case"),
    "issue": ("document", "/documents/{}", "Back to the document"),
}


class JobOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: int
    kind: str
    state: str
    done: int
    total: int
    percent: int
    message: str
    actor: str
    created_at: str
    result: dict[str, Any] | None


def _download_name(job: JobInfo) -> str | None:
    if job.state != "done" or job.result is None:
        return None
    if job.kind == "issue":
        return ARCHIVE
    if job.kind == "report":
        return str(job.result.get("path") or "") or None
    return None


def _download_as(job: JobInfo, name: str) -> str:
    """The name the file is downloaded under: an archive says whose copies it holds."""
    if job.kind == "issue" and job.result is not None:
        d = job.result["document"]
        return f"copies-document-{d['id']}-v{d['version']}-job-{job.id}.zip"
    return name


def view(job: JobInfo) -> dict[str, Any]:
    """The job as a page shows it: its data, and what it links to."""
    data = job.to_dict()
    name = _download_name(job)
    data["download"] = _download_as(job, name) if name else None
    link = LINKS.get(job.kind)
    if link is not None and job.params.get(link[0]) is not None:
        data["link"], data["link_label"] = link[1].format(job.params[link[0]]), link[2]
    return data


def submit(request: Request, caller: Caller, kind: str, params: dict[str, Any]) -> JobInfo:
    """Record a job for the caller and wake this server's runner (other servers' find it on their next look)."""
    job = caller.barium.jobs.submit(kind, params)
    runner = request.app.state.runner
    if runner is not None:
        runner.wake()
    return job


def own_job(caller: Caller, job_id: int) -> JobInfo:
    return caller.barium.jobs.get(job_id, owner=caller.user)


@router.get("/jobs", response_class=HTMLResponse, include_in_schema=False)
def jobs_page(request: Request, caller: Caller = allow()) -> Response:
    return page(request, caller, "jobs.html", jobs=[view(j) for j in caller.barium.jobs.list(owner=caller.user)])


@router.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def job_page(request: Request, job_id: Id, caller: Caller = allow()) -> Response:
    return page(request, caller, "job.html", job=view(own_job(caller, job_id)))


@router.get("/jobs/{job_id}/status", response_class=HTMLResponse, include_in_schema=False)
def job_status(request: Request, job_id: Id, caller: Caller = allow()) -> Response:
    job = own_job(caller, job_id)
    response = page(request, caller, "job_status.html", job=view(job))
    if job.finished and request.headers.get("hx-request"):
        # The page that followed the job reloads once, to show what it made (and stops polling).
        response.headers["HX-Refresh"] = "true"
    return response


def _download(caller: Caller, job_id: int) -> Response:
    job = own_job(caller, job_id)
    name = _download_name(job)
    if name is None:
        raise NotFound(f"job {job_id} has made no file to download")
    if not caller.has(*DOWNLOAD_ROLES[job.kind]):
        raise Forbidden(
            f"downloading what a {job.kind} job made needs the role {' or '.join(DOWNLOAD_ROLES[job.kind])}"
        )
    path = caller.barium.jobs.folder(job.id) / name
    if not path.is_file():
        raise NotFound(f"job {job_id}'s file is gone from the server")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    with caller.barium.ctx.unit() as uow:
        if job.kind == "issue" and job.result is not None:
            # A recipient's copy can frame them if it goes astray: each copy taken is on record under
            # its recipient, where a case's evidence report looks for who else handled their copy.
            for c in job.result.get("copies", []):
                uow.record(
                    "copy.download",
                    f"document {job.result['document']['id']}",
                    recipient=int(c["recipient_id"]),
                    name=str(c["recipient"]),
                    file=str(c["file"]),
                    sha256=str(c["sha256"]),
                    job=job.id,
                    archive=sha,
                )
        else:
            uow.record(f"{job.kind}.download", f"job {job.id}", file=name, sha256=sha, case=int(job.params["case"]))
    media = (
        "application/zip" if name.endswith(".zip") else ("application/pdf" if name.endswith(".pdf") else "text/html")
    )
    return FileResponse(path, media_type=media, filename=_download_as(job, name), content_disposition_type="attachment")


@router.get("/jobs/{job_id}/download", include_in_schema=False)
def job_download(job_id: Id, caller: Caller = allow()) -> Response:
    return _download(caller, job_id)


@router.get("/api/jobs", tags=["jobs"])
def api_jobs(caller: Caller = allow()) -> list[JobOut]:
    """Your jobs, newest first."""
    return [JobOut.model_validate(j.to_dict()) for j in caller.barium.jobs.list(owner=caller.user)]


@router.get("/api/jobs/{job_id}", tags=["jobs"])
def api_job(job_id: Id, caller: Caller = allow()) -> JobOut:
    """A job of yours: its state, progress and, once done, its result."""
    return JobOut.model_validate(own_job(caller, job_id).to_dict())


@router.get(
    "/api/jobs/{job_id}/download",
    tags=["jobs"],
    responses={200: {"content": {"application/zip": {}, "application/pdf": {}, "text/html": {}}}},
    response_class=Response,
)
def api_job_download(job_id: Id, caller: Caller = allow()) -> Response:
    """What a finished job made (the copies' archive, a report); every download is in the audit log."""
    return _download(caller, job_id)
