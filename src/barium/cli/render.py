"""Rich rendering of results. No logic: every number comes from the result objects."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from barium.tracing import Accusation, TraceResult


def _bound(x: float) -> str:
    return "0" if x == 0 else (f"{x:.1e}" if x < 0.01 else f"{x:.3f}")


def people_table(title: str, people: list[Accusation]) -> Table:
    table = Table(
        "recipient",
        "email",
        "score",
        "test",
        "false-accusation bound",
        title=title,
        title_justify="left",
    )
    for a in people:
        table.add_row(
            Text(a.recipient), Text(a.email or ""), f"{a.score:.2f}", a.test, _bound(a.false_accusation_bound)
        )
    return table


def render_trace(console: Console, r: TraceResult) -> None:
    colour = {"identified": "bold red", "inconclusive": "bold yellow", "no_match": "bold green"}[r.verdict]
    console.print(Text.assemble("Verdict: ", (r.verdict, colour)))
    if r.document is None:
        console.print(f"The text matches no registered document ({r.aligned_words} words aligned).")
        return
    console.print(Text(f"Document: {r.document.id} {r.document.title!r}, version {r.document.version}"))
    channels = ", ".join(f"{k} {v}" for k, v in r.channels.items() if v) or "none"
    console.print(
        f"Evidence: {r.aligned_words} words aligned, {r.sites_read} mark sites read ({channels}), "
        f"{r.positions_read} code positions, {r.recipients_scored} recipients scored"
    )
    if r.accused:
        console.print(people_table("Identified", r.accused))
        console.print(
            "Each bound is a rigorous upper limit on the probability that an innocent recipient "
            f"would score as high (threshold {r.max_false_accusation:g})."
        )
    elif r.candidates:
        console.print(people_table("Leading candidates (not accused: evidence short of the threshold)", r.candidates))
    for note in r.notes:
        console.print(Text(f"note: {note}", style="dim"))
