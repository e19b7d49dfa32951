"""Hostile masters: every stage of doc add, issue and trace, at size n and 4n.

    .venv/bin/python benchmarks/pathological.py [--quick] [--only NAME]

Each input is built at two sizes, n and 4n. A stage that is linear shows the same
seconds per MB at both (a ratio of the two times near 4); a quadratic one shows a
ratio near 16. Stages: ``parse`` (decode, parse, variant markup), ``doc add``
(parse again, find every channel's sites, store the version), ``issue`` (build the
mark plan, render and record two copies), ``trace`` (a cold trace of a 2,000-word
excerpt of one copy: index the master, align, read, score). Times are CPU seconds
of this process (SQLite runs in it), so that other work on a shared machine does
not pass for super-linear growth; the peak memory of the run is printed too.
Writes benchmarks/results/pathological.md.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from barium.errors import BariumError
from barium.formats import decode_text, parse
from barium.services import Barium
from barium.services.prepare import _prepare
from corpus import articles

MB = 1_000_000
RESULTS = Path(__file__).resolve().parent / "results" / "pathological.md"


def _repeat(pattern: str, size: int) -> str:
    return (pattern * (size // len(pattern) + 1))[:size] + "\n"


def words_line(size: int) -> str:
    rnd = random.Random(1)
    words = [
        "the",
        "raid",
        "is",
        "planned",
        "for",
        "june",
        "towards",
        "colour",
        "organise",
        "e-mail",
        "five",
        "1,500",
        "don't",
        "however",
        "and",
    ]
    out: list[str] = []
    total = 0
    while total < size:
        out.append(rnd.choice(words))
        total += len(out[-1]) + 1
    return " ".join(out)[:size] + "\n"


def bbc(size: int) -> str:
    out: list[str] = []
    total = 0
    while total < size:  # the corpus is about 5 MB: go round again for 9 MB
        for _, text in articles():
            out.append(text.strip())
            total += len(text) + 2
            if total >= size:
                break
    return "\n\n".join(out)[:size] + "\n"


def nested_list(size: int) -> str:
    # Each item one level deeper than the last: depth grows as the square root of size.
    lines: list[str] = []
    total = depth = 0
    while total < size:
        lines.append("  " * depth + "- item towards the colour\n")
        total += len(lines[-1])
        depth += 1
    return "".join(lines)


def variants(size: int) -> str:
    rnd = random.Random(2)
    words = ["raid", "harbour", "night", "crew", "boat", "signal", "light", "pier", "tide", "convoy"]
    out: list[str] = []
    total = 0
    while total < size:  # whole markups only, and words that vary so that a leak aligns
        out.append(
            f"The {rnd.choice(words)} is {{{{planned for|scheduled for}}}} {rnd.choice(words)}, {{{{then|later}}}} the {rnd.choice(words)}."
        )
        total += len(out[-1]) + 1
    return " ".join(out) + "\n"


# name, format, builder, n
INPUTS: list[tuple[str, str, Callable[[int], str], int]] = [
    ("one line of words", "text", words_line, MB // 4),
    ("one line of dots", "text", lambda n: _repeat(".", n), MB // 4),
    ("one line of '....' and punctuation", "text", lambda n: _repeat("....,;:!?... -- ' \" .... ", n), MB // 4),
    ("one line of one letter", "text", lambda n: _repeat("a", n), MB // 4),
    (
        "one line of quotes, dashes, apostrophes",
        "text",
        lambda n: _repeat("\"'\u2019\u201c\u201d-\u2014\u2013 '", n),
        MB // 4,
    ),
    ("one line of backticks (Markdown)", "markdown", lambda n: _repeat("`", n), MB // 4),
    (
        "Markdown inline openers, never closed",
        "markdown",
        lambda n: _repeat("``x <!-- ![ ](a ( <http: &a ", n),
        MB // 4,
    ),
    ("nested list, one level deeper per line", "markdown", nested_list, MB // 4),
    ("list markers nested on one line", "markdown", lambda n: _repeat("- ", n - 5) + "item\n", MB // 4),
    ("block quotes nested on one line", "markdown", lambda n: _repeat(">", n - 5) + " item\n", MB // 4),
    ("variant markup, dense", "markdown", variants, MB // 4),
    ("BBC News text", "text", bbc, 9 * MB // 4),
]


def peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def measure(fmt: str, text: str) -> dict[str, float]:
    times: dict[str, float] = {}
    t0 = time.process_time()
    parse(decode_text(text.encode()), fmt)
    times["parse"] = time.process_time() - t0
    suffix = ".md" if fmt == "markdown" else ".txt"
    with tempfile.TemporaryDirectory() as tmp:
        master = Path(tmp) / f"master{suffix}"
        master.write_text(text, encoding="utf-8")
        with Barium.init(Path(tmp) / "ws") as b:
            b.recipients.add("Alice Example", email="alice@example.org")
            b.recipients.add("Bob Example", email="bob@example.org")
            t0 = time.process_time()
            doc = b.documents.add(master, title="master")
            times["doc add"] = time.process_time() - t0
            t0 = time.process_time()
            report = b.issuing.issue(doc.id, all_recipients=True)
            times["issue"] = time.process_time() - t0
            copy = report.copies[0].text
            words = copy.split(" ")
            middle = len(words) // 2
            leak = " ".join(words[max(0, middle - 1000) : middle + 1000])
            _prepare.cache_clear()  # a trace in a new process prepares the version itself
            t0 = time.process_time()
            result = b.tracing.trace(leak, doc=doc.id)
            times["trace"] = time.process_time() - t0
            times["verdict"] = {"identified": 2.0, "inconclusive": 1.0}.get(result.verdict, 0.0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes n/4 and n instead of n and 4n")
    parser.add_argument("--only", help="run the inputs whose name contains this")
    args = parser.parse_args()
    stages = ("parse", "doc add", "issue", "trace")
    header = (
        "| input | format | size (MB) | "
        + " | ".join(f"{s} (s)" for s in stages)
        + " | total (s) | s per MB | verdict | 4n / n |"
    )
    rows = [header, "|" + "---|" * (header.count("|") - 1)]
    print(header, flush=True)
    for name, fmt, build, n in INPUTS:
        if args.only and args.only not in name:
            continue
        sizes = (n // 4, n) if args.quick else (n, 4 * n)
        totals: list[float] = []
        for size in sizes:
            text = build(size)
            try:
                times = measure(fmt, text)
            except BariumError as exc:  # refused with a clear message is a bounded outcome too
                print(f"| {name} | {fmt} | {len(text.encode()) / MB:.2f} | refused: {exc.message} |", flush=True)
                rows.append(f"| {name} | {fmt} | {len(text.encode()) / MB:.2f} | refused: {exc.message} |")
                continue
            total = sum(times[s] for s in stages)
            totals.append(total)
            verdict = {2.0: "identified", 1.0: "inconclusive"}.get(times["verdict"], "no_match")
            ratio = f"{totals[1] / max(totals[0], 1e-9):.1f}" if len(totals) == 2 else ""
            mb = len(text.encode()) / MB
            row = (
                f"| {name} | {fmt} | {mb:.2f} | "
                + " | ".join(f"{times[s]:.2f}" for s in stages)
                + f" | {total:.2f} | {total / mb:.1f} | {verdict} | {ratio} |"
            )
            rows.append(row)
            print(row, flush=True)
    if not args.only:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(
            "# Pathological masters\n\n"
            "`.venv/bin/python benchmarks/pathological.py" + (" --quick" if args.quick else "") + "`: each input at "
            "size n and 4n; a linear stage keeps its seconds per MB, so the last column stays near 4 "
            "(a quadratic one would read 16). CPU seconds of the benchmark process; "
            f"peak memory of the whole run: {peak_mb():,} MB.\n\n" + "\n".join(rows) + "\n"
        )
        print(f"wrote {RESULTS}")
    print(f"peak memory: {peak_mb():,} MB")


if __name__ == "__main__":
    main()
