"""`barium case`: investigations, from the alert or the leak to the finding, with evidence attached."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from barium.cli.context import JsonOpt, console, print_json, utc_option, workspace

if TYPE_CHECKING:
    from barium.services import CaseFile, CaseInfo

app = typer.Typer(
    help="Cases: a leak's investigation, its evidence in custody, its referrals and its finding.", no_args_is_help=True
)
CaseArg = Annotated[int, typer.Argument(help="The case's number (barium case list).", metavar="CASE")]
NoteOpt = Annotated[str, typer.Option("--note", help="Why: recorded with the step.")]
DueOpt = Annotated[str | None, typer.Option("--due", help="Deadline, a UTC date (2026-12-31).")]


def _said(info: CaseInfo, what: str) -> None:
    console.print(Text(f"Case {info.id} {what}: {info.status}" + (f", due {info.due:%Y-%m-%d}" if info.due else "")))


@app.command("open")
def open_case(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help='What the case is about ("Leak of the Harbour Light plan").')],
    from_alert: Annotated[
        int | None, typer.Option("--from-alert", help="Open it from this alert (barium alerts).")
    ] = None,
    doc: Annotated[str | None, typer.Option("--doc", help="The document leaked (id or title).")] = None,
    due: DueOpt = None,
    json: JsonOpt = False,
) -> None:
    """Open a case; from an alert it holds the alert's article, spans and trace."""
    with workspace(ctx) as b:
        info = b.cases.open(title, from_alert=from_alert, doc=doc, due=utc_option(due, "--due"))
    if json:
        print_json(info.to_dict())
    else:
        _said(info, "opened")


@app.command("attach")
def attach(
    ctx: typer.Context,
    case: CaseArg,
    file: Annotated[Path | None, typer.Argument(help="The leaked file (text, Word, PDF, picture).")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Fetch the page and keep it as received.")] = None,
    text: Annotated[str | None, typer.Option("--text", help="Pasted text, as evidence.")] = None,
    json: JsonOpt = False,
) -> None:
    """Take evidence into the case's custody, stored as received under its SHA-256."""
    with workspace(ctx) as b:
        item = b.cases.attach(case, path=file, url=url, text=text)
    if json:
        print_json(item.to_dict())
        return
    how = "already held; linked, not stored again" if item.linked else "stored"
    console.print(
        Text(f"Evidence {item.id} in case {case}: {item.media_type}, {item.size:,} bytes, sha256 {item.sha256} ({how})")
    )


@app.command("trace")
def trace(
    ctx: typer.Context,
    case: CaseArg,
    eps: Annotated[
        float | None, typer.Option("--max-false-accusation", help="Accuse only below this bound (default 1e-6).")
    ] = None,
    all_marks: Annotated[
        bool, typer.Option("--all-marks", help="List every mark read, not only the first 40 (--json has them all).")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Trace all of the case's leaks together, and keep the trace with its inputs."""
    with workspace(ctx) as b:
        info, result = b.cases.trace(case, max_false_accusation=eps)
    if json:
        print_json(info.to_dict())
        return
    if info.withheld:
        accused = len(info.result["accused"])
        console.print(Text(f"Trace {info.id} of case {case}: {info.verdict}", style="bold"))
        console.print(
            Text(
                f"{accused} recipient(s) named; the names are withheld until a second user approves "
                f"(barium case approve {case})."
            )
        )
        return
    from barium.cli.render import render_trace

    console.print(Text(f"Trace {info.id} of case {case}, kept with its inputs:", style="bold"))
    render_trace(console, result, all_marks=all_marks)


@app.command("refer")
def refer(
    ctx: typer.Context,
    case: CaseArg,
    to: Annotated[str, typer.Option("--to", help="The next referral step (professional-responsibility, ...).")],
    note: NoteOpt = "",
    due: DueOpt = None,
    json: JsonOpt = False,
) -> None:
    """Refer the case along the organisation's referral chain."""
    with workspace(ctx) as b:
        info = b.cases.refer(case, to=to, note=note, due=utc_option(due, "--due"))
    if json:
        print_json(info.to_dict())
    else:
        _said(info, "is now")


@app.command("assign")
def assign(
    ctx: typer.Context,
    case: CaseArg,
    to: Annotated[str, typer.Option("--to", help="The user the case goes to.")],
    due: DueOpt = None,
    note: NoteOpt = "",
    json: JsonOpt = False,
) -> None:
    """Give the case to a user, with a deadline."""
    with workspace(ctx) as b:
        info = b.cases.assign(case, to=to, due=utc_option(due, "--due"), note=note)
    if json:
        print_json(info.to_dict())
    else:
        _said(info, f"assigned to {info.assignee}")


@app.command("note")
def note(
    ctx: typer.Context,
    case: CaseArg,
    text: Annotated[str, typer.Argument(help="The note.")],
    json: JsonOpt = False,
) -> None:
    """Add a note to the case's history."""
    with workspace(ctx) as b:
        info = b.cases.note(case, text)
    if json:
        print_json(info.to_dict())
    else:
        _said(info, "noted")


@app.command("close")
def close(
    ctx: typer.Context,
    case: CaseArg,
    finding: Annotated[str, typer.Option("--finding", help="substantiated, unsubstantiated or inconclusive.")],
    note: NoteOpt = "",
    json: JsonOpt = False,
) -> None:
    """Close the case with a finding (final)."""
    with workspace(ctx) as b:
        info = b.cases.close(case, finding=finding, note=note)
    if json:
        print_json(info.to_dict())
    else:
        _said(info, "closed")


@app.command("approve")
def approve(ctx: typer.Context, case: CaseArg, note: NoteOpt = "", json: JsonOpt = False) -> None:
    """As a second user, approve disclosing the names of the case's latest trace (two-person rule)."""
    with workspace(ctx) as b:
        info = b.cases.approve(case, note=note)
    if json:
        print_json(info.to_dict())
    else:
        console.print(
            Text(f"Trace {info.id} of case {case} approved by {info.approved_by}: its names may be disclosed.")
        )


@app.command("show")
def show(ctx: typer.Context, case: CaseArg, json: JsonOpt = False) -> None:
    """The case file: state, history, evidence (custody re-checked) and traces."""
    with workspace(ctx) as b:
        f = b.cases.get(case)
    if json:
        print_json(f.to_dict())
        return
    _render(f)


def _render(f: CaseFile) -> None:
    from barium.cases.history import event_line

    c = f.case
    console.print(Text(f"Case {c.id}: {c.title}", style="bold"))
    console.print(Text(f"Status: {c.status}" + (" (OVERDUE)" if c.overdue else "")))
    console.print(
        Text(f"Opened {c.opened_at:%Y-%m-%d %H:%M} UTC by {c.opened_by}; assigned to {c.assignee or 'no one'}")
    )
    if c.due:
        console.print(Text(f"Due {c.due:%Y-%m-%d}"))
    if c.closed_at:
        console.print(Text(f"Closed {c.closed_at:%Y-%m-%d %H:%M} UTC, finding: {c.finding}"))
    history = Table("when (UTC)", "who", "what", "note", title="History")
    history.columns[3].overflow = "fold"
    history.columns[2].overflow = "fold"
    for e in f.events:
        history.add_row(
            f"{e.at:%Y-%m-%d %H:%M}",
            Text(e.actor),
            Text(event_line(e.kind, e.from_state, e.to_state, e.details)),
            Text(e.note),
        )
    console.print(history)
    if f.evidence:
        items = Table("#", "received (UTC)", "by", "from", "type", "bytes", "sha256", "custody", title="Evidence")
        items.columns[3].overflow = "fold"
        for x in f.evidence:
            items.add_row(
                str(x.id),
                f"{x.received_at:%Y-%m-%d %H:%M}",
                Text(x.attached_by),
                Text(x.origin if not x.filename or x.origin.endswith(x.filename) else f"{x.filename} ({x.origin})"),
                x.media_type,
                f"{x.size:,}",
                x.sha256[:16],
                Text("intact") if x.intact else Text("ALTERED", style="bold red"),
            )
        console.print(items)
    for t in f.traces:
        names = ", ".join(a["recipient"] for a in t.result["accused"]) or "no one"
        console.print(Text(f"Trace {t.id} ({t.at:%Y-%m-%d %H:%M} UTC, by {t.actor}): {t.verdict}; accused: {names}"))


@app.command("list")
def list_cases(
    ctx: typer.Context,
    state: Annotated[str | None, typer.Option("--state", help="Only cases in this state (or 'overdue').")] = None,
    json: JsonOpt = False,
) -> None:
    """Every case, with its state, assignee and deadline."""
    with workspace(ctx) as b:
        cases = b.cases.list(state=state)
    if json:
        print_json([c.to_dict() for c in cases])
        return
    if not cases:
        console.print("No cases" + (" in that state." if state else "."))
        return
    table = Table("#", "title", "status", "assignee", "due")
    for c in cases:
        due = "" if c.due is None else f"{c.due:%Y-%m-%d}" + (" OVERDUE" if c.overdue else "")
        table.add_row(str(c.id), Text(c.title), Text(c.status), Text(c.assignee or ""), due)
    console.print(table)


@app.command("report")
def report(
    ctx: typer.Context,
    case: CaseArg,
    out: Annotated[Path, typer.Option("--out", help="report.html or report.pdf (the same report).")],
    json: JsonOpt = False,
) -> None:
    """Write the case's evidence report, for a lawyer to check: every mark, the bound, custody, the audit proofs."""
    with workspace(ctx) as b:
        info = b.reports.write(case, out)
    if json:
        print_json(info.to_dict())
        return
    console.print(Text(f"Evidence report of case {case} written to {info.path}"))
    console.print(Text(f"SHA-256 {info.sha256} (recorded in the audit log, entry #{info.audit_seq})"))
    if not info.names:
        console.print("It names no one: the evidence does not, or the names are withheld.")
