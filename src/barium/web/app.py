"""The web app: one FastAPI application over one workspace, pages and a JSON API.

The workspace (and its key) is opened once, by the server; every request acts
through the services for its logged-in user (:mod:`barium.web.gate`), the same
services the CLI calls. ``create_app`` refuses a route that declares no roles.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from barium import __version__
from barium.services import Actor, Barium
from barium.web import errors
from barium.web.gate import PUBLIC_ROUTE, gate_of
from barium.web.guard import BodyLimit, LoginThrottle, SecurityHeaders
from barium.web.routes import ROUTERS
from barium.web.worker import Runner
from barium.workspace import Workspace

log = logging.getLogger("barium.web")
MULTIPART_SLACK = 1 << 20  # form fields and part headers around the largest upload


def upload_cap(ws: Workspace) -> int:
    """The largest request body: the largest file any form takes, and room for the rest."""
    s = ws.settings
    return max(s.max_document_bytes, s.max_leak_bytes, s.max_csv_bytes) + MULTIPART_SLACK


def route_table() -> list[APIRoute]:
    """Every route of the app (each router is included whole, without a prefix)."""
    return [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]


def create_app(home: Path | str | None = None, *, workspace: Workspace | None = None, jobs: bool = True) -> FastAPI:
    """The app over the workspace at ``home`` (or an open ``workspace``); ``jobs=False``
    runs no job runner in this process (jobs then wait for a server that runs one)."""
    ws = workspace or Barium.open(home, actor=Actor("system", "barium serve")).ws
    runner = Runner(ws, ws.settings.web_job_threads) if jobs else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if runner is not None:
            runner.start()
        try:
            yield
        finally:
            if runner is not None:
                runner.stop()

    app = FastAPI(
        title="Barium",
        version=__version__,
        summary="Trace leaked documents to their recipients: the JSON API under /api (Bearer tokens).",
        lifespan=lifespan,
        docs_url=None,  # the interactive docs load scripts from a CDN; the schema is at /api/openapi.json
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.workspace = ws
    app.state.runner = runner
    app.state.login_throttle = LoginThrottle()
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(resources.files("barium.web").joinpath("static"))), name="static")
    undeclared = [
        f"{sorted(r.methods or ())} {r.path}"
        for r in route_table()
        if gate_of(r.dependant.dependencies) is None and not getattr(r.endpoint, PUBLIC_ROUTE, False)
    ]
    if undeclared:
        raise RuntimeError(f"routes without declared roles: {', '.join(undeclared)}")
    app.add_middleware(BodyLimit, cap=upload_cap(ws))
    app.add_middleware(SecurityHeaders)
    return app
