"""`barium recipients ...`: the people copies go to.

Names and e-mails are printed as :class:`rich.text.Text`, never read as markup, and
through :func:`barium.text.names.shown`, so a name stored before names were
checked cannot send escape sequences to the terminal.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from barium.cli.context import JsonOpt, console, print_json, workspace
from barium.text.names import shown

if TYPE_CHECKING:
    from barium.services import RecipientInfo

app = typer.Typer(help="Manage recipients.", no_args_is_help=True)

RefArg = Annotated[str, typer.Argument(help="Name, e-mail address or id (see `barium recipients list`).")]


def _person(r: RecipientInfo) -> Text:
    return Text.assemble((str(r.id), "bold"), " ", shown(r.name), f" <{shown(r.email or '')}>")


def _report(verb: str, r: RecipientInfo, json: bool) -> None:
    if json:
        print_json(r.to_dict())
    else:
        console.print(Text.assemble(f"{verb} recipient ", _person(r)))


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Full name.")],
    email: Annotated[str | None, typer.Option("--email", help="E-mail address (namesakes need one each).")] = None,
    json: JsonOpt = False,
) -> None:
    """Add one recipient."""
    with workspace(ctx) as b:
        r = b.recipients.add(name, email=email)
    _report("Added", r, json)


@app.command("import")
def import_(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="CSV with a header: name,email (more columns allowed).")],
    json: JsonOpt = False,
) -> None:
    """Import recipients from CSV; all rows or none."""
    with workspace(ctx) as b:
        added = b.recipients.import_csv(path)
    if json:
        print_json([r.to_dict() for r in added])
    else:
        console.print(Text(f"Imported {len(added)} recipients"))


@app.command("list")
def list_(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Include removed recipients.")] = False,
    json: JsonOpt = False,
) -> None:
    """List recipients (removed ones with --all)."""
    with workspace(ctx) as b:
        people = b.recipients.list(include_removed=all_)
    if json:
        print_json([r.to_dict() for r in people])
        return
    table = Table("id", "name", "email", *(["removed (UTC)"] if all_ else []))
    for r in people:
        removed = [Text(f"{r.removed_at:%Y-%m-%d %H:%M}" if r.removed_at else "")] if all_ else []
        table.add_row(Text(str(r.id)), Text(shown(r.name)), Text(shown(r.email or "")), *removed)
    console.print(table)


@app.command("remove")
def remove(ctx: typer.Context, ref: RefArg, json: JsonOpt = False) -> None:
    """Remove a recipient: no new copies; copies already issued stay traceable to them."""
    with workspace(ctx) as b:
        r = b.recipients.remove(ref)
    _report("Removed", r, json)


@app.command("restore")
def restore(ctx: typer.Context, ref: RefArg, json: JsonOpt = False) -> None:
    """Bring back a removed recipient."""
    with workspace(ctx) as b:
        r = b.recipients.restore(ref)
    _report("Restored", r, json)


@app.command("rename")
def rename(
    ctx: typer.Context,
    ref: RefArg,
    new_name: Annotated[str, typer.Argument(help="The new full name.")],
    json: JsonOpt = False,
) -> None:
    """Rename a recipient; their copies, code and e-mail stay theirs."""
    with workspace(ctx) as b:
        r = b.recipients.rename(ref, new_name)
    _report("Renamed", r, json)
