"""`barium audit`: the tamper-evident log of every action, its verification, checkpoints and proofs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from barium.cli.context import JsonOpt, console, err_console, print_json, utc_option, workspace

app = typer.Typer(help="The audit log: who did what, when, kept so that any change to it shows.", no_args_is_help=True)


@app.command("log")
def log(
    ctx: typer.Context,
    action: Annotated[
        str | None,
        typer.Option("--action", help="Only this action (copy.issue), or a family ending in a dot (copy.)."),
    ] = None,
    subject: Annotated[str | None, typer.Option("--subject", help='Only this subject ("document 3").')] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only entries from this UTC date or time on.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="The latest N entries.")] = 100,
    json: JsonOpt = False,
) -> None:
    """Who did what, when: every write to the workspace, oldest of the latest N first."""
    with workspace(ctx) as b:
        entries = b.audit.entries(action=action, subject=subject, since=utc_option(since, "--since"), limit=limit)
    if json:
        print_json([e.to_dict() for e in entries])
        return
    if not entries:
        console.print("The audit log has no entries" + (" that match." if action or subject or since else "."))
        return
    table = Table("#", "when (UTC)", "actor", "action", "subject", "details")
    table.columns[5].overflow = "fold"
    for e in entries:
        # A digest is told apart by its first 12 digits on screen (--json prints it whole).
        details = ", ".join(
            f"{k}={str(v)[:12] if k in ('sha256', 'root') else v}" for k, v in e.details.items() if v is not None
        )
        table.add_row(
            str(e.seq),
            f"{e.at:%Y-%m-%d %H:%M:%S}",
            Text(f"{e.actor_kind}:{e.actor}"),
            e.action,
            Text(e.subject),
            Text(details),
        )
    console.print(table)
    console.print(f"{len(entries)} entries")


@app.command("verify")
def verify(
    ctx: typer.Context,
    checkpoint: Annotated[
        list[Path] | None,
        typer.Option(
            "--checkpoint",
            help="A checkpoint file kept outside the workspace (repeatable): also catches a log cut short.",
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Check every entry, the log's head and its checkpoints; exit 0 if intact, 1 if not, naming what changed."""
    with workspace(ctx) as b:
        result = b.audit.verify(witnesses=checkpoint or [])
    if json:
        print_json(result.to_dict())
    elif result.intact:
        console.print(
            f"The audit log is intact: {result.entries} entries, root {result.root[:16]}..., "
            f"{result.checkpoints} signed checkpoints checked."
        )
    else:
        err_console.print(
            Text(f"The audit log has been tampered with ({len(result.problems)} findings):", style="bold red")
        )
        for p in result.problems:
            err_console.print(Text(f"  {p.kind}: {p.message}"))
    if not result.intact:
        raise typer.Exit(code=1)


@app.command("checkpoint")
def checkpoint(
    ctx: typer.Context,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write it to this file, to keep outside the workspace.")
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Sign the log's size and root (Ed25519), after verifying it; keep a copy elsewhere as a witness."""
    with workspace(ctx) as b:
        point = b.audit.checkpoint(out=out)
    if json:
        print_json(point.to_dict())
        return
    console.print(
        f"Signed checkpoint: entries #0 to #{point.size - 1} ({point.size}), root {point.root}, at {point.time}. "
        f"Signing it is entry #{point.size}, which the next checkpoint covers."
    )
    console.print(f"Public key: {point.public_key}")
    if out is not None:
        console.print(Text(f"Written to {out}"))


@app.command("prove")
def prove(
    ctx: typer.Context,
    seq: Annotated[int, typer.Argument(help="The entry's number (# in `barium audit log`).")],
    checkpoint: Annotated[
        Path | None, typer.Option("--checkpoint", help="Prove against this checkpoint file (default: the latest kept).")
    ] = None,
    json: JsonOpt = False,
) -> None:
    """The RFC 6962 inclusion proof that an entry is in a signed checkpoint's tree."""
    from barium.audit.checkpoint import read_checkpoint

    with workspace(ctx) as b:
        proof = b.audit.prove(seq, checkpoint=read_checkpoint(checkpoint) if checkpoint else None)
    if json:
        print_json(proof.to_dict())
        return
    console.print(
        f"Entry #{proof.seq} is in the checkpoint of {proof.checkpoint.time} ({proof.checkpoint.size} entries)."
    )
    console.print(Text(f"entry {proof.entry}"))
    console.print(f"leaf  {proof.leaf}  (SHA-256 of the byte 0x00 and the entry above, as UTF-8)")
    for i, p in enumerate(proof.path):
        console.print(f"path[{i}] {p}")
    console.print(f"root  {proof.checkpoint.root}")
