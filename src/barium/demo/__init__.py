"""`barium demo`: the whole story on built-in sample documents.

Two fictional documents (an enforcement operation plan and an embargoed
statistics release) go to 32 fictional officials. Three texts then turn up:
a newspaper story that retypes part of one official's copy of the plan, a blog
post that pastes a paragraph of another official's copy of the release, and a
press piece that quotes the unmarked master. Barium traces each.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.table import Table

from barium.cli.render import render_trace
from barium.services import Barium
from barium.simulate import embed, excerpt_words, html_paste, retype

NEWS_BEFORE = (
    "EXCLUSIVE: Raids on drug smuggling ring planned for next week\n\n"
    "By our home affairs correspondent\n\n"
    "Officials are preparing a series of surprise inspections at freight depots across the "
    "country, according to a confidential plan seen by this newspaper. The document, which "
    "was circulated to a small group of officials, says:"
)
NEWS_AFTER = (
    "The Directorate declined to comment. A spokesperson said it did not discuss "
    "operational matters. Opposition politicians called for an inquiry into how the "
    "plan came to be in circulation."
)
LEAK_WORDS = 500  # with the plan's author variants, names the leaker at 1e-6 with a wide margin
BLOG_BEFORE = "Jobs figures leak? Here is what we have been sent ahead of Wednesday's release:"
BLOG_AFTER = "If this is right, the Bank will have to rethink its next move. More when we have it."
MASTER_BEFORE = "In a statement published after the inspections, the Directorate said:"


def _sample(name: str) -> Path:
    return Path(str(resources.files("barium.demo").joinpath("samples", name)))


def run_demo(*, console: Console, keep: Path | None = None, as_json: bool = False) -> dict[str, object]:
    home = keep if keep is not None else Path(tempfile.mkdtemp(prefix="barium-demo-"))
    if keep is not None and keep.exists() and any(keep.iterdir()):
        home = keep / "workspace"

    def say(*parts: object) -> None:
        if not as_json:
            console.print(*parts)

    try:
        with Barium.init(home) as b:
            say(f"[bold]Barium demo[/] (workspace {home})\n")
            plan = b.add_document(_sample("operation-harbour-light.md"), title="Operation Harbour Light")
            stats = b.add_document(_sample("statistics-release.txt"), title="Labour market statistics, November")
            people = b.import_recipients(_sample("recipients.csv"))
            variants = plan.channels.get("variants", 0)
            say(
                f"1. Registered 2 documents ({plan.sites} and {stats.sites} mark sites; the plan's author wrote "
                f"{variants} alternative wordings into it as {{{{a|b}}}} variants) and {len(people)} recipients."
            )
            out = home / "copies"
            r1 = b.issue(plan.id, all_recipients=True, out=out / "plan")
            r2 = b.issue(stats.id, all_recipients=True, out=out / "stats")
            say(
                f"2. Issued {len(r1.copies) + len(r2.copies)} marked copies into {out}; on average "
                f"{r1.words_changed_share:.1%} of the plan's words read differently from the master."
            )
            by_name = {c.recipient.name: c for c in r1.copies}
            stat_copies = {c.recipient.name: c for c in r2.copies}

            leaks = [
                (
                    f"Newspaper story retyping {LEAK_WORDS} words of the plan",
                    "Elena Rossi",
                    embed(
                        retype(excerpt_words(by_name["Elena Rossi"].text, 40, LEAK_WORDS)),
                        before=NEWS_BEFORE,
                        after=NEWS_AFTER,
                    ),
                ),
                (
                    "Blog post pasting a paragraph of the release through a web page",
                    "Connor Walsh",
                    embed(
                        html_paste(excerpt_words(stat_copies["Connor Walsh"].text, 60, 70)),
                        before=BLOG_BEFORE,
                        after=BLOG_AFTER,
                    ),
                ),
                (
                    "Press piece quoting the unmarked master",
                    None,
                    embed(
                        excerpt_words(b.master_text(plan.id), 150, 200),
                        before=MASTER_BEFORE,
                        after="",
                    ),
                ),
            ]
            summary = []
            for n, (label, truth, text) in enumerate(leaks, start=3):
                say(f"\n{n}. [bold]{label}[/] (true source: {truth or 'nobody: the master'})")
                result = b.trace(text)
                if not as_json:
                    render_trace(console, result)
                accused = [a.recipient for a in result.accused]
                summary.append(
                    {
                        "leak": label,
                        "true_source": truth,
                        "verdict": result.verdict,
                        "accused": accused,
                        "bound": result.accused[0].false_accusation_bound if result.accused else None,
                        "innocent_accused": any(name != truth for name in accused),
                    }
                )
            table = Table(
                "leak",
                "true source",
                "verdict",
                "accused",
                "bound",
                title="\nSummary",
                title_justify="left",
            )
            for row in summary:
                table.add_row(
                    str(row["leak"]),
                    str(row["true_source"] or "-"),
                    str(row["verdict"]),
                    ", ".join(row["accused"]) or "-",  # type: ignore[arg-type]
                    f"{row['bound']:.1e}" if row["bound"] is not None else "-",
                )
            if not as_json:
                console.print(table)
                console.print(
                    "No innocent was accused. A verdict of 'inconclusive' would mean the marks that "
                    "survived were too few for the 1e-6 threshold: Barium never guesses."
                )
            result_doc: dict[str, object] = {"workspace": str(home), "leaks": summary}
            if as_json:
                console.print_json(json.dumps(result_doc))
            return result_doc
    finally:
        if keep is None:
            shutil.rmtree(home, ignore_errors=True)
