"""A real server app over a real workspace, driven in-process over HTTPS (the cookies are Secure).

``web`` gives a :class:`Site`: the workspace's services (to arrange data), and
``site.login(role)`` / ``site.api(role)`` clients for a user holding that role.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from barium.access import Role
from barium.services import Barium
from barium.web import create_app

PASSWORD = "correct horse battery"
BASE = "https://testserver"


class Browser:
    """A logged-in browser: a client holding the session cookie, and the session's form token."""

    def __init__(self, client: TestClient, csrf: str) -> None:
        self.client = client
        self.csrf = csrf

    def get(self, url: str, **kw: Any) -> httpx.Response:
        return self.client.get(url, **kw)

    def post(self, url: str, data: dict[str, Any] | None = None, **kw: Any) -> httpx.Response:
        """A form post with the form token added (as the page's form would)."""
        return self.client.post(url, data={"csrf": self.csrf, **(data or {})}, **kw)


@dataclass
class Site:
    b: Barium
    app: Any
    clients: list[TestClient] = field(default_factory=list)

    def client(self) -> TestClient:
        c = TestClient(self.app, base_url=BASE, follow_redirects=True)
        c.__enter__()
        self.clients.append(c)
        return c

    def user(self, role: Role | str, name: str | None = None) -> str:
        name = name or f"{Role(role).value}-user"
        if name not in {u.name for u in self.b.users.list()}:
            self.b.users.add(name, roles=[Role(role).value], password=PASSWORD)
        return name

    def login(self, role: Role | str, name: str | None = None) -> Browser:
        name = self.user(role, name)
        c = self.client()
        page = c.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token is not None, page.text
        r = c.post("/login", data={"username": name, "password": PASSWORD, "csrf": token.group(1), "next": "/"})
        assert r.status_code == 200 and r.url.path == "/", r.text
        csrf = re.search(r'X-CSRF-Token": "([^"]+)"', r.text)
        assert csrf is not None
        return Browser(c, csrf.group(1))

    def api(self, role: Role | str, name: str | None = None) -> TestClient:
        name = self.user(role, name)
        secret, _ = self.b.users.make_token(name, role=Role(role).value)
        c = self.client()
        c.headers["Authorization"] = f"Bearer {secret}"
        return c

    def wait_job(self, client: TestClient, job_id: int, timeout: float = 120.0) -> dict[str, Any]:
        """The job's record once it has ended (through the API of the client's user)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job: dict[str, Any] = self.b.jobs.get(job_id).to_dict()
            if job["state"] in ("done", "failed", "interrupted"):
                return job
            time.sleep(0.2)
        raise AssertionError(f"job {job_id} did not finish in {timeout} s: {self.b.jobs.get(job_id)}")


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Site]:
    b = Barium.init(tmp_path / "ws")
    site = Site(b, create_app(workspace=b.ws))
    try:
        yield site
    finally:
        for c in site.clients:
            c.__exit__(None, None, None)
        b.close()
