"""`barium serve`: the web app for a team, over this workspace (its key stays on this server)."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Annotated

import typer

from barium.cli.context import say, state
from barium.errors import InputError


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (beyond loopback: use TLS).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", help="Server processes (SQLite takes one writer at a time; PostgreSQL for a busy team)."
        ),
    ] = 1,
    certfile: Annotated[Path | None, typer.Option("--certfile", help="TLS certificate (PEM).")] = None,
    keyfile: Annotated[Path | None, typer.Option("--keyfile", help="TLS private key (PEM).")] = None,
) -> None:
    """Serve the web app and its JSON API (/api); add users first with `barium users add`."""
    import uvicorn

    from barium.services import Barium

    if not 1 <= workers <= 64:
        raise InputError("--workers must be between 1 and 64")
    if not 0 < port < 65536:
        raise InputError("--port must be between 1 and 65535")
    if (certfile is None) != (keyfile is None):
        raise InputError("give both --certfile and --keyfile, or neither")
    with Barium.open(state(ctx).home) as b:  # refused now, with its message, if there is no workspace
        home = b.ws.home
        people = b.users.list()
    if not people:
        say("No users yet: add one with `barium users add NAME --role admin` (and the others' roles).")
    os.environ["BARIUM_HOME"] = str(home)  # what every worker process opens
    scheme = "https" if certfile else "http"
    say(f"Barium on {scheme}://{host}:{port}/ for the workspace {home} (stop with Ctrl-C)")
    config = uvicorn.Config(
        "barium.web.serve:app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
        proxy_headers=False,
        server_header=False,
        log_level="info",
    )
    if workers == 1:
        uvicorn.Server(config).run()
        return
    from uvicorn.supervisors import Multiprocess

    sock = config.bind_socket()
    # The workers rebuild this socket without its protocol number, and asyncio then leaves
    # Nagle's algorithm on for their connections: every answer waited ~40 ms for a delayed
    # ACK (measured: benchmarks/web_load.py). Accepted sockets inherit this option on Linux.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    Multiprocess(config, sockets=[sock]).run()
