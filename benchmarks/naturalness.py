"""Tracing benchmark f: style inconsistencies a careful reader could find in a copy.

    .venv/bin/python benchmarks/naturalness.py            # writes results/naturalness.md
    .venv/bin/python benchmarks/naturalness.py --quick

An independent checker (its own word lists and patterns, written for this benchmark,
sharing nothing with the orthography rules) counts, per copy, what reads out of
style against the master: a spelling of the other variety (British or American), a
contraction in a master that has none, a date, time, number, percent or abbreviation
written in another style than the master's. For each style dimension a copy is
charged with every occurrence not in the master's dominant style, beyond those the
master itself has. The same documents are issued twice in one run: registered as
usual (the master's style profile applied), and with the profile switched off
(``--disable-rule style-profile``, the marking of earlier releases): the baseline.

Documents: the hand-written confidential documents of ``benchmarks/canaries/`` (British
and American, formal) and composite BBC documents (British news prose).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from barium.services import Barium
from corpus import long_documents

DATA = Path(__file__).resolve().parent / "canaries"
# British / American pairs (either may be written with a capital).
PAIRS = [
    ("colour", "color"),
    ("favour", "favor"),
    ("honour", "honor"),
    ("labour", "labor"),
    ("neighbour", "neighbor"),
    ("behaviour", "behavior"),
    ("centre", "center"),
    ("theatre", "theater"),
    ("litre", "liter"),
    ("defence", "defense"),
    ("offence", "offense"),
    ("licence", "license"),
    ("catalogue", "catalog"),
    ("travelled", "traveled"),
    ("travelling", "traveling"),
    ("cancelled", "canceled"),
    ("cancelling", "canceling"),
    ("modelling", "modeling"),
    ("grey", "gray"),
    ("cheque", "check"),
    ("towards", "toward"),
    ("afterwards", "afterward"),
    ("backwards", "backward"),
    ("upwards", "upward"),
    ("onwards", "onward"),
    ("learnt", "learned"),
    ("spelt", "spelled"),
    ("burnt", "burned"),
    ("dreamt", "dreamed"),
    ("leapt", "leaped"),
    ("judgement", "judgment"),
    ("ageing", "aging"),
    ("programme", "program"),
    ("analyse", "analyze"),
    ("paralyse", "paralyze"),
    ("per cent", "percent"),
    ("whilst", "while"),
    ("amongst", "among"),
    ("tyre", "tire"),
    ("aluminium", "aluminum"),
    ("sceptical", "skeptical"),
    ("manoeuvre", "maneuver"),
]
# -ise / -ize stems (British offices write -ise; American always -ize).
ISE_STEMS = [
    "organ",
    "recogn",
    "real",
    "critic",
    "apolog",
    "emphas",
    "priorit",
    "author",
    "final",
    "minim",
    "maxim",
    "summar",
    "mobil",
    "stabil",
    "util",
    "special",
    "central",
    "normal",
    "modern",
    "optim",
    "character",
    "categor",
    "standard",
    "capital",
]
ISE_ENDINGS = ("e", "ed", "es", "ing", "ation", "ations")
MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"
SMALL = "one|two|three|four|five|six|seven|eight|nine"
# Each dimension: its styles, each a pattern; a copy is charged with occurrences of
# the styles the master does not mainly use.
DIMENSIONS: dict[str, dict[str, re.Pattern[str]]] = {
    "contractions": {
        "full": re.compile(r"\b(?:do|does|did|is|are|was|were|has|have|had|will|would|could|should|must) not\b"),
        "contracted": re.compile(
            r"\b\w+n't\b|\b(?:I|we|they|you|he|she|it|that|there|what)(?:'|\u2019)(?:re|ve|ll|d|m|s)\b"
        ),
    },
    "dates": {
        "day month": re.compile(rf"\b\d{{1,2}} (?:{MONTH})\b"),
        "month day": re.compile(rf"\b(?:{MONTH}) \d{{1,2}}\b(?!,? \d{{4}}\b(?<=\d{{4}}))"),
    },
    "clock": {
        "5pm": re.compile(r"\b\d{1,2}(?:[.:]\d\d)?(?:am|pm)\b"),
        "5 pm": re.compile(r"\b\d{1,2}(?:[.:]\d\d)? (?:am|pm)\b"),
        "5 p.m.": re.compile(r"\b\d{1,2}(?:[.:]\d\d)? ?[ap]\.m\."),
    },
    "small numbers": {
        "words": re.compile(rf"\b(?:{SMALL})\b(?= [a-z])"),
        # Not before a scale word: "3 billion" is written in figures in every house style.
        "digits": re.compile(r"(?<![\d.,£$])\b[1-9]\b(?![\d.,:%])(?= (?!(?:million|billion|trillion|per)\b)[a-z])"),
    },
    "percent": {
        "%": re.compile(r"\d%"),
        "per cent": re.compile(r"\d per cent\b"),
        "percent": re.compile(r"\d percent\b"),
    },
    "titles": {
        "Dr": re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof)\b(?!\.)"),
        "Dr.": re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof)\."),
    },
    "country abbreviations": {
        "US": re.compile(r"\b(?:US|UK)\b(?!\.)"),
        "U.S.": re.compile(r"\b(?:U\.S\.|U\.K\.)"),
    },
    "latin abbreviations": {
        "e.g.": re.compile(r"\b(?:e\.g\.|i\.e\.)"),
        "eg": re.compile(r"\b(?:eg|ie)\b(?!\.)"),
    },
}


def _words(forms: list[str]) -> re.Pattern[str]:
    # Lower case only: "the Lyric Theatre" is a name, not a spelling.
    return re.compile(r"\b(?:" + "|".join(re.escape(f) for f in forms) + r")\b")


UK_WORDS = _words([uk for uk, _ in PAIRS] + [f"{s}is{e}" for s in ISE_STEMS for e in ISE_ENDINGS])
US_WORDS = _words(
    [
        us
        for _, us in PAIRS
        if us not in ("learned", "burned", "dreamed", "while", "among", "check", "program", "license")
    ]
    + [f"{s}iz{e}" for s in ISE_STEMS for e in ISE_ENDINGS]
)


def inconsistencies(master: str, copy: str) -> Counter[str]:
    """What reads out of the master's style in ``copy``, by dimension."""
    out: Counter[str] = Counter()
    uk, us = len(UK_WORDS.findall(master)), len(US_WORDS.findall(master))
    # The variety: the master's majority. With no evidence, any variety-marked word the
    # copy adds counts; a master that mixes the two as much has no variety to keep.
    if uk > us or uk == us == 0:
        out["spelling variety"] += max(0, len(US_WORDS.findall(copy)) - us)
    if us > uk or uk == us == 0:
        out["spelling variety"] += max(0, len(UK_WORDS.findall(copy)) - uk)
    for name, styles in DIMENSIONS.items():
        seen = {style: len(p.findall(master)) for style, p in styles.items()}
        if name == "contractions" and not seen["contracted"]:
            # A formal master (no contraction) charges every contraction of the copy.
            main = "full"
        else:
            main = max(seen, key=lambda s: seen[s])
            if not any(seen.values()):
                continue
        for style, p in styles.items():
            if style != main:
                out[name] += max(0, len(p.findall(copy)) - seen[style])
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--recipients", type=int, help="copies per document (default 20; 5 with --quick)")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    n = args.recipients or (5 if args.quick else 20)
    out = args.out or Path(__file__).parent / "results" / f"naturalness{'-quick' if args.quick else ''}.md"
    canaries = [p.read_text() for p in sorted(DATA.glob("*.master.md"))]
    bbc = long_documents(1500, 3 if args.quick else 10)
    sets = {"hand-written documents (benchmarks/canaries)": canaries, "BBC composite documents": bbc}
    lines: list[str] = []

    def emit(line: str = "") -> None:
        print(line, flush=True)
        lines.append(line)

    results: dict[tuple[str, str], list[Counter[str]]] = {}
    sites: dict[tuple[str, str], int] = {}
    with tempfile.TemporaryDirectory() as tmp, Barium.init(Path(tmp) / "ws") as b:
        for i in range(n):
            b.recipients.add(f"Reader {i:03d}", email=f"reader{i:03d}@example.org")
        for label, texts in sets.items():
            for setting, disabled in (
                ("profile off (baseline)", frozenset({"style-profile"})),
                ("profile on", frozenset()),
            ):
                counts: list[Counter[str]] = []
                total_sites = 0
                for k, text in enumerate(texts):
                    d = b.documents.add(
                        text, title=f"{label[:3]}-{setting[:10]}-{k}", fmt="markdown", disabled_rules=disabled
                    )
                    total_sites += d.channels.get("orthography", 0)
                    master = b.documents.master_text(d.id)
                    for c in b.issuing.issue(d.id, all_recipients=True).copies:
                        counts.append(inconsistencies(master, c.text))
                results[(label, setting)] = counts
                sites[(label, setting)] = total_sites

    emit("# Tracing benchmark f: style inconsistencies per copy")
    emit()
    emit(f"Command: `.venv/bin/python {' '.join(['benchmarks/naturalness.py', *sys.argv[1:]])}`  ")
    emit(
        f"{len(canaries)} hand-written documents and {len(bbc)} BBC composite documents of about 1,500 words, "
        f"{n} copies each, checked by an independent checker (this file's own lists and patterns)."
    )
    emit()
    emit(
        "| documents | marking | copies | copies with 0 inconsistencies | mean per copy | worst copy | orthography sites per document | by dimension (total) |"
    )
    emit("|---|---|---|---|---|---|---|---|")
    for (label, setting), counts in results.items():
        totals = [sum(c.values()) for c in counts]
        by: Counter[str] = Counter()
        for c in counts:
            by.update(c)
        dims = ", ".join(f"{k} {v}" for k, v in by.most_common()) or "-"
        docs = len(sets[label])
        emit(
            f"| {label} | {setting} | {len(counts)} | {sum(t == 0 for t in totals)} | "
            f"{statistics.mean(totals):.2f} | {max(totals)} | {sites[(label, setting)] / docs:.0f} | {dims} |"
        )
    emit()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
