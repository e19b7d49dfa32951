"""`barium db`: the database schema, upgraded only on purpose."""

from __future__ import annotations

import typer

from barium.cli.context import JsonOpt, console, print_json, state

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
