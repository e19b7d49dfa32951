"""Watching the press: the watched feeds and pages, a run over them (a job), and the alerts
they raised, each with the passages matched and the trace of the article; an alert
opens a case that holds its record as first evidence.

All of it is the investigator's. A run fetches only the sources that are due unless
forced; whatever it skipped or failed on is in the audit log, as from the CLI.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from barium.access import Role
from barium.errors import InputError
from barium.services import ScanMatch
from barium.services.cases import CaseInfo
from barium.services.jobs import JobInfo
from barium.services.watching import SourceInfo
from barium.web.gate import Caller, allow
from barium.web.params import Id
from barium.web.render import page
from barium.web.routes.cases import CaseOut
from barium.web.routes.jobs import JobOut, submit
from barium.web.routes.tracing import disclosed
from barium.web.uploads import read_upload, safe_name

router = APIRouter()
MAX_SCAN_FILES = 50
MAX_URL = 2000
ALERTS_SHOWN = 200
MAX_ALERTS = 1000
JOBS_SHOWN = 5


class SourceOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: int
    url: str
    every_seconds: int
    last_run_at: str | None
    failures: int
    next_retry_at: str | None
    last_error: str | None


class WatchIn(BaseModel):
    """A feed (RSS/Atom) or a single page to poll, every ``every`` (15m, 2h, 1d; at least a minute)."""

    url: str = Field(min_length=1, max_length=MAX_URL)
    every: str = Field(default="15m", min_length=1, max_length=20)


class RunIn(BaseModel):
    """``force``: fetch every source now, due or not."""

    force: bool = False


class AlertOut(BaseModel):
    """An alert: the article (source, title, url, published), the document it quotes, the
    passages matched (``spans``: offsets in the article and the master, and the text) and
    the trace of the article against that document (``trace``, without the marks)."""

    model_config = ConfigDict(extra="allow")
    id: int
    source: str
    title: str | None
    url: str | None
    published: str | None
    document: dict[str, Any]
    kind: str
    score: float
    spans: list[dict[str, Any]]
    trace: dict[str, Any]


class CaseIn(BaseModel):
    title: str = Field(min_length=1, max_length=500)


def every_text(seconds: int) -> str:
    """An interval as a person says it: 15 min, 2 h, 1 d."""
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


def _source(s: SourceInfo) -> dict[str, Any]:
    return {**s.to_dict(), "every": every_text(s.every_seconds)}


def _alert(caller: Caller, m: ScanMatch) -> dict[str, Any]:
    data = m.to_dict()
    return {**data, "trace": disclosed(caller, data["trace"]), "id": m.alert_id}


def _submit_run(request: Request, caller: Caller, force: bool) -> JobInfo:
    return submit(request, caller, "watch.run", {"force": force})


async def _submit_scan(request: Request, caller: Caller, files: list[UploadFile]) -> JobInfo:
    """The files kept as received in a job's inbox, then a scan job over them."""
    chosen = [f for f in files if f.filename][: MAX_SCAN_FILES + 1]
    if not chosen:
        raise InputError("choose the files to scan (text, Markdown, HTML, .warc, .warc.gz, .jsonl)")
    if len(chosen) > MAX_SCAN_FILES:
        raise InputError(f"at most {MAX_SCAN_FILES} files at once")
    inbox = caller.barium.jobs.inbox()
    for n, f in enumerate(chosen):
        data = await read_upload(f, caller.barium.ctx.limits, "leak")
        (inbox / f"{n:03d}-{safe_name(f, 'file')}").write_bytes(data)
    return submit(request, caller, "scan", {"inbox": inbox.name, "files": [safe_name(f) for f in chosen]})


def _open_case(caller: Caller, alert_id: int, title: str) -> CaseInfo:
    caller.barium.watching.alert(alert_id)  # an unknown alert is a 404 before anything else
    return caller.barium.cases.open(title, from_alert=alert_id)


def _since(since: datetime | None) -> datetime | None:
    if since is not None and since.tzinfo is None:
        return since.replace(tzinfo=UTC)
    return since


# -- pages ---------------------------------------------------------------------------------


@router.get("/watch", response_class=HTMLResponse, include_in_schema=False)
def watch_page(request: Request, caller: Caller = allow(Role.INVESTIGATOR)) -> Response:
    b = caller.barium
    runs = [j.to_dict() for j in b.jobs.list(owner=caller.user) if j.kind == "watch.run"][:JOBS_SHOWN]
    return page(
        request,
        caller,
        "watch.html",
        sources=[_source(s) for s in b.watching.list()],
        jobs=runs,
        max_url=MAX_URL,
    )


@router.post("/watch", include_in_schema=False)
def watch_add(
    url: Annotated[str, Form(max_length=MAX_URL)] = "",
    every: Annotated[str, Form(max_length=20)] = "15m",
    caller: Caller = allow(Role.INVESTIGATOR),
) -> Response:
    caller.barium.watching.add(url, every=every or "15m")
    return RedirectResponse("/watch", status_code=303)


@router.post("/watch/run", include_in_schema=False)
def watch_run(
    request: Request,
    force: Annotated[str, Form(max_length=10)] = "",
    caller: Caller = allow(Role.INVESTIGATOR),
) -> Response:
    job = _submit_run(request, caller, force == "on")
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.post("/watch/{source_id}/remove", include_in_schema=False)
def watch_remove(source_id: Id, caller: Caller = allow(Role.INVESTIGATOR)) -> Response:
    caller.barium.watching.remove(source_id)
    return RedirectResponse("/watch", status_code=303)


@router.get("/alerts", response_class=HTMLResponse, include_in_schema=False)
def alerts_page(request: Request, caller: Caller = allow(Role.INVESTIGATOR)) -> Response:
    found = caller.barium.watching.alerts(limit=ALERTS_SHOWN + 1)
    return page(
        request,
        caller,
        "alerts.html",
        alerts=[_alert(caller, m) for m in found[:ALERTS_SHOWN]],
        more=len(found) > ALERTS_SHOWN,
    )


@router.get("/alerts/{alert_id}", response_class=HTMLResponse, include_in_schema=False)
def alert_page(request: Request, alert_id: Id, caller: Caller = allow(Role.INVESTIGATOR)) -> Response:
    data = _alert(caller, caller.barium.watching.alert(alert_id))
    title = f"{data['document']['title']}: {data['title'] or data['source']}"
    return page(request, caller, "alert.html", alert=data, result=data["trace"], case_title=title[:500])


@router.post("/alerts/{alert_id}/case", include_in_schema=False)
def alert_case(
    alert_id: Id,
    title: Annotated[str, Form(max_length=500)] = "",
    caller: Caller = allow(Role.INVESTIGATOR),
) -> Response:
    case = _open_case(caller, alert_id, title)
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


# -- the JSON API --------------------------------------------------------------------------


@router.get("/api/watch", tags=["watch"])
def api_sources(caller: Caller = allow(Role.INVESTIGATOR)) -> list[SourceOut]:
    """The watched sources, oldest first, with their last run and failures."""
    return [SourceOut.model_validate(s.to_dict()) for s in caller.barium.watching.list()]


@router.post("/api/watch", tags=["watch"], status_code=201)
def api_source_add(spec: WatchIn, caller: Caller = allow(Role.INVESTIGATOR)) -> SourceOut:
    """Watch a feed or page (http or https); 409 when it is watched already."""
    return SourceOut.model_validate(caller.barium.watching.add(spec.url, every=spec.every).to_dict())


@router.post("/scan", include_in_schema=False)
async def scan_files(
    request: Request, files: Annotated[list[UploadFile], File()], caller: Caller = allow(Role.INVESTIGATOR)
) -> Response:
    job = await _submit_scan(request, caller, files)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.post("/api/scan", tags=["watch"], status_code=202)
async def api_scan(
    request: Request,
    files: Annotated[list[UploadFile], File(description="Text, Markdown, HTML, .warc(.gz), .jsonl")],
    caller: Caller = allow(Role.INVESTIGATOR),
) -> JobOut:
    """Scan files for protected passages, as a job (what `barium scan` does); its result lists the
    alerts raised and what was skipped and why."""
    return JobOut.model_validate((await _submit_scan(request, caller, files)).to_dict())


@router.post("/api/watch/run", tags=["watch"], status_code=202)
def api_watch_run(
    request: Request,
    spec: Annotated[RunIn | None, Body()] = None,
    caller: Caller = allow(Role.INVESTIGATOR),
) -> JobOut:
    """Run the watch list, as a job: follow it at /api/jobs/{id}; its result lists the new
    alerts, and what was skipped or failed and why."""
    return JobOut.model_validate(_submit_run(request, caller, bool(spec and spec.force)).to_dict())


@router.delete("/api/watch/{source_id}", tags=["watch"], status_code=204)
def api_source_remove(source_id: Id, caller: Caller = allow(Role.INVESTIGATOR)) -> Response:
    """Stop watching a source (its alerts stay)."""
    caller.barium.watching.remove(source_id)
    return Response(status_code=204)


@router.get("/api/alerts", tags=["alerts"])
def api_alerts(
    limit: Annotated[int, Query(ge=1, le=MAX_ALERTS)] = MAX_ALERTS,
    since: Annotated[
        datetime | None, Query(description="Only alerts raised from then on (ISO 8601; UTC if no zone)")
    ] = None,
    caller: Caller = allow(Role.INVESTIGATOR),
) -> list[AlertOut]:
    """The stored alerts, newest first (at most ``limit``)."""
    found = caller.barium.watching.alerts(since=_since(since), limit=limit)
    return [AlertOut.model_validate(_alert(caller, m)) for m in found]


@router.get("/api/alerts/{alert_id}", tags=["alerts"])
def api_alert(alert_id: Id, caller: Caller = allow(Role.INVESTIGATOR)) -> AlertOut:
    """One alert: the article, the passages matched, and the trace it raised."""
    return AlertOut.model_validate(_alert(caller, caller.barium.watching.alert(alert_id)))


@router.post("/api/alerts/{alert_id}/case", tags=["alerts"], status_code=201)
def api_alert_case(alert_id: Id, spec: CaseIn, caller: Caller = allow(Role.INVESTIGATOR)) -> CaseOut:
    """Open a case from an alert: it is about the alert's document and holds the alert's
    record (article, passages, trace) as its first evidence."""
    return CaseOut.model_validate(_open_case(caller, alert_id, spec.title).to_dict())
