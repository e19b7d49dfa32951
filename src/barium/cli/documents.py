"""`barium doc ...`: register masters and their versions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from barium.cli.context import JsonOpt, console, print_json, say, workspace

if TYPE_CHECKING:
    from barium.services import DocumentInfo

app = typer.Typer(help="Register masters and their versions.", no_args_is_help=True)

DisableChannel = Annotated[
    list[str] | None,
    typer.Option("--disable-channel", help="Do not mark with this channel (repeatable)."),
]
DisableRule = Annotated[list[str] | None, typer.Option("--disable-rule", help="Do not use this rule (repeatable).")]
FormatOpt = Annotated[str | None, typer.Option("--format", help="text, markdown or docx (default: from the file).")]


def _short(d: DocumentInfo) -> dict[str, object]:
    return {"id": d.id, "title": d.title, "version": d.version}


@app.command("add")
def add(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The master: a .txt or .md file.")],
    title: Annotated[str | None, typer.Option("--title", help="Title (default: the file name).")] = None,
    fmt: FormatOpt = None,
    disable_channel: DisableChannel = None,
    disable_rule: DisableRule = None,
    json: JsonOpt = False,
) -> None:
    """Register a master document and print its id."""
    with workspace(ctx) as b:
        d = b.documents.add(
            path,
            title=title,
            fmt=fmt,
            disabled_channels=frozenset(disable_channel or ()),
            disabled_rules=frozenset(disable_rule or ()),
        )
    if json:
        print_json(_short(d))
    else:
        say("Registered document ", (str(d.id), "bold"), f" {d.title!r} version {d.version} ({d.sites_summary()})")


@app.command("update")
def update(
    ctx: typer.Context,
    doc: Annotated[str, typer.Argument(help="Document id or title.")],
    path: Annotated[Path, typer.Argument(help="The changed master.")],
    fmt: FormatOpt = None,
    disable_channel: DisableChannel = None,
    disable_rule: DisableRule = None,
    json: JsonOpt = False,
) -> None:
    """Register a changed master as a new version (copies of old versions stay traceable)."""
    with workspace(ctx) as b:
        d = b.documents.update(
            doc,
            path,
            fmt=fmt,
            disabled_channels=frozenset(disable_channel) if disable_channel else None,
            disabled_rules=frozenset(disable_rule) if disable_rule else None,
        )
    if json:
        print_json(_short(d))
    else:
        say("Document ", (str(d.id), "bold"), f" {d.title!r} is at version {d.version} ({d.sites_summary()})")


@app.command("list")
def list_(ctx: typer.Context, json: JsonOpt = False) -> None:
    """List registered documents."""
    with workspace(ctx) as b:
        docs = b.documents.list()
    if json:
        print_json([d.to_dict() for d in docs])
        return
    table = Table("id", "title", "version", "format", "sites", "created")
    for d in docs:
        table.add_row(
            str(d.id),
            d.title,
            str(d.version),
            d.format,
            str(d.sites),
            d.created_at.strftime("%Y-%m-%d %H:%M"),
        )
    console.print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    doc: Annotated[str, typer.Argument(help="Document id or title.")],
    version: Annotated[int | None, typer.Option("--version", help="Version (default: latest).")] = None,
    json: JsonOpt = False,
) -> None:
    """Show one document version."""
    with workspace(ctx) as b:
        d = b.documents.get(doc, version=version)
        r = b.documents.reach(doc, version=version)
    if json:
        print_json({**d.to_dict(), "reach": r.to_dict()})
    else:
        say((str(d.id), "bold"), f" {d.title!r}: version {d.version} of {d.versions}, {d.format}, {d.sites_summary()}")

        def words(n: int | None) -> str:
            return "not even the whole document" if n is None else f"about {n:,} words"

        say(
            f"A quote names its source among {r.recipients:,} recipients at {r.max_false_accusation:g} when it is, "
            f"pasted, {words(r.pasted)}; retyped, {words(r.retyped)} (an estimate from the version's marks)."
        )
