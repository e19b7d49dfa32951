"""The quote-length estimate (`barium doc show`, `barium.tracing.reach`) on the tracing
benchmark's documents, beside what that benchmark measures on them.

    .venv/bin/python benchmarks/reach.py

The documents are `benchmarks/tracing.py`'s: 6 of about 3,200 words (consecutive BBC News
articles of one topic), 1,000 recipients, eps = 1e-6, house style only. The measured figures
to compare with are that benchmark's own (README, Evidence, "Tracing"): median words of a
retyped excerpt, and of an HTML paste, to identify the leaker. The estimate needs no copies:
it reads the version's plan and code. Each run makes a new workspace, so a new key and new
codes: the estimate moves a step of its grid between runs (175 or 200 words pasted).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from barium.services import Barium
from corpus import long_documents

RESULTS = Path(__file__).resolve().parent / "results" / "reach.md"


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        b = Barium.init(Path(tmp) / "ws")
        for n, text in enumerate(long_documents(3000, 6)):
            src = Path(tmp) / f"doc{n}.txt"
            src.write_text(text)
            doc = b.documents.add(src, title=f"Document {n}")
            t = time.perf_counter()
            r = b.documents.reach(doc.id, recipients=1000)
            rows.append((n, r, time.perf_counter() - t))
        b.close()
    lines = [
        "# How long a quote names its source: the estimate on the tracing benchmark's documents",
        "",
        "`.venv/bin/python benchmarks/reach.py`: 6 documents of about 3,200 words, 1,000 recipients, eps = 1e-6.",
        "",
        "| document | words | pasted: words (code positions per 100 words) | retyped: words (positions per 100) | seconds |",
        "|---|---|---|---|---|",
    ]
    for n, r, s in rows:
        lines.append(
            f"| {n} | {r.words:,} | {r.pasted} ({r.pasted_positions:.1f}) | {r.retyped} ({r.retyped_positions:.2f}) | {s:.2f} |"
        )
    pasted = [r.pasted for _, r, _ in rows if r.pasted is not None]
    retyped = [r.retyped for _, r, _ in rows if r.retyped is not None]
    lines += [
        "",
        f"Median estimate: pasted {statistics.median(pasted):g} words, retyped "
        f"{f'{statistics.median(retyped):g}' if retyped else 'never'} words ({len(retyped)} of {len(rows)} documents within their length).",
        "Measured by `benchmarks/tracing.py` on the same documents (README): HTML paste 150 (90th percentile 250), "
        "retype 2,000 (23 of 30 trials by 2,000 words).",
    ]
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
