"""Logging in and out, who am I, and the health check.

The login form carries its own CSRF token (a cookie and the same value in the form,
compared on submit), since there is no session yet to hold one. A successful
login always starts a new session with a new secret, so a cookie planted before
login is never the one that gets logged in (session fixation).
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from barium.access import new_secret
from barium.errors import Forbidden, LockedOut, Unauthorized
from barium.services.users import WRONG
from barium.web.gate import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    Caller,
    allow,
    anonymous,
    check_origin,
    client_address,
    public,
)
from barium.web.render import page

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


def _cookie(response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", secure=True, httponly=True, samesite="strict")


def _login_page(request: Request, next: str | None, *, error: str = "", status: int = 200) -> Response:
    token = new_secret()
    response = page(request, None, "login.html", status, login_csrf=token, next=_safe_next(next), error=error)
    _cookie(response, LOGIN_COOKIE, token, 600)
    return response


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
@public
def login_form(request: Request, next: str | None = None) -> Response:
    return _login_page(request, next)


@router.post("/login", include_in_schema=False)
@public
def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=2000)],
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    check_origin(request)  # login CSRF: another port of this host can set the login cookie
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), csrf.encode()):
        raise Forbidden("the login form has expired; reload the page and log in again")
    address = client_address(request)
    try:
        request.app.state.login_throttle.check(address)
        login = anonymous(request).users.login(username, password, address=address)
    except LockedOut as exc:
        if "address" in exc.message:  # this address's throttle: says nothing about any user
            return _login_page(request, next, error=exc.message, status=exc.status)
        # A locked-out user sees what a wrong name sees: a different answer would tell an attacker
        # which names exist. The lockout is in the audit log and on the admin's users page.
        return _login_page(request, next, error=WRONG, status=401)
    except Unauthorized as exc:  # the form again, with why
        return _login_page(request, next, error=exc.message, status=exc.status)
    response = RedirectResponse(_safe_next(next), status_code=303)
    hours = request.app.state.workspace.settings.web_session_hours
    _cookie(response, SESSION_COOKIE, login.secret, hours * 3600)
    response.delete_cookie(LOGIN_COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, caller: Caller = allow()) -> Response:
    caller.barium.users.logout(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    return response


class Me(BaseModel):
    user: str
    roles: list[str]
    via: str


@router.get("/api/me", tags=["session"])
def me(caller: Caller = allow()) -> Me:
    """Who this token belongs to, and the role it acts with."""
    return Me(user=caller.user, roles=[r.value for r in caller.principal.roles], via=caller.principal.via)


@router.get("/healthz", include_in_schema=False)
@public
def health() -> dict[str, Any]:
    return {"ok": True}
