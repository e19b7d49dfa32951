"""Top-level commands: init, issue, sites, trace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from barium.cli.context import JsonOpt, console, err_console, print_json, say, state, workspace


def init(ctx: typer.Context, json: JsonOpt = False) -> None:
    """Create a workspace: the database and a secret key (mode 0600, never printed)."""
    from barium.services import Barium

    b = Barium.init(state(ctx).home)
    home = b.ws.home
    b.close()
    if json:
        print_json({"home": str(home)})
    else:
        say(f"Created workspace at {home}")


def issue(
    ctx: typer.Context,
    doc: Annotated[str, typer.Argument(help="Document id or title.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the copies and manifest.csv.")],
    to: Annotated[list[str] | None, typer.Option("--to", help="Recipient name or e-mail (repeatable).")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every recipient.")] = False,
    version: Annotated[int | None, typer.Option("--version", help="Version (default: latest).")] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="pdf (typeset, or laid out by LibreOffice for Word); default: the master's."),
    ] = None,
    stamp: Annotated[
        str | None,
        typer.Option("--stamp", help='Printed at the head of each PDF page, e.g. "Copy {n} for {name}".'),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Write one uniquely marked copy per recipient, and manifest.csv."""
    with workspace(ctx) as b:
        if json:
            report = b.issuing.issue(doc, to=to, all_recipients=all_, version=version, out=out, output=fmt, stamp=stamp)
        else:
            from rich.progress import Progress

            with Progress(console=console, transient=True) as bar:
                task = bar.add_task("Issuing copies", total=None)
                report = b.issuing.issue(
                    doc,
                    to=to,
                    all_recipients=all_,
                    version=version,
                    out=out,
                    output=fmt,
                    stamp=stamp,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
    if json:
        print_json(report.to_dict())
        return
    d = report.document
    n = len(report.copies)
    say(
        f"Issued {n} {'copy' if n == 1 else 'copies'} of {d.title!r} v{d.version} into {out} "
        f"(manifest: {report.manifest}); {report.words_changed_share:.1%} of words differ from the master on average"
    )
    if report.identical_copies:
        err_console.print(
            Text.assemble(
                ("warning:", "bold yellow"),
                f" {report.identical_copies} of these copies are identical to another recipient's: the document has "
                "too few mark sites to give everyone a copy of their own, and a leak of one of them cannot say whose "
                "it is. `barium sites` shows the sites; author variants add more (docs/variants.md).",
            )
        )


def sites(
    ctx: typer.Context,
    doc: Annotated[str, typer.Argument(help="Document id or title.")],
    version: Annotated[int | None, typer.Option("--version", help="Version (default: latest).")] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="Only this channel.")] = None,
    json: JsonOpt = False,
) -> None:
    """List every mark site of a document with its variants, for the author to review."""
    with workspace(ctx) as b:
        report = b.documents.sites(doc, version=version)
    rows = [s for s in report.sites if channel is None or s.channel == channel]
    if json:
        data = report.to_dict()
        data["sites"] = [s.to_dict() for s in rows]
        print_json(data)
        return
    table = Table("#", "line:col", "channel", "rule", "master", "variants")
    for s in rows:
        variants = " | ".join(repr(f) if s.channel != "orthography" else f for f in s.forms)
        table.add_row(str(s.index), f"{s.line}:{s.column}", s.channel, s.rule, Text(repr(s.master)), Text(variants))
    console.print(table)
    per = ", ".join(f"{k} {v}" for k, v in report.per_channel.items())
    console.print(
        f"{len(report.sites)} sites in {report.words} words ({per}); "
        f"{report.slots} code slots on {report.code_length} code positions"
    )


def trace(
    ctx: typer.Context,
    leaks: Annotated[
        list[Path],
        typer.Argument(
            help="The leaked text or file (PDF, Word, picture); several with --joint. '-' reads standard input."
        ),
    ],
    doc: Annotated[str | None, typer.Option("--doc", help="Only consider this document.")] = None,
    joint: Annotated[
        bool,
        typer.Option(
            "--joint",
            help="Leaks believed to share a source: score every recipient on all of them together "
            "(without it, each leak is traced on its own).",
        ),
    ] = False,
    eps: Annotated[
        float | None,
        typer.Option(
            "--max-false-accusation", help="Accuse only below this bound (default 1e-6; above 1e-3 needs --weak)."
        ),
    ] = None,
    weak: Annotated[
        bool, typer.Option("--weak", help="Accept a --max-false-accusation above 1e-3; the verdict says it is weak.")
    ] = False,
    all_marks: Annotated[
        bool, typer.Option("--all-marks", help="List every mark read, not only the first 40 (--json has them all).")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Find who leaked: align the text to the masters, read the marks, bound the evidence."""
    if sum(1 for leak in leaks if str(leak) == "-") > 1:
        raise typer.BadParameter("standard input ('-') can be given once")
    with workspace(ctx) as b:
        sources: list[Path | str] = [
            read_stdin(b.ws.settings.max_leak_bytes) if str(leak) == "-" else leak for leak in leaks
        ]
        if joint:
            results = [b.tracing.trace_joint(sources, doc=doc, max_false_accusation=eps, weak=weak)]
        else:
            results = [b.tracing.trace(x, doc=doc, max_false_accusation=eps, weak=weak) for x in sources]
    if json:
        print_json(results[0].to_dict() if len(results) == 1 else [r.to_dict() for r in results])
        return
    from barium.cli.render import render_trace

    if joint:
        render_trace(console, results[0], all_marks=all_marks)
        return
    for n, (leak, result) in enumerate(zip(leaks, results, strict=True)):
        if len(results) > 1:
            console.print(Text(f"{'' if n == 0 else chr(10)}Leak {n + 1}: {leak}", style="bold"))
        render_trace(console, result, all_marks=all_marks)


def read_stdin(cap: int) -> str:
    """Standard input as text, decoded and checked like a file (never as the terminal's encoding)."""
    import sys

    from barium.errors import InputTooLarge
    from barium.formats import decode_text

    data = sys.stdin.buffer.read(cap + 1)
    if len(data) > cap:
        raise InputTooLarge(f"standard input: larger than the {cap:,}-byte limit (max_leak_bytes)")
    return decode_text(data, name="standard input")


def register(app: typer.Typer) -> None:
    for fn in (init, issue, sites, trace):
        app.command(fn.__name__)(fn)
