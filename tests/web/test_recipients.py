"""Recipients through the web: add, import a CSV, rename, remove and restore, by page and by API."""

from __future__ import annotations

from barium.access import Role
from tests.web.conftest import Browser, Site

CSV = b"name,email,team\nAda Lovelace,ada@example.org,Analytics\nAlan Turing,alan@example.org,Crypto\n"


def assert_forms_carry_the_token(browser: Browser, html: str) -> None:
    """Every form that posts carries the session's form token (a browser sends only what the page holds)."""
    posts = html.count('method="post"')
    assert posts > 1 and html.count(f'name="csrf" value="{browser.csrf}"') == posts, html


def names(web: Site, *, include_removed: bool = False) -> list[str]:
    return [r.name for r in web.b.recipients.list(include_removed=include_removed)]


def test_the_distributor_keeps_the_list_through_the_pages(web: Site) -> None:
    dist = web.login(Role.DISTRIBUTOR)
    r = dist.post("/recipients", {"name": "Grace Hopper", "email": "grace@example.org"})
    assert r.status_code == 200 and r.url.path == "/recipients"
    assert "Grace Hopper" in r.text and "grace@example.org" in r.text
    r = dist.post("/recipients/import", files={"file": ("people.csv", CSV, "text/csv")})
    assert r.status_code == 200 and "Imported 2 recipients" in r.text
    assert "Ada Lovelace" in r.text and "team: Crypto" in r.text
    assert names(web) == ["Grace Hopper", "Ada Lovelace", "Alan Turing"]

    ada = next(p for p in web.b.recipients.list() if p.name == "Ada Lovelace")
    r = dist.post(f"/recipients/{ada.id}/rename", {"name": "Ada King"})
    assert r.status_code == 200 and "Ada King" in r.text
    r = dist.post(f"/recipients/{ada.id}/remove")
    assert r.status_code == 200 and r.url.query == b"removed=true"
    assert names(web) == ["Grace Hopper", "Alan Turing"]
    assert f'action="/recipients/{ada.id}/restore"' in r.text  # shown, removed, with a way back
    assert_forms_carry_the_token(dist, r.text)
    assert "Ada King" not in dist.get("/recipients").text  # the list hides the removed unless asked
    r = dist.post(f"/recipients/{ada.id}/restore")
    assert r.status_code == 200 and names(web) == ["Grace Hopper", "Ada King", "Alan Turing"]
    actions = [e.action for e in web.b.audit.entries() if e.action.startswith("recipient.")]
    assert actions.count("recipient.add") == 3
    assert {"recipient.rename", "recipient.remove", "recipient.restore"} <= set(actions)


def test_the_api_adds_imports_renames_removes_and_restores(web: Site) -> None:
    api = web.api(Role.DISTRIBUTOR)
    r = api.post("/api/recipients", json={"name": "Grace Hopper", "email": "grace@example.org"})
    assert r.status_code == 201
    grace = r.json()
    assert grace["name"] == "Grace Hopper" and grace["email"] == "grace@example.org"
    r = api.post("/api/recipients/import", files={"file": ("people.csv", CSV, "text/csv")})
    assert r.status_code == 201
    assert [p["name"] for p in r.json()] == ["Ada Lovelace", "Alan Turing"]
    assert r.json()[0]["extra"] == {"team": "Analytics"}

    # Named by e-mail, name or id, as on the command line.
    r = api.post("/api/recipients/ada@example.org/rename", json={"name": "Ada King"})
    assert r.status_code == 200 and r.json()["name"] == "Ada King"
    r = api.delete("/api/recipients/Alan Turing")
    assert r.status_code == 200 and r.json()["removed"] and r.json()["removed_at"]
    listed = api.get("/api/recipients").json()
    assert [p["name"] for p in listed] == ["Grace Hopper", "Ada King"]
    everyone = api.get("/api/recipients", params={"include_removed": "true"}).json()
    assert [p["name"] for p in everyone] == ["Grace Hopper", "Ada King", "Alan Turing"]
    alan = everyone[2]["id"]
    r = api.post(f"/api/recipients/{alan}/restore")
    assert r.status_code == 200 and not r.json()["removed"] and r.json()["removed_at"] is None
    assert names(web) == ["Grace Hopper", "Ada King", "Alan Turing"]


def test_investigators_read_the_list_and_change_nothing_others_see_nothing(web: Site) -> None:
    web.b.recipients.add("Grace Hopper", email="grace@example.org")
    inv = web.login(Role.INVESTIGATOR)
    r = inv.get("/recipients")
    assert r.status_code == 200 and "Grace Hopper" in r.text
    assert 'action="/recipients"' not in r.text and "/remove" not in r.text  # no forms they could not send
    assert inv.post("/recipients", {"name": "Mallory"}).status_code == 403
    assert inv.post("/recipients/1/remove").status_code == 403
    assert inv.post("/recipients/import", files={"file": ("p.csv", CSV, "text/csv")}).status_code == 403
    api = web.api(Role.INVESTIGATOR)
    assert api.get("/api/recipients").status_code == 200
    r = api.post("/api/recipients", json={"name": "Mallory"})
    assert r.status_code == 403 and "distributor" in r.json()["error"]["message"]
    assert api.delete("/api/recipients/1").status_code == 403
    assert api.post("/api/recipients/1/rename", json={"name": "Mallory"}).status_code == 403

    auditor = web.login(Role.AUDITOR)
    assert auditor.get("/recipients").status_code == 403
    assert web.api(Role.AUDITOR).get("/api/recipients").status_code == 403
    assert web.api(Role.ADMIN).get("/api/recipients").status_code == 403
    assert names(web, include_removed=True) == ["Grace Hopper"]


def test_bad_input_is_refused_with_its_reason_and_nothing_stored(web: Site) -> None:
    dist = web.login(Role.DISTRIBUTOR)
    bad = b"name,email\nAda Lovelace,ada@example.org\nAlan Turing,not-an-address\n"
    r = dist.post("/recipients/import", files={"file": ("people.csv", bad, "text/csv")})
    assert r.status_code == 400 and "line 3" in r.text and "not an e-mail address" in r.text
    r = dist.post("/recipients/import", files={"file": ("people.xlsx", b"PK\x03\x04", "application/x")})
    assert r.status_code == 400 and "save it as CSV" in r.text
    r = dist.post("/recipients/import", files={"file": ("people.csv", b"", "text/csv")})
    assert r.status_code == 400 and "is empty" in r.text
    r = dist.post("/recipients", {"name": "   "})
    assert r.status_code == 400 and "needs a name" in r.text
    assert names(web, include_removed=True) == []

    api = web.api(Role.DISTRIBUTOR)
    r = api.post("/api/recipients/import", files={"file": ("people.csv", bad, "text/csv")})
    assert r.status_code == 400 and "line 3" in r.json()["error"]["message"]
    assert api.post("/api/recipients", json={"name": "x" * 301}).status_code == 422
    assert api.post("/api/recipients", json={"email": "a@example.org"}).status_code == 422
    assert names(web, include_removed=True) == []

    # Namesakes must be told apart: the second John Smith without an e-mail is refused.
    assert api.post("/api/recipients", json={"name": "John Smith"}).status_code == 201
    r = api.post("/api/recipients", json={"name": "John Smith", "email": "john@example.org"})
    assert r.status_code == 409 and "namesake" in r.json()["error"]["message"]
    r = dist.post("/recipients", {"name": "John  Smith"})
    assert r.status_code == 409 and "already exists" in r.text
    assert names(web, include_removed=True) == ["John Smith"]


def test_unknown_recipients_are_404(web: Site) -> None:
    dist = web.login(Role.DISTRIBUTOR)
    r = dist.post("/recipients/99/remove")
    assert r.status_code == 404 and "no recipient" in r.text
    assert dist.post("/recipients/99/rename", {"name": "Someone"}).status_code == 404
    api = web.api(Role.DISTRIBUTOR)
    r = api.delete("/api/recipients/nobody@example.org")
    assert r.status_code == 404 and r.json()["error"]["type"] == "NotFound"
    assert api.post("/api/recipients/99/restore").status_code == 404
    assert api.post("/api/recipients/Nobody/rename", json={"name": "Someone"}).status_code == 404


def test_a_reference_of_digits_that_are_not_decimal_is_not_found(web: Site) -> None:
    """'²' passes str.isdigit but is no number int() reads (found by schemathesis)."""
    api = web.api(Role.DISTRIBUTOR)
    assert api.delete("/api/recipients/²").status_code == 404
    assert api.get("/api/documents/²").status_code == 422
