"""Web load benchmark: the trace endpoint and the dashboard under concurrent users, on loopback,
against `barium serve` (real server processes), on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/web_load.py            # the README's table
    .venv/bin/python benchmarks/web_load.py --quick    # fewer requests

The workspace: a 2,000-word BBC-corpus memo issued to 1,000 recipients. A trace request
posts a 300-word passage of one copy (`POST /api/trace`, Bearer token); a dashboard request
is a logged-in browser's `GET /` (session cookie). Each user sends its requests one after
another; every configuration runs a bounded number of requests. The baseline, measured in
the same run and the same way, is `GET /healthz`: the server and the loopback alone.
Latencies are wall-clock per request, from the client; errors are any non-2xx answer, a
failed connection, a dashboard that is not the dashboard, or a trace that does not name
the copy's holder.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from sqlalchemy import create_engine, text

from barium.services import Barium
from corpus import long_documents

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "correct horse battery"
RECIPIENTS = 1000
QUOTE_WORDS = 300


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def make_workspace(home: Path, database_url: str | None) -> tuple[str, str]:
    """The workspace; returns a leaked quote and an API token for the investigator."""
    if database_url:
        home.mkdir(parents=True)
        (home / "barium.toml").write_text(f'database_url = "{database_url}"\n')
    with Barium.init(home) as b:
        (master,) = long_documents(2000, 1)
        src = home.parent / "memo.txt"
        src.write_text(master)
        doc = b.documents.add(src, title="Memo")
        csv = home.parent / "people.csv"
        csv.write_text("name,email\n" + "".join(f"Recipient {i:04d},r{i:04d}@example.org\n" for i in range(RECIPIENTS)))
        b.recipients.import_csv(csv)
        copies = b.issuing.issue(doc.id, all_recipients=True).copies
        words = copies[RECIPIENTS // 3].text.split(" ")
        quote = " ".join(words[400 : 400 + QUOTE_WORDS])
        b.users.add("ivan", roles=["investigator"], password=PASSWORD)
        token, _ = b.users.make_token("ivan")
    return quote, token


def serve(home: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "barium", "--home", str(home), "serve", "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start")


def session_cookie(base: str) -> str:
    with httpx.Client(base_url=base) as c:
        page = c.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token is not None
        headers = {"Cookie": f"__Host-barium-login={page.cookies['__Host-barium-login']}"}
        r = c.post("/login", data={"username": "ivan", "password": PASSWORD, "csrf": token.group(1)}, headers=headers)
        secret = r.cookies.get("__Host-barium-session")
        assert r.status_code == 303 and secret, r.text
        return f"__Host-barium-session={secret}"


def load(
    base: str,
    users: int,
    requests: int,
    call: Callable[[httpx.Client], httpx.Response],
    check: Callable[[httpx.Response], bool] = lambda r: True,
) -> dict[str, float]:
    """``requests`` requests shared by ``users`` users, each sending one after another; an
    answer that is not 2xx, or that ``check`` refuses, is an error."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    share = [requests // users + (1 if i < requests % users else 0) for i in range(users)]

    def user(n: int) -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=120) as c:
            for _ in range(n):
                t = time.perf_counter()
                try:
                    response = call(c)
                    ok = 200 <= response.status_code < 300 and check(response)
                except httpx.HTTPError:
                    ok = False
                took = time.perf_counter() - t
                with lock:
                    latencies.append(took)
                    errors += not ok

    start = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        list(pool.map(user, share))
    wall = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": 1000 * statistics.median(latencies),
        "p90_ms": 1000 * q[89],
        "p99_ms": 1000 * q[98],
        "per_s": len(latencies) / wall,
    }


def run(database: str, workers: int, users: list[int], quick: bool, tmp: Path) -> list[dict[str, object]]:
    schema = f"barium_load_{uuid.uuid4().hex[:8]}"
    url = None
    engine = None
    if database == "postgresql":
        engine = create_engine(PG)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{PG}?options=-csearch_path%3D{schema}"
    home = tmp / f"{database}-{workers}" / "ws"
    home.parent.mkdir(parents=True)
    quote, token = make_workspace(home, url)
    port = free_port()
    server = serve(home, port, workers)
    base = f"http://127.0.0.1:{port}"
    rows: list[dict[str, object]] = []
    try:
        cookie = session_cookie(base)
        auth = {"Authorization": f"Bearer {token}"}
        n_fast, n_trace = (100, 24) if quick else (400, 96)
        for u in users:
            for name, n, call, check in (
                ("healthz (baseline)", n_fast, lambda c: c.get("/healthz"), lambda r: True),
                (
                    "dashboard",
                    n_fast,
                    lambda c: c.get("/", headers={"Cookie": cookie}),
                    lambda r: "Dashboard" in r.text,
                ),
                (
                    "trace 300 words",
                    n_trace,
                    lambda c: c.post("/api/trace", json={"text": quote}, headers=auth),
                    lambda r: r.json()["verdict"] == "identified",  # the leaker named, every time
                ),
            ):
                result = load(base, u, n, call, check)
                rows.append({"database": database, "workers": workers, "users": u, "endpoint": name, **result})
                print(json.dumps(rows[-1]), flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
        if engine is not None:
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            engine.dispose()
    return rows


def table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| database | server processes | users | endpoint | requests | errors | p50 ms | p90 ms | p99 ms | requests/s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['database']} | {r['workers']} | {r['users']} | {r['endpoint']} | {r['requests']} | {r['errors']} | "
            f"{r['p50_ms']:.0f} | {r['p90_ms']:.0f} | {r['p99_ms']:.0f} | {r['per_s']:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "web.md")
    args = ap.parse_args()
    users = [1, 8] if args.quick else [1, 4, 16]
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for database, workers in (("sqlite", 1), ("sqlite", 2), ("postgresql", 2)):
            rows += run(database, workers, users, args.quick, Path(tmp))
    out = (
        "# Web load: the trace endpoint and the dashboard under concurrent users\n\n"
        f"`{' '.join(['.venv/bin/python', 'benchmarks/web_load.py', *sys.argv[1:]])}`, on this machine "
        "(2 cores, the load generator on the same cores), loopback HTTP.\n"
        f"Workspace: a 2,000-word memo issued to {RECIPIENTS:,} recipients; a trace posts a {QUOTE_WORDS}-word "
        "passage of one copy. Baseline: `GET /healthz` in the same run.\n\n" + table(rows) + "\n"
    )
    args.out.write_text(out)
    print(out)


if __name__ == "__main__":
    main()
