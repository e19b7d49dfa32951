"""The invisible-character trade-off: what a reader notices against what a pasted quote traces.

    .venv/bin/python benchmarks/invisible.py            # writes results/invisible.md
    .venv/bin/python benchmarks/invisible.py --quick

The same BBC composite documents are registered twice in one run, with invisible
marks between sentences only (``invisible_gaps = "sentences"``, the default) and
between every two words (``"words"``, earlier releases). Per copy: the share of its
characters that are invisible; the share of the master's sentences, and of random
two- and four-word phrases, that an exact search (``grep``, a browser's find) finds
in the copy; marks a "show hidden characters" view shows per 100 words. Then the
power it buys: a passage copied through a web page (``simulate.html_paste``), the
words needed to name its source among the recipients at eps = 1e-6 (median of the
trials), house style and invisible marks together.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from barium.services import Barium
from barium.text import is_invisible, sentence_spans
from corpus import long_documents
from tracing import words_needed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--recipients", type=int, default=1000)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    docs_n, trials = (2, 4) if args.quick else (5, 20)
    out = args.out or Path(__file__).parent / "results" / f"invisible{'-quick' if args.quick else ''}.md"
    sources = long_documents(1500, docs_n)
    rng = random.Random(20261202)
    rows = []
    for mode in ("sentences", "clauses", "words"):
        os.environ["BARIUM_INVISIBLE_GAPS"] = mode  # the one settings source: the environment overrides
        with tempfile.TemporaryDirectory() as tmp, Barium.init(Path(tmp) / "ws") as b:
            for i in range(args.recipients):
                b.recipients.add(f"Recipient {i:04d}", email=f"r{i:04d}@example.org")
            share, sentences, pairs, quads, per_100, needed = [], [], [], [], [], []
            for k, text in enumerate(sources):
                d = b.documents.add(text, title=f"{mode}-{k}")
                master = b.documents.master_text(d.id)
                words = master.split()
                report = b.issuing.issue(d.id, all_recipients=True)
                for c in report.copies[:20]:
                    invisible = sum(1 for ch in c.text if is_invisible(ch))
                    share.append(invisible / len(c.text))
                    per_100.append(100 * invisible / len(words))
                    sents = [master[a:z] for a, z in sentence_spans(master)]
                    sentences.append(sum(s in c.text for s in sents) / len(sents))
                    for n, bucket in ((2, pairs), (4, quads)):
                        starts = [rng.randrange(len(words) - n) for _ in range(100)]
                        phrases = [" ".join(words[s : s + n]) for s in starts]
                        bucket.append(sum(p in c.text for p in phrases) / len(phrases))
                copies = {c.recipient.name: c.text for c in report.copies}
                for _ in range(trials // docs_n):
                    leaker = rng.choice(list(copies))
                    start = rng.randrange(0, max(1, len(words) - 400))
                    n, _ = words_needed(b, copies[leaker], leaker, "html", start)
                    needed.append(n if n is not None else 10_000)
            rows.append((mode, share, per_100, sentences, pairs, quads, needed))

    lines = [
        "# The invisible-character trade-off",
        "",
        f"Command: `.venv/bin/python {' '.join(['benchmarks/invisible.py', *sys.argv[1:]])}`  ",
        f"{docs_n} BBC composite documents of about 1,500 words, {args.recipients} recipients; per copy "
        f"figures over 20 copies of each; {trials} pasted-passage trials per setting (eps = 1e-6).",
        "",
        "| invisible marks | invisible characters in a copy | invisible characters per 100 words | master sentences an exact "
        "search finds | two-word phrases found | four-word phrases found | words of a pasted passage to "
        "name its source, median (90th pct.) |",
        "|---|---|---|---|---|---|---|",
    ]
    for mode, share, per_100, sentences, pairs, quads, needed in rows:
        needed.sort()
        p90 = needed[min(len(needed) - 1, int(0.9 * len(needed)))]
        lines.append(
            f"| between {mode} | {statistics.mean(share):.1%} | {statistics.mean(per_100):.1f} | "
            f"{statistics.mean(sentences):.0%} | {statistics.mean(pairs):.0%} | {statistics.mean(quads):.0%} | "
            f"{statistics.median(needed):,.0f} ({p90:,}) |"
        )
    lines.append("")
    print("\n".join(lines))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
