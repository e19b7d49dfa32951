"""The web app's defences, each tried for real: CSRF, session fixation, lockout and the login
throttle, security headers, the body cap against an upload bomb, errors without tracebacks."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from barium.access import Role
from barium.web.gate import SESSION_COOKIE
from tests.web.conftest import BASE, PASSWORD, Site


def _login_token(c: TestClient) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)
    assert m is not None
    return m.group(1)


def test_pages_need_a_login_and_send_the_security_headers(web: Site) -> None:
    c = web.client()
    r = c.get("/documents?x=1", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/documents%3Fx%3D1"
    r = c.get("/login")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"] == "no-store"
    assert "<script>" not in r.text and " style=" not in r.text  # nothing inline for the CSP to refuse


def test_the_session_cookie_is_secure_httponly_strict_and_expires(web: Site) -> None:
    web.user(Role.AUDITOR, "ann")
    c = web.client()
    token = _login_token(c)
    r = c.post("/login", data={"username": "ann", "password": PASSWORD, "csrf": token}, follow_redirects=False)
    cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith(SESSION_COOKIE))
    attrs = {a.strip().split("=")[0].lower() for a in cookie.split(";")}
    assert {"secure", "httponly", "max-age", "path"} <= attrs and "samesite=strict" in cookie.lower()


def test_a_form_without_its_token_or_from_another_site_is_refused(web: Site) -> None:
    inv = web.login(Role.INVESTIGATOR)
    r = inv.client.post("/trace", data={"text": "some leaked words"})
    assert r.status_code == 403 and "form has expired" in r.text
    r = inv.client.post("/trace", data={"text": "x", "csrf": "forged"})
    assert r.status_code == 403
    r = inv.client.post("/trace", data={"text": "x", "csrf": inv.csrf}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and "another site" in r.text
    # The login form has its own token, tied to its cookie.
    c = web.client()
    r = c.post("/login", data={"username": "investigator-user", "password": PASSWORD, "csrf": "guess"})
    assert r.status_code == 403


def test_a_planted_session_cookie_is_never_the_one_logged_in(web: Site) -> None:
    """Session fixation: whatever cookie the browser had before, login sets a new secret."""
    web.user(Role.AUDITOR, "ann")
    c = web.client()
    c.cookies.set(SESSION_COOKIE, "planted-by-an-attacker", domain="testserver")
    token = _login_token(c)
    r = c.post("/login", data={"username": "ann", "password": PASSWORD, "csrf": token}, follow_redirects=False)
    issued = r.cookies.get(SESSION_COOKIE)
    assert issued and issued != "planted-by-an-attacker"
    attacker = TestClient(web.app, base_url=BASE)
    attacker.cookies.set(SESSION_COOKIE, "planted-by-an-attacker", domain="testserver")
    assert attacker.get("/", follow_redirects=False).status_code == 303  # the planted one logs no one in


def test_logout_ends_the_session_on_the_server(web: Site) -> None:
    aud = web.login(Role.AUDITOR)
    secret = aud.client.cookies.get(SESSION_COOKIE)
    assert aud.post("/logout").url.path == "/login"
    replay = TestClient(web.app, base_url=BASE)
    replay.cookies.set(SESSION_COOKIE, secret or "", domain="testserver")
    assert replay.get("/", follow_redirects=False).status_code == 303


def test_wrong_passwords_lock_the_user_and_one_address_is_throttled(web: Site) -> None:
    web.user(Role.DISTRIBUTOR, "dee")
    c = web.client()
    attempts = web.b.ctx.settings.web_login_attempts
    for _ in range(attempts):
        r = c.post("/login", data={"username": "dee", "password": "wrong password!", "csrf": _login_token(c)})
        assert r.status_code == 401 and "wrong user name or password" in r.text
    # Locked out: the right password is refused too, with the answer a wrong name gets (no hint
    # of which names exist); the lockout shows to the admin and in the audit log.
    r = c.post("/login", data={"username": "dee", "password": PASSWORD, "csrf": _login_token(c)})
    assert r.status_code == 401 and "wrong user name or password" in r.text
    assert web.b.users.get("dee").locked_until is not None
    assert web.b.audit.entries(action="login.locked")
    # One address trying many names is stopped too, whatever the names.
    statuses = [
        c.post("/login", data={"username": f"name{n}", "password": "x" * 12, "csrf": _login_token(c)}).status_code
        for n in range(25)
    ]
    assert statuses[0] == 401 and statuses[-1] == 429


@pytest.mark.parametrize("chunked", [False, True])
def test_an_upload_over_the_cap_is_refused_before_it_is_read(web: Site, chunked: bool) -> None:
    from barium.web.app import upload_cap

    cap = upload_cap(web.b.ws)
    inv = web.api(Role.INVESTIGATOR)
    big = b"a" * (cap + 1)
    if chunked:  # no Content-Length: the bytes are counted as they arrive
        r = inv.post(
            "/api/trace/files",
            content=iter([big[: cap // 2], big[cap // 2 :]]),
            headers={"content-type": "multipart/form-data; boundary=x"},
        )
    else:
        r = inv.post("/api/trace/files", files={"files": ("leak.txt", big, "text/plain")})
    assert r.status_code == 413 and r.json()["error"]["type"] == "InputTooLarge"


def test_a_zip_bomb_leak_is_refused_within_its_cap(web: Site) -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document>" + b"A" * 200_000_000 + b"</w:document>")
    inv = web.api(Role.INVESTIGATOR)
    r = inv.post("/api/trace/files", files={"files": ("leak.docx", buf.getvalue(), "application/octet-stream")})
    assert 400 <= r.status_code < 500 and "Traceback" not in r.text, r.text


def test_api_errors_are_json_with_the_status_of_the_error(web: Site) -> None:
    c = web.client()
    r = c.get("/api/documents")
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    c.headers["Authorization"] = "Bearer brm_not-a-token"
    assert c.get("/api/documents").json()["error"]["type"] == "Unauthorized"
    dist = web.api(Role.DISTRIBUTOR)
    assert dist.get("/api/documents/999").status_code == 404
    assert dist.get("/api/nothing-here").json()["error"]["type"] == "NotFound"
    r = dist.post("/api/documents/1/issue", json={"to": "not a list"})
    assert r.status_code == 422 and r.json()["error"]["type"] == "InputError"
    assert dist.post("/api/trace", json={"text": "words"}).status_code == 403  # tracing is the investigator's


def test_a_login_posted_from_another_port_of_this_host_is_refused(web: Site) -> None:
    """Cookies are not kept apart by port: a page on another port could set the login cookie."""
    web.user(Role.AUDITOR, "ann")
    c = web.client()
    token = _login_token(c)
    r = c.post(
        "/login",
        data={"username": "ann", "password": PASSWORD, "csrf": token},
        headers={"Origin": "https://testserver:9994"},
        follow_redirects=False,
    )
    assert r.status_code == 403 and SESSION_COOKIE not in r.cookies


def test_an_unexpected_error_page_still_sends_the_security_headers(web: Site) -> None:
    inv = web.api(Role.INVESTIGATOR)
    r = inv.post("/api/cases", json={"title": "x", "due": "9999-12-31T23:59:59-14:00"})
    assert r.status_code == 400 and "out of range" in r.json()["error"]["message"]
    r = inv.post("/api/cases", json={"title": "x", "doc": "9" * 30})
    assert r.status_code == 404 and r.headers["cache-control"] == "no-store"
    # And a failure no handler foresaw: answered with the headers, and no traceback.
    from starlette.requests import Request

    from barium.web.errors import _unexpected

    scope = {"type": "http", "method": "GET", "path": "/x", "headers": [], "query_string": b"", "app": web.app}
    answer = _unexpected(Request(scope), RuntimeError("boom"))
    assert answer.status_code == 500 and "content-security-policy" in answer.headers
    assert answer.headers["cache-control"] == "no-store" and b"boom" not in answer.body


def test_under_the_two_person_rule_no_trace_on_this_server_names_anyone(web: Site) -> None:
    import dataclasses

    from barium.web import create_app
    from tests.conftest import FIXTURES, add_people

    add_people(web.b, 5)
    doc = web.b.documents.add(FIXTURES / "memo.txt", title="Release")
    leak = web.b.issuing.issue(doc.id, all_recipients=True).copies[2].text
    ws = dataclasses.replace(web.b.ws, settings=web.b.ws.settings.replace(case_two_person_rule=True))
    web.app = create_app(workspace=ws)
    api = web.api(Role.INVESTIGATOR)
    got = api.post("/api/trace", json={"text": leak}).json()
    assert got["verdict"] == "identified" and got["withheld"] is True
    assert "Person 002" not in str(got) and "person002@" not in str(got)
    page = web.login(Role.INVESTIGATOR).post("/trace", {"text": leak}).text
    assert "Names are withheld" in page and "Person 002" not in page.split("<textarea")[0]
