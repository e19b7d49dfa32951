"""Press watching: `barium scan`, `barium watch ...`, `barium alerts`, `barium public ...`."""

from __future__ import annotations

import json as jsonlib
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from barium.cli.context import JsonOpt, console, err_console, print_json, say, workspace
from barium.errors import InputError

if TYPE_CHECKING:  # the services and the watch package are heavy: not for `barium --help`
    from barium.services import ScanMatch
    from barium.watch import Skipped

app = typer.Typer(help="Follow feeds and web pages for leaked passages.", no_args_is_help=True)
public_app = typer.Typer(help="Text the author made public: it never raises an alert.", no_args_is_help=True)
ParaphraseOpt = Annotated[
    bool | None, typer.Option("--paraphrase/--no-paraphrase", help="Also compare sentences by meaning.")
]


def _matches_table(matches: list[ScanMatch], title: str) -> Table:
    table = Table(
        "source", "document", "kind", "score", "words", "verdict", "accused", title=title, title_justify="left"
    )
    for m in matches:
        accused = ", ".join(a["recipient"] for a in m.trace.get("accused", [])) or "-"
        words = sum(len(s["text"].split()) for s in m.spans)
        table.add_row(
            (m.title or m.source)[:60],
            f"{m.document.id} {m.document.title[:30]} v{m.document.version}",
            m.kind,
            f"{m.score:.2f}",
            str(words),
            str(m.trace.get("verdict")),
            accused,
        )
    return table


def _skip_line(where: str, reason: str) -> str:
    # Reasons from fetching and checking often open with the item's own name already.
    return f"skipped {reason}" if reason.startswith(f"{where}:") else f"skipped {where}: {reason}"


def scan(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders: .txt .md .html .warc(.gz) .jsonl")],
    paraphrase: ParaphraseOpt = None,
    json: JsonOpt = False,
) -> None:
    """Find passages of protected documents in files, folders and web archives.

    What cannot be scanned (too large, binary, damaged) is skipped with its reason on
    standard error (with --json, one JSON object a line), and the scan goes on.
    """
    skipped: list[Skipped] = []

    def on_skip(item: Skipped) -> None:
        skipped.append(item)
        if json:
            sys.stderr.write(jsonlib.dumps({"skipped": item.where, "reason": item.reason}, ensure_ascii=False) + "\n")
        else:
            err_console.print(Text(_skip_line(item.where, item.reason), style="dim"))

    with workspace(ctx) as b:
        matches = b.watching.scan(paths, paraphrase=paraphrase, on_skip=on_skip)
    if json:
        print_json([m.to_dict() for m in matches])
    elif matches:
        console.print(_matches_table(matches, f"{len(matches)} matches"))
    else:
        console.print("No passage of a protected document found.")
    if skipped and not json:
        err_console.print(f"{len(skipped)} skipped")


@app.command("add")
def watch_add(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="An RSS/Atom feed or a single web page.")],
    every: Annotated[str, typer.Option("--every", help="Polling interval: 15m, 2h, 1d.")] = "15m",
    json: JsonOpt = False,
) -> None:
    """Watch a feed or page."""
    with workspace(ctx) as b:
        s = b.watching.add(url, every=every)
    if json:
        print_json(s.to_dict())
    else:
        say("Watching ", (str(s.id), "bold"), f" {s.url} every {s.every_seconds // 60} min")


@app.command("list")
def watch_list(ctx: typer.Context, json: JsonOpt = False) -> None:
    """List watched sources."""
    with workspace(ctx) as b:
        sources = b.watching.list()
    if json:
        print_json([s.to_dict() for s in sources])
        return
    table = Table("id", "url", "every", "last run", "failures", "last error")
    for s in sources:
        table.add_row(
            str(s.id),
            s.url,
            f"{s.every_seconds // 60} min",
            s.last_run_at.strftime("%Y-%m-%d %H:%M") if s.last_run_at else "never",
            str(s.failures),
            (s.last_error or "")[:60],
        )
    console.print(table)


@app.command("remove")
def watch_remove(ctx: typer.Context, source_id: Annotated[int, typer.Argument(help="Source id.")]) -> None:
    """Stop watching a source."""
    with workspace(ctx) as b:
        b.watching.remove(source_id)
    console.print(f"Stopped watching source {source_id}")


@app.command("run")
def watch_run(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="One pass over the sources that are due, then exit.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Fetch every source now, due or not.")] = False,
    paraphrase: ParaphraseOpt = None,
    json: JsonOpt = False,
) -> None:
    """Fetch what is new, extract it, detect protected passages, alert and trace."""
    with workspace(ctx, watcher=True) as b:
        while True:
            report = b.watching.run(force=force, paraphrase=paraphrase)
            if json:
                print_json(report.to_dict())
            else:
                console.print(
                    f"{datetime.now(UTC):%H:%M:%S} {report.sources} sources, {report.articles} new articles, "
                    f"{sum(1 for m in report.matches if m.new)} new alerts, {len(report.skipped)} skipped, "
                    f"{len(report.failed)} failed"
                )
                if report.matches:
                    console.print(_matches_table(report.matches, "Alerts"))
                for k in report.skipped:
                    where = k["item"] or k["source"]
                    err_console.print(Text(_skip_line(str(where), k["reason"]), style="dim"))
                for f in report.failed:
                    err_console.print(
                        Text.assemble((str(f["source"]), "yellow"), f": {f['error']} (retry after {f['next_retry']})")
                    )
            if once:
                return
            force = False
            time.sleep(60)


def alerts(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help="Only alerts from this date on (YYYY-MM-DD).")] = None,
    json: JsonOpt = False,
) -> None:
    """What was found, newest first."""
    when = None
    if since:
        try:
            when = datetime.fromisoformat(since)
        except ValueError:
            raise InputError(f"--since wants a date like 2026-11-29, got {since!r}") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    with workspace(ctx) as b:
        found = b.watching.alerts(since=when)
    if json:
        print_json([m.to_dict() | {"id": m.alert_id} for m in found])
    elif found:
        console.print(_matches_table(found, f"{len(found)} alerts"))
    else:
        console.print("No alerts.")


@public_app.command("add")
def public_add(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A published text (e.g. a press statement).")],
    title: Annotated[str | None, typer.Option("--title")] = None,
) -> None:
    """Register published text: passages from it never raise an alert."""
    with workspace(ctx) as b:
        pid = b.public.add(path, title=title)
    console.print(f"Registered public text {pid}")


@public_app.command("list")
def public_list(ctx: typer.Context, json: JsonOpt = False) -> None:
    """List registered public texts."""
    with workspace(ctx) as b:
        texts = b.public.list()
    if json:
        print_json([t.to_dict() for t in texts])
        return
    table = Table("id", "title", "characters", "registered")
    for t in texts:
        table.add_row(str(t.id), Text(t.title[:60]), f"{t.chars:,}", t.created_at.strftime("%Y-%m-%d %H:%M"))
    console.print(table)


@public_app.command("remove")
def public_remove(ctx: typer.Context, public_id: Annotated[int, typer.Argument(help="Public text id.")]) -> None:
    """Forget a public text: passages from it may raise alerts again."""
    with workspace(ctx) as b:
        b.public.remove(public_id)
    console.print(f"Removed public text {public_id}")
