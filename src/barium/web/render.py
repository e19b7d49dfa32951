"""Pages: Jinja2 templates (autoescaped), rendered with who is asking and what they may see.

No logic here: a page gets the services' results (their ``to_dict()`` data, the
same the JSON API returns) and shows them.
"""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from barium.access import Role
from barium.report.words import format_bound
from barium.tracing.marks import form_shown
from barium.web.gate import CSRF_FIELD, Caller

TEMPLATES = Jinja2Templates(directory=str(resources.files("barium.web").joinpath("templates")))
TEMPLATES.env.autoescape = True
TEMPLATES.env.filters["bound"] = format_bound
# A mark's form as an author reads it: invisible characters and spacing by name (U+200B, two spaces).
TEMPLATES.env.filters["form"] = form_shown


def _when(value: str | datetime | None) -> str:
    if value is None or value == "":
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return f"{moment:%Y-%m-%d %H:%M} UTC"


TEMPLATES.env.filters["when"] = _when

# The menu: what each role's work is, in the order people do it.
MENU: list[tuple[str, str, tuple[Role, ...]]] = [
    ("/", "Dashboard", ()),
    ("/documents", "Documents", (Role.DISTRIBUTOR, Role.INVESTIGATOR, Role.AUDITOR)),
    ("/recipients", "Recipients", (Role.DISTRIBUTOR,)),
    ("/variants", "Variants", (Role.DISTRIBUTOR,)),
    ("/watch", "Watch", (Role.INVESTIGATOR,)),
    ("/alerts", "Alerts", (Role.INVESTIGATOR,)),
    ("/public", "Public texts", (Role.DISTRIBUTOR, Role.INVESTIGATOR)),
    ("/trace", "Trace", (Role.INVESTIGATOR,)),
    ("/cases", "Cases", (Role.INVESTIGATOR, Role.AUDITOR)),
    ("/audit", "Audit log", (Role.AUDITOR,)),
    ("/jobs", "Jobs", ()),
    ("/account", "Account", ()),
    ("/users", "Users", (Role.ADMIN,)),
    ("/settings", "Settings", (Role.ADMIN,)),
]


def page(request: Request, caller: Caller | None, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    menu = []
    if caller is not None:
        menu = [(href, label) for href, label, roles in MENU if not roles or caller.has(*roles)]
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "caller": caller,
            "user": caller.user if caller else None,
            "roles": [r.value for r in caller.principal.roles] if caller else [],
            "csrf": caller.principal.csrf if caller else "",
            "csrf_field": CSRF_FIELD,
            "menu": menu,
            "path": request.url.path,
            **context,
        },
        status_code=status,
    )
