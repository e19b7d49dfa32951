"""A real HTTP server on loopback for the watch tests, and the pages it serves.

One threaded stdlib server per session (a second one on demand for
origin-level cases such as robots.txt); tests register routes by path and
read the server's own request log, so timing checks use the times requests
arrived rather than the client's wall clock.
"""

from __future__ import annotations

import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from barium.watch import Fetcher, FetchPolicy


@dataclass
class Reply:
    status: int = 200
    body: bytes | Callable[[], Iterable[bytes]] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line: a slow server


@dataclass(frozen=True)
class Hit:
    path: str
    at: float
    headers: dict[str, str]


Handler = Callable[["Hit"], Reply]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client hanging up (a refused body, a closed keep-alive pool) is expected here.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LoopbackServer:
    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.log: list[Hit] = []
        self._lock = threading.Lock()
        owner = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                hit = Hit(self.path, time.monotonic(), {k.lower(): v for k, v in self.headers.items()})
                with owner._lock:
                    owner.log.append(hit)
                    handler = owner.routes.get(self.path)
                reply = handler(hit) if handler else Reply(404, b"not here", {"Content-Type": "text/plain"})
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self._send(reply)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client stopped reading, as it should past a cap

            def _send(self, reply: Reply) -> None:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if isinstance(reply.body, bytes):
                    if "Content-Length" not in reply.headers:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                    return
                # A streamed body without a length ends when the connection closes.
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                for chunk in reply.body():
                    self.wfile.write(chunk)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = _QuietServer(("127.0.0.1", 0), _Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def route(
        self,
        path: str,
        body: bytes | Callable[[], Iterable[bytes]] = b"",
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> str:
        """Serve a fixed reply at ``path``; return its URL."""
        fixed = Reply(status, body, headers or {}, delay)
        self.routes[path] = lambda _hit: fixed
        return self.url(path)

    def handle(self, path: str, handler: Handler) -> str:
        """Serve ``handler(hit)`` at ``path`` (build replies with :meth:`reply`); return its URL."""
        self.routes[path] = handler
        return self.url(path)

    @staticmethod
    def reply(
        body: bytes = b"", *, status: int = 200, headers: dict[str, str] | None = None, delay: float = 0.0
    ) -> Reply:
        return Reply(status, body, headers or {}, delay)

    def hits(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.log if h.path == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


ROBOTS = b"User-agent: *\nDisallow: /private/\n"


@pytest.fixture(scope="session")
def server() -> Iterator[LoopbackServer]:
    s = LoopbackServer()
    s.route("/robots.txt", ROBOTS, headers={"Content-Type": "text/plain"})
    yield s
    s.close()


@pytest.fixture
def other_server() -> Iterator[LoopbackServer]:
    """A fresh origin (its own robots.txt, nothing routed yet)."""
    s = LoopbackServer()
    yield s
    s.close()


@pytest.fixture
def policy() -> FetchPolicy:
    # No waiting between requests and tiny backoffs: politeness is tested on its own.
    return FetchPolicy(
        connect_timeout=2.0,
        read_timeout=2.0,
        total_timeout=10.0,
        retries=2,
        backoff=0.01,
        max_backoff=0.05,
        max_retry_after=1.0,
        host_interval=0.0,
        trust_env=False,
    )


@pytest.fixture
def fetcher(policy: FetchPolicy) -> Iterator[Fetcher]:
    with Fetcher(policy) as f:
        yield f


@pytest.fixture(scope="session")
def gzip_bomb() -> bytes:
    """1 GiB of zeros as gzip, about 1 MB: 16 identical members of 64 MiB each.

    Concatenated members are one valid gzip body; building one member and
    repeating it keeps the fixture under a second and its memory at ~1 MB.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1 << 20)
    member = b"".join(packer.compress(zeros) for _ in range(64)) + packer.flush()
    return member * 16
