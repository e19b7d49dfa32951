"""`barium demo`: run the story of :mod:`barium.demo` in a workspace, and tell it."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from barium.cli.context import JsonOpt, console, print_json, say

if TYPE_CHECKING:
    from barium.demo import DemoReport


def demo(
    keep: Annotated[Path | None, typer.Option("--keep", help="Keep the demo workspace in this folder.")] = None,
    json: JsonOpt = False,
) -> None:
    """Run the whole story on built-in sample documents, in a temporary workspace."""
    from barium.demo import run_demo

    home = keep if keep is not None else Path(tempfile.mkdtemp(prefix="barium-demo-"))
    if keep is not None and keep.exists() and any(keep.iterdir()):
        home = keep / "workspace"
    # The evidence report outlives the temporary workspace: it is what the demo hands over.
    reports = keep if keep is not None else Path(tempfile.mkdtemp(prefix="barium-demo-report-"))
    try:
        if json:
            report = run_demo(home, reports=reports)
        else:
            with console.status("Registering, issuing, tracing and investigating (about a minute)"):
                report = run_demo(home, reports=reports)
    finally:
        if keep is None:
            shutil.rmtree(home, ignore_errors=True)
    if json:
        print_json(report.to_dict())
    else:
        tell(report)


def tell(report: DemoReport) -> None:
    from barium.cli.render import render_trace

    say(("Barium demo", "bold"), f" (workspace {report.workspace})\n")
    say(
        f"1. Registered 3 documents ({report.plan_sites} and {report.stats_sites} mark sites; the plan's author "
        f"wrote {report.plan_variants} alternative wordings into it as {{{{a|b}}}} variants; a board memo in "
        f"Word with {report.memo_sites} sites, {report.memo_variants} of them variants typed in Word) "
        f"and {report.recipients} recipients."
    )
    if report.memo_scrubbed:
        say(
            "   The memo's Word file named "
            + ", ".join(repr(s) for s in report.memo_scrubbed)
            + " in its metadata; no copy does."
        )
    say(
        f"2. Issued {report.copies} marked copies into {report.copies_folder}; on average "
        f"{report.words_changed_share:.1%} of the plan's words read differently from the master."
    )
    for n, leak in enumerate(report.leaks, start=3):
        say(f"\n{n}. ", (leak.label, "bold"), f" (true source: {leak.true_source or 'nobody: the master'})")
        render_trace(console, leak.result)
    table = Table("leak", "true source", "verdict", "accused", "bound", title="\nSummary", title_justify="left")
    for leak in report.leaks:
        bound = leak.result.accused[0].false_accusation_bound if leak.result.accused else None
        table.add_row(
            Text(leak.label),
            Text(leak.true_source or "-"),
            leak.result.verdict,
            Text(", ".join(leak.accused) or "-"),
            f"{bound:.1e}" if bound is not None else "-",
        )
    console.print(table)
    if report.case is not None:
        c = report.case
        say(
            f"\n{len(report.leaks) + 3}. ",
            ("The newspaper story became case " + str(c.id), "bold"),
            f": {' -> '.join(c.steps)}; now {c.status}"
            + (f", the evidence naming {', '.join(c.accused)}." if c.accused else ", naming no one."),
        )
        say(f"   Its evidence report: {c.report}")
        say(f"   (SHA-256 {c.report_sha256}, recorded in the audit log)")
    if any(leak.innocent_accused for leak in report.leaks):
        say(("An innocent was accused: this is a bug in Barium; please report it.", "bold red"))
    else:
        say(
            "No innocent was accused. A verdict of 'inconclusive' would mean the marks that "
            "survived were too few for the 1e-6 threshold: Barium never guesses."
        )
