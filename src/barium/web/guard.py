"""What every response and request passes through: security headers, a cap on request
bodies, and the per-address limit on login attempts.

The body cap is enforced on the bytes as they arrive, not on ``Content-Length``
alone (a chunked upload has none): past the cap the request fails with 413 before
the rest is read, so an upload bomb costs the server at most the cap.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import MutableHeaders

from barium.errors import InputTooLarge, LockedOut

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# No inline script or style anywhere (htmx's own indicator style is switched off in
# base.html); nothing may frame Barium's pages, and forms post only to Barium.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" on its own
    # form posts, and the Origin check (barium.web.gate) would refuse them.
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
# Masters, copies, leaks and traces are confidential: no cache may keep a page or an answer.
NO_STORE = (b"cache-control", b"no-store")


def secure(headers: MutableHeaders) -> None:
    """The headers above on a response made outside :class:`SecurityHeaders` (the handler of
    unexpected errors runs in Starlette's outermost middleware)."""
    for name, value in [*HEADERS, NO_STORE]:
        headers.setdefault(name.decode(), value.decode())


class SecurityHeaders:
    """Adds the headers above to every response (HSTS too when served over HTTPS)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [h for h in HEADERS if h[0] not in present]
                if not static and b"cache-control" not in present:
                    headers.append(NO_STORE)
                if scope.get("scheme") == "https":
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuses a request body over ``cap`` bytes, counted as it arrives."""

    def __init__(self, app: ASGIApp, cap: int) -> None:
        self.app = app
        self.cap = cap

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.cap:
            await _too_large(send, self.cap)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.cap:
                    raise InputTooLarge(f"the request is over {self.cap:,} bytes")
            return message

        await self.app(scope, counted, send)


async def _too_large(send: Send, cap: int) -> None:
    body = f'{{"error": {{"type": "InputTooLarge", "message": "the request is over {cap:,} bytes"}}}}'.encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class LoginThrottle:
    """At most ``limit`` login attempts per address in ``window`` seconds, in this process.

    The per-user lockout (:mod:`barium.services.users`) is in the database and shared
    by every server process; this one stops one address trying many user names.
    """

    def __init__(self, limit: int = 20, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._seen) > 10_000:  # many addresses: forget those with nothing recent
                self._seen = {a: q for a, q in self._seen.items() if q and q[-1] > now - self.window}
            attempts = self._seen.setdefault(address, deque())
            while attempts and attempts[0] <= now - self.window:
                attempts.popleft()
            if len(attempts) >= self.limit:
                raise LockedOut("too many login attempts from this address; wait a minute")
            attempts.append(now)
