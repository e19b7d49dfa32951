"""`barium issued`: the distribution record of a document."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from barium.cli.context import JsonOpt, console, print_json, workspace


def issued(
    ctx: typer.Context,
    doc: Annotated[str, typer.Argument(help="Document id or title.")],
    version: Annotated[int | None, typer.Option("--version", help="Only this version.")] = None,
    json: JsonOpt = False,
) -> None:
    """Who received which version of a document, when, and the sha256 of each copy."""
    with workspace(ctx) as b:
        records = b.issuing.issued(doc, version=version)
    if json:
        print_json([r.to_dict() for r in records])
        return
    if not records:
        console.print("No copies of this document have been issued.")
        return
    table = Table("recipient", "email", "v", "file", "sha256", "issued (UTC)")
    table.columns[3].overflow = "fold"  # a file name is looked up whole, never cut short
    for r in records:
        who = Text(r.recipient + (" (removed)" if r.removed else ""))
        table.add_row(
            who,
            Text(r.email or ""),
            str(r.version),
            Text(r.file or "-"),
            r.sha256[:12],
            f"{r.issued_at:%Y-%m-%d %H:%M}",
        )
    console.print(table)
    console.print(f"{len(records)} copies")
