"""`barium issued` and `barium audit`: the distribution record of a document, and the audit log."""

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


def audit(
    ctx: typer.Context,
    action: Annotated[
        str | None,
        typer.Option("--action", help="Only this action (copy.issue), or a family ending in a dot (copy.)."),
    ] = None,
    subject: Annotated[str | None, typer.Option("--subject", help='Only this subject ("document 3").')] = None,
    limit: Annotated[int, typer.Option("--limit", help="The latest N entries.")] = 100,
    json: JsonOpt = False,
) -> None:
    """Who did what, when: every write to the workspace, oldest of the latest N first."""
    with workspace(ctx) as b:
        entries = b.audit.entries(action=action, subject=subject, limit=limit)
    if json:
        print_json([e.to_dict() for e in entries])
        return
    if not entries:
        console.print("The audit log has no entries" + (" that match." if action or subject else "."))
        return
    table = Table("#", "when (UTC)", "actor", "action", "subject", "details")
    table.columns[5].overflow = "fold"
    for e in entries:
        # A digest is told apart by its first 12 digits on screen (--json prints it whole).
        details = ", ".join(f"{k}={str(v)[:12] if k == 'sha256' else v}" for k, v in e.details.items() if v is not None)
        table.add_row(
            str(e.id),
            f"{e.at:%Y-%m-%d %H:%M:%S}",
            Text(f"{e.actor_kind}:{e.actor}"),
            e.action,
            Text(e.subject),
            Text(details),
        )
    console.print(table)
    console.print(f"{len(entries)} entries")
