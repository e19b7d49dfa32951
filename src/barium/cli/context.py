"""What every command shares: the workspace location, JSON output, error rendering."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from barium.errors import BariumError
from barium.services import Barium

console = Console()
# The --json flag every command that prints results takes.
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
err_console = Console(stderr=True, soft_wrap=True, highlight=False)


@dataclass
class State:
    home: Path | None = None


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, State) else State()


@contextmanager
def workspace(ctx: typer.Context) -> Iterator[Barium]:
    b = Barium.open(state(ctx).home)
    try:
        yield b
    finally:
        b.close()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def fail(error: BariumError) -> typer.Exit:
    # Messages quote the user's own text, which may look like Rich markup.
    err_console.print(f"[bold red]error:[/] {escape(error.message)}", highlight=False)
    return typer.Exit(code=error.exit_code)
