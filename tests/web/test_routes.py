"""Every route, for every role and for no login, from the route table itself: a route that
forgets its roles cannot be added (create_app refuses it), and none lets the wrong role in."""

from __future__ import annotations

import re
from typing import Any

import pytest

from barium.access import Role
from barium.web.app import route_table
from barium.web.gate import PUBLIC_ROUTE, gate_of
from tests.web.conftest import Site

ROLE_REFUSED = "this needs the role"


def routes(app: Any) -> list[tuple[str, str, tuple[Role, ...]]]:
    """(method, path, roles) of every gated route; roles empty: any logged-in user."""
    found = []
    for r in route_table():
        if getattr(r.endpoint, PUBLIC_ROUTE, False):
            continue
        gate = gate_of(r.dependant.dependencies)
        assert gate is not None, r.path
        for method in sorted(r.methods or ()):
            found.append((method, r.path, gate.roles))
    # Logging out last: it ends the session the other calls ride on.
    return sorted(found, key=lambda route: route[1] == "/logout")


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "999999", path)  # no such thing: no call can change what the others ride on


def _call(client: Any, method: str, path: str, csrf: str | None) -> Any:
    url = _url(path)
    if method in ("GET", "HEAD"):
        return client.request(method, url, follow_redirects=False)
    if path.startswith("/api/"):
        return client.request(method, url, json={}, follow_redirects=False)
    return client.request(method, url, data={"csrf": csrf or ""}, follow_redirects=False)


def test_the_route_table_declares_roles_for_every_route(web: Site) -> None:
    table = routes(web.app)
    assert len(table) >= 40
    # The narrow ones stay narrow: copies and mark sites are the distributor's alone.
    narrow = {(m, p): roles for m, p, roles in table}
    assert narrow[("GET", "/jobs/{job_id}/download")] == ()  # gated again by the job's kind (test_documents)
    assert narrow[("GET", "/documents/{doc}/sites")] == (Role.DISTRIBUTOR,)
    assert narrow[("POST", "/api/documents/{doc}/issue")] == (Role.DISTRIBUTOR,)


def test_no_login_gets_no_route(web: Site) -> None:
    c = web.client()
    for method, path, _ in routes(web.app):
        r = _call(c, method, path, None)
        if path.startswith("/api/"):
            assert r.status_code == 401, (method, path, r.status_code)
        else:
            assert r.status_code == 303 and r.headers["location"].startswith("/login"), (method, path, r.status_code)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_exactly_its_routes(web: Site, role: Role) -> None:
    browser = web.login(role)
    api = web.api(role)
    for method, path, roles in routes(web.app):
        client, csrf = (api, None) if path.startswith("/api/") else (browser.client, browser.csrf)
        r = _call(client, method, path, csrf)
        allowed = not roles or role in roles
        assert r.status_code < 500, (role, method, path, r.status_code, r.text[:300])
        refused = r.status_code == 403 and ROLE_REFUSED in r.text
        if allowed:
            assert r.status_code != 401 and not refused, (role, method, path, r.status_code, r.text[:200])
        else:
            assert refused, (role, method, path, r.status_code, r.text[:200])


def test_an_api_token_never_opens_a_page_and_a_cookie_never_opens_the_api(web: Site) -> None:
    browser = web.login(Role.INVESTIGATOR)
    assert browser.get("/api/me", follow_redirects=False).status_code == 401
    api = web.api(Role.INVESTIGATOR)
    assert api.get("/trace", follow_redirects=False).status_code == 303
    assert api.get("/api/me").json()["roles"] == ["investigator"]
