"""Traces per CPU second of one code tree (the one on PYTHONPATH), for a side-by-side comparison of two.

CPU time, not wall time, so that a loaded machine does not move the figure much:

    PYTHONPATH=OLD/src python benchmarks/trace_speed.py old
    PYTHONPATH=NEW/src python benchmarks/trace_speed.py new

6 documents of five BBC business articles each, 300 recipients, 12 pasted 200-word excerpts.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

from barium.services import Barium

CORPUS = (
    Path(os.environ.get("BARIUM_CORPUS", Path(__file__).parents[1] / ".." / "shared" / "corpus" / "bbc-news"))
    / "business"
)
docs = sorted(CORPUS.glob("*.txt"))[:6]
with tempfile.TemporaryDirectory() as d:
    b = Barium.init(Path(d) / "ws")
    ids = []
    for p in docs:
        text = "\n\n".join(
            q.read_text() for q in sorted(CORPUS.glob("*.txt"))[docs.index(p) * 5 : docs.index(p) * 5 + 5]
        )
        ids.append(b.documents.add(text, title=f"doc {len(ids)}").id)
    for i in range(300):
        b.recipients.add(f"P{i}", email=f"p{i}@x.org")
    copies = [b.issuing.issue(i, all_recipients=True).copies for i in ids]
    leaks = [" ".join(c[j].text.split()[100:300]) for c in copies for j in (3, 50)]
    b.tracing.trace(leaks[0])
    t = time.process_time()
    for leak in leaks:
        r = b.tracing.trace(leak)
        assert r.verdict == "identified", r.verdict
    print(f"{sys.argv[1]}: {len(leaks) / (time.process_time() - t):.2f} traces per CPU second")
