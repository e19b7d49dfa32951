"""Orthography site density on the BBC News corpus: sites per 100 words, overall and per rule.

Density is what decides whether a short retyped excerpt still identifies its
recipient. Two figures are reported:

* sites per 100 words: every place the orthography channel can vary;
* groups per 100 words: distinct (rule, paragraph) pairs. A consistent channel
  renders all sites of one rule in one paragraph alike, so a group, not a site,
  is what carries one code symbol (the rest are repetitions, useful against
  excerpting and errors but not new bits).

The baseline, measured in the same run, is the punctuation channel (quotation and
dash style), the other layer that survives a retype.

Run: ``.venv/bin/python benchmarks/site_density.py`` (writes results/site_density.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from barium.channels.base import Channel
from barium.channels.orthography import RULES, OrthographyChannel
from barium.channels.punctuation import PunctuationChannel
from barium.formats import parse
from barium.text import tokenize
from corpus import articles

RESULTS = Path(__file__).resolve().parent / "results" / "site_density.md"


def measure(channel: Channel, texts: list[str]) -> tuple[int, int, int, Counter[str], float]:
    """Words, sites, groups, sites per rule, and the slowest find_sites call (ms)."""
    words = sites = groups = 0
    per_rule: Counter[str] = Counter()
    slowest = 0.0
    for text in texts:
        doc = parse(text, "text")
        words += len(tokenize(text))
        t0 = time.perf_counter()
        found = channel.find_sites(doc)
        slowest = max(slowest, (time.perf_counter() - t0) * 1000)
        sites += len(found)
        groups += len({(s.rule, s.paragraph) for s in found})
        per_rule.update(s.rule for s in found)
    return words, sites, groups, per_rule, slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=25, help="rules to list (default 25)")
    parser.add_argument("--limit", type=int, default=0, help="articles to read (0: all)")
    args = parser.parse_args()
    texts = [text for _, text in articles()]
    if args.limit:
        texts = texts[: args.limit]

    t0 = time.perf_counter()
    words, sites, groups, per_rule, slowest = measure(OrthographyChannel(), texts)
    elapsed = time.perf_counter() - t0
    b_words, b_sites, b_groups, _, _ = measure(PunctuationChannel(), texts)

    lines = [
        "# Orthography site density (BBC News corpus)",
        "",
        f"{len(texts)} articles, {words:,} words; {len(RULES)} rules in "
        f"{len({r.group for r in RULES})} consistency groups. "
        f"find_sites: {elapsed / len(texts) * 1000:.1f} ms per article on average, slowest {slowest:.1f} ms.",
        "",
        "| channel | sites | sites / 100 words | (rule, paragraph) groups / 100 words |",
        "|---|---:|---:|---:|",
        f"| orthography | {sites:,} | {100 * sites / words:.2f} | {100 * groups / words:.2f} |",
        f"| punctuation (baseline) | {b_sites:,} | {100 * b_sites / b_words:.2f} | {100 * b_groups / b_words:.2f} |",
        "",
        f"## Top {args.top} rules (consistency groups)",
        "",
        "| rule | sites | sites / 100 words | share |",
        "|---|---:|---:|---:|",
    ]
    for rule, n in per_rule.most_common(args.top):
        lines.append(f"| {rule} | {n:,} | {100 * n / words:.3f} | {100 * n / sites:.1f}% |")
    used = len(per_rule)
    lines += ["", f"{used} of {len({r.group for r in RULES})} groups found at least one site."]
    table = "\n".join(lines) + "\n"
    print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
