"""`barium variants`: help the author write alternative wordings ({{a|b}})."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from barium.cli.context import JsonOpt, console, print_json, state
from barium.cli.documents import FormatOpt
from barium.errors import Conflict, InputError, NotFound
from barium.files import atomic_write
from barium.formats.load import read_file
from barium.limits import Limits
from barium.settings import load_settings
from barium.variants.suggest import FAMILIES, suggest

app = typer.Typer(
    help="Author variants: alternative wordings written into the master as {{first|second}}; "
    "each copy shows one. See docs/variants.md.",
    no_args_is_help=True,
)


@app.command("suggest")
def suggest_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The master: a .txt or .md file.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the master with the suggestions as {{...}} markup here, for review."),
    ] = None,
    family: Annotated[
        list[str] | None,
        typer.Option("--family", help=f"Only these families (repeatable): {', '.join(FAMILIES)}."),
    ] = None,
    fmt: FormatOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing --out file.")] = False,
    json: JsonOpt = False,
) -> None:
    """Propose variants (word order, interchangeable words) for the author to review.

    Nothing is registered: review the file written by --out, delete the variants you
    do not want, then `barium doc add` it.
    """
    limits = Limits.from_settings(load_settings(state(ctx).home))
    text, fmt = read_file(path, limits=limits, fmt=fmt)
    if out is not None:
        if out.resolve() == path.resolve():
            raise InputError("--out must not be the master: it stays as it is until you have reviewed the suggestions")
        if out.is_dir():
            raise InputError(f"--out {out} is a folder; give a file name")
        if out.exists() and not force:
            raise Conflict(f"{out} exists; choose another --out or pass --force")
        if not out.parent.is_dir():
            raise NotFound(f"no such folder: {out.parent}")
    report = suggest(text, fmt, families=family)
    if out is not None:
        atomic_write(out, report.text.encode())
    if json:
        print_json(report.to_dict() | {"out": str(out) if out else None})
        return
    table = Table("line", "family", "alternatives", show_lines=False)
    line, counted = 1, 0
    for s in report.suggestions:  # in text order: count lines incrementally
        line += text.count("\n", counted, s.start)
        counted = s.start
        table.add_row(str(line), s.family, Text(" | ".join(s.forms)))
    console.print(table)
    console.print(
        f"{len(report.suggestions)} suggestions ({report.per_100_words():.2f} per 100 words)"
        + (f"; the marked-up master is in {out}" if out else "; --out FILE writes the marked-up master")
    )
