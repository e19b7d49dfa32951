"""What every command shares: the workspace location, JSON output, error rendering.

User text (titles, names, e-mails, notes, file names) is printed literally: both
consoles have Rich markup off, so a title such as ``[/]`` or ``[white on white]``
is shown as typed and can neither crash a command nor hide text or add a link.
Emphasis is given with :class:`rich.text.Text` styles, never with markup strings.

Nothing heavy is imported here: ``barium --help`` must not load the database,
the tracer or numpy (the services are imported when a command opens a workspace).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from barium.errors import BariumError, InputError

if TYPE_CHECKING:
    from barium.services import Barium

console = Console(markup=False)
err_console = Console(stderr=True, soft_wrap=True, highlight=False, markup=False)
# The --json flag every command that prints results takes.
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@dataclass
class State:
    home: Path | None = None


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, State) else State()


@contextmanager
def workspace(ctx: typer.Context, *, watcher: bool = False) -> Iterator[Barium]:
    """The workspace, acting for the user at this terminal (or, with ``watcher``, for
    the watcher that user runs: the audit log tells the two apart)."""
    from barium.services import Actor, Barium

    user = Actor.local_user()
    b = Barium.open(state(ctx).home, actor=Actor("watcher", user.name) if watcher else user)
    try:
        yield b
    finally:
        b.close()


def say(*parts: str | Text | tuple[str, str]) -> None:
    """Print one line assembled from literal parts; a (text, style) pair is styled."""
    console.print(Text.assemble(*parts))


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def fail(error: BariumError) -> typer.Exit:
    # Messages quote the user's own text: printed literally, never as markup.
    err_console.print(Text.assemble(("error:", "bold red"), " ", error.message))
    return typer.Exit(code=error.exit_code)


def utc_option(value: str | None, option: str) -> datetime | None:
    """A date or time given on the command line (``2026-11-30``, ``2026-11-30T09:00``), in UTC
    unless it says otherwise."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date or time (use 2026-11-30 or 2026-11-30T09:00)") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
