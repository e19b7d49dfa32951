"""`barium db`: the database schema, upgraded only on purpose, and the detection index made anew."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from barium.cli.context import JsonOpt, console, print_json, state, workspace

app = typer.Typer(help="The workspace database.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(ctx: typer.Context, json: JsonOpt = False) -> None:
    """Upgrade the database schema to this release's (back the database up first)."""
    from barium.workspace import Workspace

    revision = Workspace.upgrade(state(ctx).home)
    if json:
        print_json({"revision": revision})
    else:
        console.print(f"The database schema is at revision {revision}.")


@app.command("reindex")
def reindex(
    ctx: typer.Context,
    paraphrase: Annotated[
        bool, typer.Option("--paraphrase", help="Embed every sentence too (what paraphrase search needs).")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Make the detection index (detect/index.npz) anew from the database, as after damage."""
    with workspace(ctx) as b:
        index = b.detection.rebuild(paraphrase=paraphrase)
        skipped = b.detection.skipped
    if json:
        print_json(
            {
                "versions": len(index),
                "public_texts": len(index.public_digests()),
                "skipped": [{"item": s.where, "reason": s.reason} for s in skipped],
            }
        )
        return
    console.print(f"The detection index holds {len(index)} versions and {len(index.public_digests())} public texts.")
    for s in skipped:
        console.print(Text(f"skipped {s.where}: {s.reason}"))
