"""Your account: your roles, and your own API tokens (made, listed, revoked by you alone).

A token acts as its user, so it is made by that user: from a browser session here, with
any of their roles; from a token, with that token's role only (a token never widens itself).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from barium.errors import NotFound
from barium.services.users import TokenInfo
from barium.web.gate import Caller, allow
from barium.web.params import Id
from barium.web.render import page
from barium.web.routes.users import LABEL_LENGTH, NewTokenOut, TokenIn, TokenOut, form_days

router = APIRouter()


def _mine(caller: Caller, token_id: int) -> TokenInfo:
    for t in caller.barium.users.tokens(caller.user):
        if t.id == token_id:
            return t
    raise NotFound(f"you have no token {token_id}")


def _make(caller: Caller, role: str | None, label: str, days: int | None) -> tuple[str, TokenInfo]:
    held = [r.value for r in caller.principal.roles]
    chosen = role or (held[0] if held else None)
    if chosen not in held:
        raise NotFound(
            f"you act here with {', '.join(held) or 'no role'}; a token of yours can act only with one of them"
        )
    return caller.barium.users.make_token(caller.user, role=chosen, label=label, days=days)


def _account(request: Request, caller: Caller, **extra: Any) -> Response:
    tokens = [t.to_dict() for t in caller.barium.users.tokens(caller.user)]
    return page(request, caller, "account.html", tokens=tokens, **extra)


@router.get("/account", response_class=HTMLResponse, include_in_schema=False)
def account_page(request: Request, caller: Caller = allow()) -> Response:
    return _account(request, caller)


@router.post("/account/tokens", response_class=HTMLResponse, include_in_schema=False)
def account_token(
    request: Request,
    role: Annotated[str, Form(max_length=40)] = "",
    label: Annotated[str, Form(max_length=LABEL_LENGTH)] = "",
    days: Annotated[str, Form(max_length=10)] = "",
    caller: Caller = allow(),
) -> Response:
    secret, info = _make(caller, role.strip() or None, label.strip(), form_days(days))
    # Shown in this answer only (no redirect: it is kept nowhere); no answer is cached.
    return _account(request, caller, new_token={"secret": secret, **info.to_dict()})


@router.post("/account/tokens/{token_id}/revoke", include_in_schema=False)
def account_revoke(token_id: Id, caller: Caller = allow()) -> Response:
    caller.barium.users.revoke_token(_mine(caller, token_id).id)
    return RedirectResponse("/account", status_code=303)


@router.get("/api/me/tokens", tags=["session"])
def api_my_tokens(caller: Caller = allow()) -> list[TokenOut]:
    """Your API tokens (never their secrets)."""
    return [TokenOut.model_validate(t.to_dict()) for t in caller.barium.users.tokens(caller.user)]


@router.post("/api/me/tokens", tags=["session"], status_code=201)
def api_my_token(spec: TokenIn, caller: Caller = allow()) -> NewTokenOut:
    """A new token of yours, with this token's role (a token never makes a wider one); the secret is in
    this answer only."""
    secret, info = _make(caller, spec.role, spec.label, spec.days)
    return NewTokenOut.model_validate({"token": secret, **info.to_dict()})


@router.delete("/api/me/tokens/{token_id}", tags=["session"])
def api_my_token_revoke(token_id: Id, caller: Caller = allow()) -> TokenOut:
    """Revoke a token of yours."""
    return TokenOut.model_validate(caller.barium.users.revoke_token(_mine(caller, token_id).id).to_dict())
