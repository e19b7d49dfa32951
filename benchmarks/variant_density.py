"""Variant suggestion density on the BBC News corpus: suggestions per 100 words, per family.

``barium.variants.suggest`` proposes author variants ({{a|b}}) for review. What
matters is how many it finds (each accepted variant is one more code position
that survives a retype) and how much of the text the alternatives touch (the
share of words that a marked copy may show in another order or wording).

The baseline, measured in the same run, is the orthography channel: its sites
per 100 words on the same articles (see site_density.py).

``--examples N`` prints N random suggestions per family (fixed seed) with their
sentence, for review by eye: precision is judged by reading them, not measured.

Run: ``.venv/bin/python benchmarks/variant_density.py`` (writes results/variant_density.md).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from barium.channels.orthography import OrthographyChannel
from barium.formats import parse
from barium.text import tokenize
from barium.variants.suggest import FAMILIES, Suggestion, suggest
from corpus import articles

RESULTS = Path(__file__).resolve().parent / "results" / "variant_density.md"
COMMAND = ".venv/bin/python benchmarks/variant_density.py"


def context(text: str, s: Suggestion, width: int = 90) -> str:
    """The suggestion in its line, shortened to about ``width`` characters each side."""
    line_start = text.rfind("\n", 0, s.start) + 1
    line_end = text.find("\n", s.end)
    line_end = len(text) if line_end == -1 else line_end
    left = text[max(line_start, s.start - width) : s.start]
    right = text[s.end : min(line_end, s.end + width)]
    return f"...{left}[{' | '.join(s.forms)}]{right}..."


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--examples", type=int, default=15, help="random examples per family to print (default 15)")
    parser.add_argument("--seed", type=int, default=2005, help="seed for the examples (default 2005)")
    parser.add_argument("--limit", type=int, default=0, help="articles to read (0: all)")
    args = parser.parse_args()
    corpus = articles()
    if args.limit:
        corpus = corpus[: args.limit]

    words = changed = 0
    per_family: Counter[str] = Counter()
    changed_per_family: Counter[str] = Counter()
    found: dict[str, list[tuple[str, str, Suggestion]]] = {f: [] for f in FAMILIES}
    slowest = 0.0
    t0 = time.perf_counter()
    for name, text in corpus:
        t = time.perf_counter()
        report = suggest(text)
        slowest = max(slowest, (time.perf_counter() - t) * 1000)
        words += report.words
        for s in report.suggestions:
            n = len(tokenize(s.forms[0]))
            per_family[s.family] += 1
            changed_per_family[s.family] += n
            changed += n
            found[s.family].append((name, text, s))
    elapsed = time.perf_counter() - t0

    ortho = OrthographyChannel()
    ortho_sites = sum(len(ortho.find_sites(parse(text, "text"))) for _, text in corpus)

    total = sum(per_family.values())
    lines = [
        "# Variant suggestion density (BBC News corpus)",
        "",
        f"Command: `{COMMAND}`",
        "",
        f"{len(corpus)} articles, {words:,} words. suggest(): {elapsed / len(corpus) * 1000:.1f} ms per article "
        f"on average, slowest {slowest:.1f} ms.",
        "",
        "| family | suggestions | per 100 words | words changed | share of words |",
        "|---|---:|---:|---:|---:|",
    ]
    for family in FAMILIES:
        n = per_family[family]
        lines.append(
            f"| {family} | {n:,} | {100 * n / words:.3f} | {changed_per_family[family]:,} "
            f"| {100 * changed_per_family[family] / words:.2f}% |"
        )
    lines += [
        f"| **total** | **{total:,}** | **{100 * total / words:.3f}** | **{changed:,}** "
        f"| **{100 * changed / words:.2f}%** |",
        f"| orthography sites (baseline) | {ortho_sites:,} | {100 * ortho_sites / words:.3f} | | |",
        "",
        "Words changed: words of the master's wording inside a suggested span (a reordering changes every word "
        "it moves). Precision is judged by reading random samples (`--examples`), not measured.",
    ]
    table = "\n".join(lines) + "\n"
    print(table)

    rng = random.Random(args.seed)
    for family in FAMILIES:
        sample = rng.sample(found[family], min(args.examples, len(found[family])))
        print(f"## {family}: {len(sample)} of {len(found[family])} examples\n")
        for i, (name, text, s) in enumerate(sample, 1):
            print(f"{i:2d}. {name}: {context(text, s)}")
        print()

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
