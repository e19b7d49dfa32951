"""Tracing benchmark on the BBC corpus with 1,000 recipients.

    .venv/bin/python benchmarks/tracing.py            # full run, writes benchmarks/results/tracing.md
    .venv/bin/python benchmarks/tracing.py --quick    # smaller, for a smoke check
    .venv/bin/python benchmarks/tracing.py --author-variants 25   # plus a 4-way author variant per ~25 words
    .venv/bin/python benchmarks/tracing.py --suggested            # plus every variant `barium variants suggest` offers

a. words of verbatim excerpt needed to identify the single leaker at eps = 1e-6
   after the retype attack; b. the same after copy-paste through HTML;
c. collusion on a 3,000-word document after the retype attack (c = 2, 3;
   interleaving by sentence, majority per site); d. copies and traces per second;
e. joint tracing: three retyped quotes of 150 words from three different
   documents, one leaker, traced together (barium trace A B C --joint), and each
   quote alone.

    .venv/bin/python benchmarks/tracing.py --author-variants 15 --only joint   # just section e
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from authoring import synthetic_variants
from barium.services import Barium
from barium.services.prepare import prepare
from barium.simulate import (
    excerpt_words,
    html_paste,
    interleave_sentences,
    majority_per_site,
    retype,
)
from barium.store import DocumentVersion
from corpus import long_documents

GRID = [
    10,
    15,
    20,
    25,
    30,
    40,
    50,
    60,
    80,
    100,
    125,
    150,
    175,
    200,
    250,
    300,
    350,
    400,
    500,
    600,
    800,
    1000,
    1500,
    2000,
]
FILLER_BEFORE = "In other news today, officials confirmed the schedule for the coming week."
FILLER_AFTER = "The story continues below with reaction from industry groups and analysts."


def words_needed(b: Barium, text: str, leaker: str, attack: str, start: int) -> tuple[int | None, int]:
    """Smallest grid length at which the leaker alone is identified; innocents accused on the way."""
    innocent = 0
    total = len(text.split())
    for n in GRID:
        if n > total - start:
            break
        passage = excerpt_words(text, start, n)
        passage = retype(passage) if attack == "retype" else html_paste(passage)
        result = b.tracing.trace(f"{FILLER_BEFORE}\n\n{passage}\n\n{FILLER_AFTER}")
        names = [a.recipient for a in result.accused]
        innocent += sum(1 for x in names if x != leaker)
        if names == [leaker]:
            return n, innocent
    return None, innocent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--recipients", type=int, default=1000)
    ap.add_argument("--out", type=Path, help="results file (default: results/tracing[-variant set].md)")
    ap.add_argument("--collusion-trials", type=int, help="trials per collusion row (default 25; 4 with --quick)")
    variants = ap.add_mutually_exclusive_group()
    variants.add_argument(
        "--author-variants",
        type=int,
        metavar="N",
        help="stand in for an author: a 4-way variant on one word in N (benchmarks/authoring.py)",
    )
    variants.add_argument("--suggested", action="store_true", help="accept every variant the suggester offers")
    ap.add_argument("--only", choices=["joint"], help="run one section only")
    ap.add_argument("--joint-trials", type=int, help="trials of section e (default 100; 10 with --quick)")
    ap.add_argument("--joint-words", type=int, default=150, help="words of each quote in section e")
    args = ap.parse_args()
    joint_trials = args.joint_trials or (10 if args.quick else 100)
    docs_n, trials, coll_trials = (3, 3, 4) if args.quick else (6, 5, 25)
    coll_trials = args.collusion_trials or coll_trials
    rng = random.Random(20261129)
    sources = long_documents(3000, docs_n)
    if args.author_variants:
        sources = [synthetic_variants(t, args.author_variants, random.Random(k)) for k, t in enumerate(sources)]
        setup = f"a synthetic 4-way author variant on one word in {args.author_variants}"
        suffix = f"-author-variants-{args.author_variants}"
    elif args.suggested:
        from barium.variants.suggest import suggest

        sources = [suggest(t).text for t in sources]
        setup = "every variant the suggester offers accepted"
        suffix = "-suggested"
    else:
        setup, suffix = "house style only (no author variants)", ""
    only = f"-{args.only}" if args.only else ""
    out = args.out or Path(__file__).parent / "results" / f"tracing{suffix}{only}{'-quick' if args.quick else ''}.md"
    lines: list[str] = []

    def emit(line: str = "") -> None:
        print(line, flush=True)
        lines.append(line)

    with tempfile.TemporaryDirectory() as tmp, Barium.init(Path(tmp) / "ws") as b:
        for i in range(args.recipients):
            b.recipients.add(f"Recipient {i:04d}", email=f"r{i:04d}@example.org")
        ids = []
        issue_times, copies_made = 0.0, 0
        changed: list[float] = []
        hash_time = 0.0
        copies: dict[int, dict[str, str]] = {}
        docs: list[str] = []
        variant_sites = 0
        for k, source in enumerate(sources):
            d = b.documents.add(source, title=f"Composite {k}")
            docs.append(b.documents.master_text(d.id))
            variant_sites += d.channels.get("variants", 0)
            ids.append(d.id)
            t = time.perf_counter()
            report = b.issuing.issue(d.id, all_recipients=True)
            issue_times += time.perf_counter() - t
            copies_made += len(report.copies)
            changed.append(report.words_changed_share)
            t = time.perf_counter()
            for c in report.copies:
                hashlib.sha256(c.text.encode()).hexdigest()
            hash_time += time.perf_counter() - t
            copies[d.id] = {c.recipient.name: c.text for c in report.copies}
        words = statistics.mean(len(t.split()) for t in docs)
        emit("# Tracing benchmark")
        emit()
        command = " ".join(["benchmarks/tracing.py", *sys.argv[1:]])
        emit(f"Command: `.venv/bin/python {command}`  ")
        emit(
            f"{len(docs)} documents of {words:.0f} words on average (consecutive BBC articles of one topic), "
            f"{args.recipients} recipients each, eps = 1e-6.  "
        )
        emit(
            f"Marks: {setup}; {variant_sites / len(docs):.0f} author variants per document "
            f"({100 * variant_sites / (words * len(docs)):.2f} per 100 words)."
        )
        emit()
        if not args.only:
            sections_a_to_d(
                b,
                args,
                rng,
                ids,
                copies,
                docs,
                words,
                trials,
                coll_trials,
                emit,
                copies_made,
                issue_times,
                hash_time,
                changed,
            )
        joint_section(b, copies, ids, rng, joint_trials, args.joint_words, emit)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")


def joint_section(b, copies, ids, rng, trials, words, emit):
    """e. Three retyped quotes from three documents, one leaker: alone, and together."""
    names = list(copies[ids[0]])
    alone_named = alone_total = joint_named = joint_innocent = alone_innocent = 0
    all_alone_short = 0
    t_joint = 0.0
    for _ in range(trials):
        leaker = rng.choice(names)
        picked = rng.sample(ids, 3)
        quotes = []
        for doc_id in picked:
            text = copies[doc_id][leaker]
            start = rng.randrange(0, max(1, len(text.split()) - words))
            quotes.append(retype(excerpt_words(text, start, words)))
        verdicts = []
        for q in quotes:
            r = b.tracing.trace(q)
            accused = [a.recipient for a in r.accused]
            alone_total += 1
            alone_named += accused == [leaker]
            alone_innocent += any(x != leaker for x in accused)
            verdicts.append(bool(accused))
        all_alone_short += not any(verdicts)
        t = time.perf_counter()
        joint = b.tracing.trace_joint(quotes)
        t_joint += time.perf_counter() - t
        accused = [a.recipient for a in joint.accused]
        joint_named += accused == [leaker]
        joint_innocent += any(x != leaker for x in accused)
    emit(f"## e. Joint tracing: three retyped quotes of {words} words from three documents, one leaker")
    emit()
    emit("| traced | trials | leaker identified | innocents accused | leaker not identified |")
    emit("|---|---|---|---|---|")
    emit(
        f"| each quote alone | {alone_total} | {alone_named / alone_total:.0%} | {alone_innocent} | "
        f"{1 - alone_named / alone_total:.0%} |"
    )
    emit(
        f"| the three together (`--joint`) | {trials} | {joint_named / trials:.0%} | {joint_innocent} | "
        f"{1 - joint_named / trials:.0%} |"
    )
    emit()
    emit(
        f"Trials where no quote alone named anyone: {all_alone_short} of {trials}. "
        f"A joint trace took {t_joint / trials:.2f} s on average."
    )
    emit()


def sections_a_to_d(
    b, args, rng, ids, copies, docs, words, trials, coll_trials, emit, copies_made, issue_times, hash_time, changed
):
    """a-d: excerpt lengths after retype and HTML paste, collusion, speed."""
    results: dict[str, list[int | None]] = {"retype": [], "html": []}
    innocents = {"retype": 0, "html": 0}
    trace_count, trace_time = 0, 0.0
    for attack in ("html", "retype"):
        for doc_id in ids:
            names = list(copies[doc_id])
            for _ in range(trials):
                leaker = rng.choice(names)
                text = copies[doc_id][leaker]
                start = rng.randrange(0, max(1, len(text.split()) // 2))
                t = time.perf_counter()
                n, bad = words_needed(b, text, leaker, attack, start)
                trace_time += time.perf_counter() - t
                trace_count += 1
                results[attack].append(n)
                innocents[attack] += bad

    emit("## a, b. Verbatim excerpt length needed to identify the single leaker")
    emit()
    emit("| attack | trials | identified | median words | 90th percentile | innocents accused |")
    emit("|---|---|---|---|---|---|")
    for attack, label in (("retype", "a. retype"), ("html", "b. HTML paste")):
        found = sorted(n for n in results[attack] if n is not None)
        total = len(results[attack])
        # Trials never identified count as infinitely long for the median.
        ordered = found + [10**9] * (total - len(found))
        med = statistics.median(ordered)
        p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
        fmt = lambda x: "never" if x >= 10**9 else f"{x:.0f}"  # noqa: E731
        emit(f"| {label} | {total} | {len(found)} | {fmt(med)} | {fmt(p90)} | {innocents[attack]} |")
    emit()

    emit("## c. Collusion on a 3,000-word document after the retype attack")
    emit()
    emit("| colluders | attack | trials | a colluder and no innocent accused | innocent accused | inconclusive |")
    emit("|---|---|---|---|---|---|")
    with b.ws.db.session() as s:
        version = s.get(DocumentVersion, ids[0])
        assert version is not None
        pv = prepare(version, b.ws.key)
    with b.ws.db.session() as s:
        from sqlalchemy import select

        from barium.store import Recipient

        by_name = {r.name: r.uid for r in s.scalars(select(Recipient))}
    names = list(copies[ids[0]])
    for c in (2, 3):
        for attack in ("interleave", "majority"):
            ok = bad = none = 0
            for _ in range(coll_trials):
                group = rng.sample(names, c)
                if attack == "interleave":
                    leak = interleave_sentences([copies[ids[0]][g] for g in group], rng)
                else:
                    words_ = [pv.code.codeword(by_name[g]) for g in group]
                    leak = majority_per_site(pv.plan, pv.master, words_, rng)
                result = b.tracing.trace(retype(leak))
                accused = {a.recipient for a in result.accused}
                if accused - set(group):
                    bad += 1
                elif accused:
                    ok += 1
                else:
                    none += 1
            emit(
                f"| {c} | {attack} by {'sentence' if attack == 'interleave' else 'site'} | {coll_trials} | "
                f"{ok / coll_trials:.0%} | {bad} | {none} |"
            )
    emit()

    emit("## d. Speed")
    emit()
    t = time.perf_counter()
    n_tr = 0
    for doc_id in ids:
        for name in list(copies[doc_id])[:10]:
            b.tracing.trace(html_paste(excerpt_words(copies[doc_id][name], 100, 200)))
            n_tr += 1
    per_trace = (time.perf_counter() - t) / n_tr
    emit("| measure | value |")
    emit("|---|---|")
    emit(f"| copies per second ({words:.0f}-word document, one core) | {copies_made / issue_times:.0f} |")
    emit(f"| baseline in the same run: SHA-256 of each copy, per second | {copies_made / hash_time:.0f} |")
    emit(
        f"| traces per second (200-word pasted excerpt, {len(ids)} documents, {args.recipients} recipients) "
        f"| {1 / per_trace:.1f} |"
    )
    emit(f"| words that read differently from the master, mean share per copy | {statistics.mean(changed):.2%} |")
    emit()


if __name__ == "__main__":
    main()
