"""The dashboard: new alerts, open cases and their deadlines, your jobs, as your roles allow."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from barium.access import Role
from barium.cases.workflow import CLOSED
from barium.store.models import utcnow
from barium.web.gate import Caller, allow
from barium.web.render import page
from barium.web.routes.jobs import view

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def dashboard(request: Request, caller: Caller = allow()) -> Response:
    b = caller.barium
    alerts = cases = documents = None
    deadlines: list[dict[str, object]] = []
    overdue = 0
    if caller.has(Role.INVESTIGATOR):
        alerts = [m.to_dict() for m in b.watching.alerts(since=utcnow() - timedelta(days=7), limit=200)]
    if caller.has(Role.INVESTIGATOR, Role.AUDITOR):
        open_cases = [c for c in b.cases.list() if c.state != CLOSED]
        cases = [c.to_dict() for c in open_cases]
        overdue = sum(c.overdue for c in open_cases)
        deadlines = [c.to_dict() for c in sorted(open_cases, key=lambda c: (c.due is None, c.due or c.opened_at))]
    if caller.has(Role.DISTRIBUTOR, Role.INVESTIGATOR):
        documents = [d.to_dict() for d in b.documents.list()]
    jobs = [view(j) for j in b.jobs.list(owner=caller.user, limit=5)]
    return page(
        request,
        caller,
        "dashboard.html",
        alerts=alerts,
        cases=cases,
        overdue=overdue,
        deadlines=deadlines,
        documents=documents,
        jobs=jobs,
    )
