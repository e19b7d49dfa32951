"""`barium recipients ...`: the people copies go to."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from barium.cli.context import JsonOpt, console, print_json, say, workspace

app = typer.Typer(help="Manage recipients.", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Full name.")],
    email: Annotated[str | None, typer.Option("--email", help="E-mail address.")] = None,
    json: JsonOpt = False,
) -> None:
    """Add one recipient."""
    with workspace(ctx) as b:
        r = b.add_recipient(name, email=email)
    if json:
        print_json(r.to_dict())
    else:
        say("Added recipient ", (str(r.id), "bold"), f" {r.name} <{r.email or ''}>")


@app.command("import")
def import_(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="CSV with a header: name,email (more columns allowed).")],
    json: JsonOpt = False,
) -> None:
    """Import recipients from CSV; all rows or none."""
    with workspace(ctx) as b:
        added = b.import_recipients(path)
    if json:
        print_json([r.to_dict() for r in added])
    else:
        console.print(f"Imported {len(added)} recipients")


@app.command("list")
def list_(ctx: typer.Context, json: JsonOpt = False) -> None:
    """List recipients."""
    with workspace(ctx) as b:
        people = b.recipients()
    if json:
        print_json([r.to_dict() for r in people])
        return
    table = Table("id", "name", "email")
    for r in people:
        table.add_row(str(r.id), r.name, r.email or "")
    console.print(table)
