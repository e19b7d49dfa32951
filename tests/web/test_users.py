"""Users and settings through the web: adding people who then log in, roles, passwords,
disabling, API tokens shown once; the settings, read only, without the database URL."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from barium.access import Role, digest
from tests.web.conftest import PASSWORD, Site

NEW_PASSWORD = "a different long passphrase"


def _log_in(web: Site, name: str, password: str) -> tuple[TestClient, int]:
    """A fresh browser logging in through the login form: the client and where it landed (status)."""
    c = web.client()
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)
    assert token is not None
    r = c.post("/login", data={"username": name, "password": password, "csrf": token.group(1), "next": "/"})
    return c, (r.status_code if r.url.path == "/" else -r.status_code)


def _form_token(html: str, action: str) -> str:
    """The form token the page put in its form posting to ``action`` (what a browser sends)."""
    form = re.search(rf'<form method="post" action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None, f"no form for {action}"
    token = re.search(r'<input type="hidden" name="csrf" value="([^"]+)">', form.group(1))
    assert token is not None, form.group(0)
    return token.group(1)


def _secret(html: str) -> str:
    found = re.findall(r"<code>(brm_[A-Za-z0-9_-]+)</code>", html)
    assert len(found) == 1, html
    return found[0]


def _workspace_bytes(web: Site) -> bytes:
    home: Path = web.b.ws.home
    return b"".join(p.read_bytes() for p in home.iterdir() if p.is_file() and p.name.startswith("barium.db"))


def test_the_admin_adds_a_user_through_the_page_who_can_then_log_in(web: Site) -> None:
    admin = web.login(Role.ADMIN)
    form = {"name": "Carol", "roles": ["investigator", "auditor"], "password": PASSWORD, "password2": PASSWORD}
    # As a browser would: the form as the page gives it, with the token the page put in it.
    token = _form_token(admin.get("/users").text, "/users")
    r = admin.client.post("/users", data={**form, "csrf": token})
    assert r.status_code == 200 and r.url.path == "/users/carol", r.text
    assert "investigator, auditor" in r.text and "never" in r.text
    listing = admin.get("/users").text
    assert 'href="/users/carol"' in listing and "argon2" not in listing
    added = [e for e in web.b.audit.entries(action="user.add") if e.subject == "user carol"]
    assert len(added) == 1 and added[0].actor == "admin-user"

    c, landed = _log_in(web, "carol", PASSWORD)
    assert landed == 200
    assert c.get("/cases").status_code == 200 and c.get("/users").status_code == 403
    assert web.b.users.get("carol").last_login_at is not None


def test_a_made_token_works_once_shown_and_a_role_taken_away_ends_it(web: Site) -> None:
    web.b.users.add("dan", roles=["distributor", "investigator"], password=PASSWORD)
    admin = web.login(Role.ADMIN)
    page = admin.get("/users/dan").text
    for action in ("/users/dan/roles", "/users/dan/password", "/users/dan/disable"):
        assert _form_token(page, action) == admin.csrf
    # A token acts as its user: an admin cannot make one for dan (it would let the admin act as dan).
    assert 'action="/users/dan/tokens"' not in page
    r = admin.post("/users/dan/tokens", {"role": "distributor", "label": "nightly script"})
    assert r.status_code == 403 and "made by its own user" in r.text
    dan = web.login(Role.DISTRIBUTOR, name="dan")
    assert _form_token(dan.get("/account").text, "/account/tokens") == dan.csrf
    r = dan.post("/account/tokens", {"role": "distributor", "label": "nightly script", "days": "30"})
    assert r.status_code == 200 and r.history == [] and r.url.path == "/account/tokens"
    secret = _secret(r.text)
    assert "shown this once" in r.text and "nightly script" in r.text
    assert secret not in dan.get("/account").text and secret not in admin.get("/users/dan").text  # shown once
    stored = _workspace_bytes(web)
    assert digest(secret).encode() in stored and secret.encode() not in stored  # only its hash is kept

    api = web.client()
    api.headers["Authorization"] = f"Bearer {secret}"
    me = api.get("/api/me").json()
    assert me == {"user": "dan", "roles": ["distributor"], "via": "token"}

    # Dan keeps investigator and loses distributor: the distributor token is revoked with it.
    r = admin.post("/users/dan/roles", {"roles": ["investigator"]})
    assert r.status_code == 200 and r.url.path == "/users/dan"
    assert api.get("/api/me").status_code == 401
    assert "revoked" in r.text and web.b.users.get("dan").roles == (Role.INVESTIGATOR,)


def test_passwords_reset_and_users_disabled_through_the_pages(web: Site) -> None:
    web.b.users.add("erin", roles=["auditor"], password=PASSWORD)
    _, landed = _log_in(web, "erin", PASSWORD)
    assert landed == 200
    admin = web.login(Role.ADMIN)
    r = admin.post("/users/erin/password", {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert r.status_code == 200 and r.url.path == "/users/erin"
    assert _log_in(web, "erin", PASSWORD)[1] == -401
    assert _log_in(web, "erin", NEW_PASSWORD)[1] == 200

    r = admin.post("/users/erin/disable")
    assert r.status_code == 200 and "disabled" in r.text and "Enable erin" in r.text
    assert _log_in(web, "erin", NEW_PASSWORD)[1] == -401
    r = admin.post("/users/erin/enable")
    assert "Disable erin" in r.text
    assert _log_in(web, "erin", NEW_PASSWORD)[1] == 200

    # A token (made by the server's operator: `barium users token erin`) revoked from the page stops working.
    secret, made = web.b.users.make_token("erin", label="report bot")
    token_id = made.id
    r = admin.post(f"/tokens/{token_id}/revoke")
    assert r.url.path == "/users/erin" and web.b.users.tokens("erin")[-1].revoked_at is not None
    api = web.client()
    api.headers["Authorization"] = f"Bearer {secret}"
    assert api.get("/api/me").status_code == 401


def test_bad_input_is_refused_with_a_clear_message_and_nothing_stored(web: Site) -> None:
    admin = web.login(Role.ADMIN)
    before = {u.name for u in web.b.users.list()}
    cases = [
        ({"name": "fay", "roles": ["auditor"], "password": "short", "password2": "short"}, "at least 12 characters"),
        ({"name": "fay", "roles": ["auditor"], "password": PASSWORD, "password2": PASSWORD + "x"}, "passwords differ"),
        ({"name": "fay", "password": PASSWORD, "password2": PASSWORD}, "tick at least one role"),
        ({"name": "fay", "roles": ["wizard"], "password": PASSWORD, "password2": PASSWORD}, "unknown role"),
        ({"name": "fay smith", "roles": ["auditor"], "password": PASSWORD, "password2": PASSWORD}, "a user name is"),
    ]
    for form, message in cases:
        r = admin.post("/users", form)
        assert r.status_code == 400 and message in r.text and "Traceback" not in r.text, (form, r.text)
    assert {u.name for u in web.b.users.list()} == before
    r = admin.post("/users", {"name": "admin-user", "roles": ["auditor"], "password": PASSWORD, "password2": PASSWORD})
    assert r.status_code == 409 and "exists already" in r.text
    # The last admin cannot lose the role, nor be disabled.
    r = admin.post("/users/admin-user/roles", {"roles": ["auditor"]})
    assert r.status_code == 409 and "last admin" in r.text
    assert admin.post("/users/admin-user/disable").status_code == 409
    assert web.b.users.get("admin-user").roles == (Role.ADMIN,) and web.b.users.get("admin-user").active
    # A token of the admin's own, for a role they do not hold, or lasting too long.
    assert admin.post("/users/admin-user/tokens", {"role": "distributor"}).status_code == 403
    r = admin.post("/users/admin-user/tokens", {"days": "forever"})
    assert r.status_code == 400 and "whole number of days" in r.text
    assert admin.post("/users/admin-user/tokens", {"days": "9999"}).status_code == 400
    assert admin.post("/account/tokens", {"role": "auditor"}).status_code == 404  # held by the user? no
    assert web.b.users.tokens("admin-user") == []
    # Unknown users and tokens.
    assert admin.get("/users/nobody").status_code == 404
    assert admin.post("/users/nobody/password", {"password": PASSWORD, "password2": PASSWORD}).status_code == 404
    assert admin.post("/tokens/999/revoke").status_code == 404


def test_the_users_api(web: Site) -> None:
    api = web.api(Role.ADMIN)
    r = api.post("/api/users", json={"name": "hal", "roles": ["distributor"], "password": PASSWORD})
    assert r.status_code == 201 and r.json()["name"] == "hal" and r.json()["roles"] == ["distributor"]
    everyone = api.get("/api/users")
    assert {u["name"] for u in everyone.json()} == {"admin-user", "hal"}
    assert "password" not in everyone.text and "argon2" not in everyone.text
    assert api.get("/api/users/hal").json()["last_login_at"] is None

    refused = api.post("/api/users/hal/tokens", json={"role": "distributor", "label": "ci"})
    assert refused.status_code == 403 and web.b.users.tokens("hal") == []
    first, _ = web.b.users.make_token("hal")  # the server's operator: `barium users token hal`
    hal = web.client()
    hal.headers["Authorization"] = f"Bearer {first}"
    r = hal.post("/api/me/tokens", json={"label": "ci"})  # hal makes his own, with this token's role
    assert r.status_code == 201 and r.json()["role"] == "distributor"
    made = r.json()
    assert hal.post("/api/me/tokens", json={"role": "investigator"}).status_code == 404  # never wider
    hal.headers["Authorization"] = f"Bearer {made['token']}"
    assert hal.get("/api/me").json()["user"] == "hal"
    hal.delete(f"/api/me/tokens/{r.json()['id'] - 1}")  # the first one, revoked by hal himself
    listed = api.get("/api/users/hal/tokens")
    assert [t["id"] for t in listed.json()] == [made["id"] - 1, made["id"]] and made["token"] not in listed.text
    assert listed.json()[0]["revoked_at"] is not None and listed.json()[1]["revoked_at"] is None

    r = api.put("/api/users/hal/roles", json={"roles": ["distributor", "investigator"]})
    assert r.json()["roles"] == ["distributor", "investigator"]
    assert hal.get("/api/me").status_code == 200  # kept the token's role: the token lives on
    assert api.post("/api/users/hal/password", json={"password": NEW_PASSWORD}).status_code == 200
    assert _log_in(web, "hal", NEW_PASSWORD)[1] == 200

    r = api.delete(f"/api/tokens/{made['id']}")
    assert r.status_code == 200 and r.json()["revoked_at"] is not None
    assert hal.get("/api/me").status_code == 401
    assert api.post("/api/users/hal/disable").json()["disabled_at"] is not None
    assert _log_in(web, "hal", NEW_PASSWORD)[1] == -401
    assert api.post("/api/users/hal/enable").json()["disabled_at"] is None

    # Bad input and unknown names.
    r = api.post("/api/users", json={"name": "ivy", "roles": ["auditor"], "password": "short"})
    assert r.status_code == 400 and "at least 12 characters" in r.json()["error"]["message"]
    r = api.post("/api/users", json={"name": "ivy", "roles": ["wizard"], "password": PASSWORD})
    assert r.status_code == 422 and r.json()["error"]["type"] == "InputError"
    assert api.post("/api/users", json={"name": "ivy", "roles": [], "password": PASSWORD}).status_code == 422
    assert api.post("/api/users/admin-user/tokens", json={"days": 0}).status_code == 422
    assert "ivy" not in {u.name for u in web.b.users.list()}
    assert api.get("/api/users/nobody").status_code == 404
    assert api.put("/api/users/nobody/roles", json={"roles": ["auditor"]}).status_code == 404
    assert api.get("/api/users/nobody/tokens").status_code == 404
    assert api.delete("/api/tokens/999").status_code == 404


def test_users_and_settings_are_the_admins_alone(web: Site) -> None:
    for role in (Role.AUDITOR, Role.DISTRIBUTOR):
        browser = web.login(role)
        assert browser.get("/users").status_code == 403
        assert browser.get("/settings").status_code == 403
        form = {"name": "mallory", "roles": ["admin"], "password": PASSWORD, "password2": PASSWORD}
        r = browser.post("/users", form)
        assert r.status_code == 403 and "admin" in r.text
        api = web.api(role, f"{role.value}-api")
        assert api.get("/api/users").status_code == 403
        assert (
            api.post("/api/users", json={"name": "mallory", "roles": ["admin"], "password": PASSWORD}).status_code
            == 403
        )
        assert api.post(f"/api/users/{role.value}-user/tokens", json={}).status_code == 403
        assert api.get("/api/settings").status_code == 403
    assert "mallory" not in {u.name for u in web.b.users.list()}


def test_the_settings_are_shown_but_never_the_database_url(web: Site) -> None:
    settings = web.b.ws.settings
    assert settings.database_url == ""  # the default: SQLite in the workspace
    admin = web.login(Role.ADMIN)
    r = admin.get("/settings")
    assert r.status_code == 200
    page = r.text
    assert "(SQLite in the workspace)" in page and "barium.toml" in page and "audit log at the next start" in page
    assert "postgresql" not in page and "sqlite:" not in page and str(web.b.ws.home / "barium.db") not in page
    assert "max_false_accusation" in page and str(settings.max_false_accusation) in page
    assert ", ".join(settings.channels) in page and "Largest coalition the decoders are built for" in page

    shown = {s["name"]: s for s in web.api(Role.ADMIN, "admin-api").get("/api/settings").json()}
    assert shown["database_url"]["value"] == "(SQLite in the workspace)"
    assert shown["colluders"] == {
        "name": "colluders",
        "kind": "int",
        "value": settings.colluders,
        "help": "Largest coalition the decoders are built for (c).",
    }
    assert shown["channels"]["value"] == list(settings.channels)
