"""Users and settings, the admin's: adding people, their roles, password resets, disabling
and enabling, API tokens (each shown once, when made, and never stored); and the
workspace's settings, to read.

Passwords travel only in request bodies, never in a URL; no answer carries a
password hash. Every change is a unit of work with its audit entry (``user.add``,
``user.roles``, ``token.make`` ...). Settings are changed in the workspace's
``barium.toml`` (or ``BARIUM_*`` variables) on the server, never from here; the
database URL, which may hold its password, is never shown.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from barium.access import MIN_PASSWORD_LENGTH, ROLE_HELP, Role
from barium.access.passwords import MAX_PASSWORD_LENGTH
from barium.errors import Forbidden, InputError
from barium.services.users import UserInfo
from barium.settings import SETTINGS, Settings
from barium.store.models import utcnow
from barium.web.gate import Caller, allow
from barium.web.params import Id
from barium.web.render import page

router = APIRouter()
ADMIN = (Role.ADMIN,)
ROLE_PATTERN = "^(" + "|".join(r.value for r in Role) + ")$"
NAME_LENGTH = 100  # the service refuses names over 63 with a clear message
LABEL_LENGTH = 200
SQLITE = "(SQLite in the workspace)"
SET = "(set)"

UserName = Annotated[str, Path(max_length=NAME_LENGTH)]
RoleName = Annotated[str, Field(pattern=ROLE_PATTERN)]


class UserOut(BaseModel):
    """A user: roles, when made, and whether disabled, locked out, or when they last logged in."""

    model_config = ConfigDict(extra="allow")
    id: int
    name: str
    roles: list[str]
    created_at: str
    disabled_at: str | None
    locked_until: str | None
    last_login_at: str | None


class UserIn(BaseModel):
    """A new user: a name (lower case letters, digits, dots, hyphens, underscores), roles and a password."""

    name: str = Field(min_length=1, max_length=NAME_LENGTH)
    roles: list[RoleName] = Field(min_length=1, max_length=len(Role))
    password: str = Field(max_length=MAX_PASSWORD_LENGTH)


class RolesIn(BaseModel):
    """The user's roles from now on (all of them): tokens of a role taken away are revoked."""

    roles: list[RoleName] = Field(min_length=1, max_length=len(Role))


class PasswordIn(BaseModel):
    password: str = Field(max_length=MAX_PASSWORD_LENGTH)


class TokenIn(BaseModel):
    """A token acts with one role of the user's (their first by default) and may expire after ``days``."""

    role: RoleName | None = None
    label: str = Field(default="", max_length=LABEL_LENGTH)
    days: int | None = Field(default=None, ge=1, le=3650)


class TokenOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: int
    user: str
    role: str
    label: str
    created_at: str
    expires_at: str | None
    revoked_at: str | None
    last_used_at: str | None


class NewTokenOut(TokenOut):
    """The new token: ``token`` is its secret, shown this once and never stored (send it as
    ``Authorization: Bearer <token>``)."""

    token: str


class SettingOut(BaseModel):
    name: str
    kind: str
    value: Any
    help: str


# -- shared --------------------------------------------------------------------------------


def _user_view(u: UserInfo) -> dict[str, Any]:
    data = u.to_dict()
    data["locked"] = u.active and u.locked_until is not None and u.locked_until > utcnow()
    return data


def _settings(settings: Settings) -> list[dict[str, Any]]:
    """Every setting with its value and help; the database URL only as whether it is set."""
    values = asdict(settings)
    shown = []
    for s in SETTINGS:
        value = values[s.name]
        if s.name == "database_url":
            value = SET if value else SQLITE
        shown.append({"name": s.name, "kind": s.kind.__name__, "value": value, "help": s.help})
    return shown


def own_only(caller: Caller, name: str) -> None:
    """A token acts as its user: an admin who could make one for someone else could act as them
    (and, as a distributor, download a copy that frames its recipient)."""
    if name.strip().lower() != caller.user:
        raise Forbidden(
            "a token is made by its own user (their Account page, or `barium users token` on the server): "
            "a token made for someone else would let its maker act as them"
        )


def form_days(days: str) -> int | None:
    if days.strip() and not days.strip().isdecimal():
        raise InputError("a token lasts a whole number of days (1 to 3650), or leave it empty for no expiry")
    return int(days) if days.strip() else None


def _form_roles(roles: list[str] | None) -> list[str]:
    picked = [r for r in roles or [] if r.strip()]
    if not picked:
        raise InputError(f"tick at least one role: {', '.join(r.value for r in Role)}")
    return picked


def _same_passwords(password: str, again: str) -> str:
    if password != again:
        raise InputError("the two passwords differ; type the same password twice")
    return password


def _user_page(request: Request, caller: Caller, name: str, status: int = 200, **extra: Any) -> Response:
    b = caller.barium
    user = b.users.get(name)
    return page(
        request,
        caller,
        "users_detail.html",
        status=status,
        person=_user_view(user),
        all_roles=[(r.value, ROLE_HELP[r]) for r in Role],
        tokens=[t.to_dict() for t in b.users.tokens(user.name)],
        min_password=MIN_PASSWORD_LENGTH,
        **extra,
    )


# -- pages ---------------------------------------------------------------------------------


@router.get("/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(request: Request, caller: Caller = allow(*ADMIN)) -> Response:
    return page(
        request,
        caller,
        "users.html",
        users=[_user_view(u) for u in caller.barium.users.list()],
        all_roles=[(r.value, ROLE_HELP[r]) for r in Role],
        min_password=MIN_PASSWORD_LENGTH,
    )


@router.post("/users", include_in_schema=False)
def users_add(
    name: Annotated[str, Form(max_length=NAME_LENGTH)],
    password: Annotated[str, Form(max_length=MAX_PASSWORD_LENGTH)],
    password2: Annotated[str, Form(max_length=MAX_PASSWORD_LENGTH)],
    roles: Annotated[list[str] | None, Form()] = None,
    caller: Caller = allow(*ADMIN),
) -> Response:
    picked = _form_roles(roles)
    user = caller.barium.users.add(name, roles=picked, password=_same_passwords(password, password2))
    return RedirectResponse(f"/users/{user.name}", status_code=303)


@router.get("/users/{name}", response_class=HTMLResponse, include_in_schema=False)
def user_page(request: Request, name: UserName, caller: Caller = allow(*ADMIN)) -> Response:
    return _user_page(request, caller, name)


@router.post("/users/{name}/roles", include_in_schema=False)
def user_roles(
    name: UserName, roles: Annotated[list[str] | None, Form()] = None, caller: Caller = allow(*ADMIN)
) -> Response:
    user = caller.barium.users.set_roles(name, _form_roles(roles))
    return RedirectResponse(f"/users/{user.name}", status_code=303)


@router.post("/users/{name}/password", include_in_schema=False)
def user_password(
    name: UserName,
    password: Annotated[str, Form(max_length=MAX_PASSWORD_LENGTH)],
    password2: Annotated[str, Form(max_length=MAX_PASSWORD_LENGTH)],
    caller: Caller = allow(*ADMIN),
) -> Response:
    user = caller.barium.users.set_password(name, _same_passwords(password, password2))
    return RedirectResponse(f"/users/{user.name}", status_code=303)


@router.post("/users/{name}/disable", include_in_schema=False)
def user_disable(name: UserName, caller: Caller = allow(*ADMIN)) -> Response:
    user = caller.barium.users.disable(name)
    return RedirectResponse(f"/users/{user.name}", status_code=303)


@router.post("/users/{name}/enable", include_in_schema=False)
def user_enable(name: UserName, caller: Caller = allow(*ADMIN)) -> Response:
    user = caller.barium.users.enable(name)
    return RedirectResponse(f"/users/{user.name}", status_code=303)


@router.post("/users/{name}/tokens", response_class=HTMLResponse, include_in_schema=False)
def user_token(
    request: Request,
    name: UserName,
    role: Annotated[str, Form(max_length=40)] = "",
    label: Annotated[str, Form(max_length=LABEL_LENGTH)] = "",
    days: Annotated[str, Form(max_length=10)] = "",
    caller: Caller = allow(*ADMIN),
) -> Response:
    own_only(caller, name)
    secret, info = caller.barium.users.make_token(
        name, role=role.strip() or None, label=label.strip(), days=form_days(days)
    )
    # Shown in this answer only (no redirect: it is kept nowhere); the app's answers are never cached.
    return _user_page(request, caller, info.user, new_token={"secret": secret, **info.to_dict()})


@router.post("/tokens/{token_id}/revoke", include_in_schema=False)
def token_revoke(token_id: Id, caller: Caller = allow(*ADMIN)) -> Response:
    info = caller.barium.users.revoke_token(token_id)
    return RedirectResponse(f"/users/{info.user}", status_code=303)


@router.get("/settings", response_class=HTMLResponse, include_in_schema=False)
def settings_page(request: Request, caller: Caller = allow(*ADMIN)) -> Response:
    return page(request, caller, "settings.html", settings=_settings(request.app.state.workspace.settings))


# -- the JSON API --------------------------------------------------------------------------


@router.get("/api/users", tags=["users"])
def api_users(caller: Caller = allow(*ADMIN)) -> list[UserOut]:
    """Every user, by name."""
    return [UserOut.model_validate(u.to_dict()) for u in caller.barium.users.list()]


@router.post("/api/users", tags=["users"], status_code=201)
def api_user_add(spec: UserIn, caller: Caller = allow(*ADMIN)) -> UserOut:
    """Add a user who logs in to the web app with this password (at least 12 characters)."""
    return UserOut.model_validate(
        caller.barium.users.add(spec.name, roles=spec.roles, password=spec.password).to_dict()
    )


@router.get("/api/users/{name}", tags=["users"])
def api_user(name: UserName, caller: Caller = allow(*ADMIN)) -> UserOut:
    return UserOut.model_validate(caller.barium.users.get(name).to_dict())


@router.put("/api/users/{name}/roles", tags=["users"])
def api_user_roles(name: UserName, spec: RolesIn, caller: Caller = allow(*ADMIN)) -> UserOut:
    """Set the user's roles; a role taken away revokes its tokens and ends the user's web sessions.
    The last active admin keeps the admin role (409)."""
    return UserOut.model_validate(caller.barium.users.set_roles(name, spec.roles).to_dict())


@router.post("/api/users/{name}/password", tags=["users"])
def api_user_password(name: UserName, spec: PasswordIn, caller: Caller = allow(*ADMIN)) -> UserOut:
    """Set a new password; the user's web sessions end and a lockout is lifted."""
    return UserOut.model_validate(caller.barium.users.set_password(name, spec.password).to_dict())


@router.post("/api/users/{name}/disable", tags=["users"])
def api_user_disable(name: UserName, caller: Caller = allow(*ADMIN)) -> UserOut:
    """No more logins or token use (their tokens are revoked); the user stays, as the audit log names them."""
    return UserOut.model_validate(caller.barium.users.disable(name).to_dict())


@router.post("/api/users/{name}/enable", tags=["users"])
def api_user_enable(name: UserName, caller: Caller = allow(*ADMIN)) -> UserOut:
    """Let a disabled user log in again (their old tokens stay revoked)."""
    return UserOut.model_validate(caller.barium.users.enable(name).to_dict())


@router.get("/api/users/{name}/tokens", tags=["users"])
def api_user_tokens(name: UserName, caller: Caller = allow(*ADMIN)) -> list[TokenOut]:
    """The user's API tokens (never their secrets): role, label, last use, expiry, revocation."""
    return [TokenOut.model_validate(t.to_dict()) for t in caller.barium.users.tokens(name)]


@router.post("/api/users/{name}/tokens", tags=["users"], status_code=201)
def api_user_token(name: UserName, spec: TokenIn, caller: Caller = allow(*ADMIN)) -> NewTokenOut:
    """Make an API token for yourself (an admin's own account; everyone else: /api/me/tokens), scoped
    to one of your roles; its secret is in this answer only."""
    own_only(caller, name)
    secret, info = caller.barium.users.make_token(name, role=spec.role, label=spec.label, days=spec.days)
    return NewTokenOut.model_validate({"token": secret, **info.to_dict()})


@router.delete("/api/tokens/{token_id}", tags=["users"])
def api_token_revoke(token_id: Id, caller: Caller = allow(*ADMIN)) -> TokenOut:
    """Revoke an API token (revoking one already revoked changes nothing)."""
    return TokenOut.model_validate(caller.barium.users.revoke_token(token_id).to_dict())


@router.get("/api/settings", tags=["settings"])
def api_settings(request: Request, caller: Caller = allow(*ADMIN)) -> list[SettingOut]:
    """The workspace's settings in force, with what each means; ``database_url`` only as whether it is set.
    They are changed in the workspace's ``barium.toml`` (or ``BARIUM_*`` variables) on the server, and
    each change is recorded in the audit log at the next start."""
    return [SettingOut.model_validate(s) for s in _settings(request.app.state.workspace.settings)]
