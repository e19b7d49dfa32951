"""One handler for every error: its status from :attr:`BariumError.status`, its message
written for the user, as JSON under ``/api`` and as a page elsewhere. Never a
traceback: an unexpected error is logged on the server and answered with 500 and
a reference to that log line.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from barium.errors import BariumError, InputError, InputTooLarge, LockedOut, Unauthorized
from barium.services import Actor
from barium.web.gate import Caller, is_api, principal_of, workspace_barium
from barium.web.guard import secure
from barium.web.render import page

log = logging.getLogger("barium.web")

_HTTP_TYPES = {400: "InputError", 404: "NotFound", 405: "MethodNotAllowed", 413: "InputTooLarge", 422: "InputError"}


# What a page's heading says for each kind of error (the API gives the kind itself).
TITLES = {
    "InputError": "That cannot be used",
    "UnsupportedFormat": "Not a format Barium reads",
    "InputTooLarge": "Too large",
    "NotFound": "Not found",
    "Conflict": "Not done: it conflicts with what is recorded",
    "IntegrityFailure": "Refused, to keep the record true",
    "Forbidden": "Not allowed",
    "Unauthorized": "Not logged in",
    "LockedOut": "Too many attempts",
    "MethodNotAllowed": "Not allowed here",
    "FetchError": "Could not fetch",
    "InternalError": "Something went wrong on the server",
}


def _caller(request: Request) -> Caller | None:
    """Who is logged in, for the page's menu (none when the error is about that)."""
    try:
        principal = principal_of(request)
    except BariumError:
        return None
    return Caller(principal, workspace_barium(request, Actor("web", principal.user)))


def respond(request: Request, status: int, kind: str, message: str, details: Any = None) -> Response:
    if is_api(request):
        body: dict[str, Any] = {"type": kind, "message": message}
        if details is not None:
            body["details"] = details
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"error": body}, status_code=status, headers=headers)
    title = TITLES.get(kind, "That did not work")
    return page(request, _caller(request), "error.html", status=status, kind=kind, title=title, message=message)


def _barium_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BariumError)
    if isinstance(exc, Unauthorized) and not isinstance(exc, LockedOut) and not is_api(request):
        # A page asked for without a login: to the login page, and back here afterwards.
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
    return respond(request, exc.status, type(exc).__name__, exc.message)


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    cause = exc.__cause__
    if isinstance(cause, BariumError):  # raised while the body was read (the body cap)
        return _barium_error(request, cause)
    message = exc.detail if isinstance(exc.detail, str) else "bad request"
    if exc.status_code == 404:
        message = "no such page"
    return respond(request, exc.status_code, _HTTP_TYPES.get(exc.status_code, "HTTPError"), message)


def _invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": str(e.get("msg", ""))} for e in exc.errors()
    ]
    cause = next((e.get("ctx", {}).get("error") for e in exc.errors() if isinstance(e.get("ctx"), dict)), None)
    if isinstance(cause, InputTooLarge):
        return _barium_error(request, cause)
    errs = exc.errors()
    if errs and all(e.get("loc", ("",))[0] == "path" and e.get("type") == "less_than_equal" for e in errs):
        return respond(request, 404, "NotFound", "no such record: that id is beyond any there is")
    summary = "; ".join(f"{p['where']}: {p['problem']}" for p in problems[:5]) or "the request is not valid"
    return respond(request, 422, InputError.__name__, summary, problems)


def _unexpected(request: Request, exc: Exception) -> Response:
    if isinstance(exc, OverflowError):  # a number no column holds, in a field no model bounds
        response = respond(request, 400, InputError.__name__, "a number in the request is out of range")
    else:
        reference = secrets.token_hex(4)
        log.error("unexpected error %s on %s %s", reference, request.method, request.url.path, exc_info=exc)
        response = respond(
            request, 500, "InternalError", f"something went wrong on the server (reference {reference} in its log)"
        )
    secure(response.headers)
    return response


def install(app: FastAPI) -> None:
    app.add_exception_handler(BariumError, _barium_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(Exception, _unexpected)
