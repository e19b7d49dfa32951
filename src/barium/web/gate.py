"""Who is asking, and whether they may: every route declares its roles here.

A route takes ``caller: Caller = allow(Role.INVESTIGATOR, ...)``. The gate finds
the principal (a Bearer token under ``/api``, the session cookie elsewhere: an API
request never rides on a browser's cookie, so it needs no CSRF token), refuses a
missing login (401) or a missing role (403), and, on a page's unsafe method,
checks the form token (CSRF) and the ``Origin`` header. Only the routes made with
:func:`public` (the login page, static files, health) skip it; the app refuses to
start with a route that declares neither, and a test drives every route for
every role from this declaration.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request

from barium.access import Role
from barium.errors import Forbidden, Unauthorized
from barium.services import Actor, Barium
from barium.services.users import Principal

SESSION_COOKIE = "__Host-barium-session"  # __Host-: Secure, Path=/, no Domain; no subdomain can set it
LOGIN_COOKIE = "__Host-barium-login"  # the login form's own CSRF token (double submit), before a session
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class Caller:
    """A request's principal and the services acting for them (the audit log's actor)."""

    principal: Principal
    barium: Barium

    @property
    def user(self) -> str:
        return self.principal.user

    def has(self, *roles: Role) -> bool:
        return self.principal.has(roles)


def is_api(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def workspace_barium(request: Request, actor: Actor) -> Barium:
    return Barium(request.app.state.workspace, actor)


def anonymous(request: Request) -> Barium:
    """The services acting for a caller not yet known (a login attempt): the audit log
    shows ``web:anonymous`` with the address."""
    return workspace_barium(request, Actor("web", "anonymous"))


def principal_of(request: Request) -> Principal:
    """The principal, or :class:`Unauthorized`."""
    users = anonymous(request).users
    if is_api(request):
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("send an API token: Authorization: Bearer <token> (see `barium users token`)")
        return users.by_token(token.strip())
    return users.by_session(request.cookies.get(SESSION_COOKIE, ""))


def check_origin(request: Request) -> None:
    """A browser's write comes from a page of this origin (scheme, host and port: cookies are
    not kept apart by port, so a page on another port of this host must be refused here)."""
    origin = request.headers.get("origin")
    if origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}":
        raise Forbidden("this form was sent from another site")


async def check_form_token(request: Request, expected: str) -> None:
    """A page's write must carry the session's form token (field or htmx header), from this origin."""
    check_origin(request)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else ""
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise Forbidden("this form has expired or was not sent from Barium; reload the page and try again")


@dataclass(frozen=True, slots=True)
class Gate:
    """The dependency a route declares its roles with (empty: any logged-in user)."""

    roles: tuple[Role, ...]

    async def __call__(self, request: Request) -> Caller:
        principal = principal_of(request)
        if self.roles and not principal.has(self.roles):
            wanted = " or ".join(r.value for r in self.roles)
            raise Forbidden(
                f"this needs the role {wanted}; {principal.user} has {', '.join(principal.roles) or 'none'}"
            )
        if request.method not in SAFE_METHODS and principal.via == "session":
            await check_form_token(request, principal.csrf)
        return Caller(principal, workspace_barium(request, Actor("web", principal.user)))


def allow(*roles: Role) -> Any:
    """``caller: Caller = allow(Role.X, Role.Y)``: the route admits these roles (none given: any user)."""
    return Depends(Gate(tuple(roles)))


PUBLIC_ROUTE = "barium_public"


def public(endpoint: Any) -> Any:
    """Mark a route as open to anyone (it declares no roles on purpose)."""
    setattr(endpoint, PUBLIC_ROUTE, True)
    return endpoint


def gate_of(dependencies: list[Any]) -> Gate | None:
    """The gate among a route's dependencies (for the route table and its tests)."""
    for dep in dependencies:
        call = getattr(dep, "call", None)
        if isinstance(call, Gate):
            return call
    return None
