"""Paired collusion comparison: one workspace, fixed leaks, traced by whichever code tree is on PYTHONPATH.

The tracing benchmark draws a fresh key and fresh leaks each run, so its collusion rates move by
ten points or more between runs of the same code. This traces the *same* leaks, made once, with
two code trees, so a change in the tracer shows as a change in outcomes:

    PYTHONPATH=OLD/src python benchmarks/paired_collusion.py /tmp/p/ws make 15   # workspace and leaks (old code)
    cp -r /tmp/p/ws /tmp/p/ws2 && PYTHONPATH=NEW/src barium --home /tmp/p/ws2 db upgrade
    PYTHONPATH=OLD/src python benchmarks/paired_collusion.py /tmp/p/ws old
    PYTHONPATH=NEW/src python benchmarks/paired_collusion.py /tmp/p/ws2 new
"""

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from sqlalchemy import select

from barium.services import Barium
from barium.services.prepare import prepare
from barium.simulate import interleave_sentences, majority_per_site, retype
from barium.store import DocumentVersion, Recipient

home = Path(sys.argv[1])
mode = sys.argv[2]
leaks_file = home.parent / "leaks.json"
if mode == "make":
    from corpus import long_documents

    source = long_documents(3000, 6)[0]
    with Barium.init(home) as b:
        for i in range(1000):
            b.recipients.add(f"Recipient {i:04d}", email=f"r{i:04d}@example.org")
        d = b.documents.add(source, title="Composite 0")
        rep = b.issuing.issue(d.id, all_recipients=True)
        copies = {c.recipient.name: c.text for c in rep.copies}
        with b.ws.db.session() as s:
            pv = prepare(s.get(DocumentVersion, d.id), b.ws.key)
            # The code identity: uid, or (before uids) the row id as text, which is what it was then.
            by_name = {r.name: getattr(r, "uid", str(r.id)) for r in s.scalars(select(Recipient))}
        rng = random.Random(7)
        names = list(copies)
        leaks = []
        for c in (2, 3):
            for attack in ("interleave", "majority"):
                for _ in range(int(sys.argv[3])):
                    group = rng.sample(names, c)
                    if attack == "interleave":
                        leak = interleave_sentences([copies[g] for g in group], rng)
                    else:
                        leak = majority_per_site(pv.plan, pv.master, [pv.code.codeword(by_name[g]) for g in group], rng)
                    leaks.append({"c": c, "attack": attack, "group": group, "leak": retype(leak)})
        leaks_file.write_text(json.dumps(leaks))
else:
    leaks = json.loads(leaks_file.read_text())
    out = {}
    with Barium.open(home) as b:
        for L in leaks:
            r = b.tracing.trace(L["leak"])
            acc = {a.recipient for a in r.accused}
            k = f"{L['c']} {L['attack']}"
            o = out.setdefault(k, [0, 0, 0])
            o[0 if acc and acc <= set(L["group"]) else (1 if acc else 2)] += 1
    print(mode, {k: f"ok {v[0]} innocent {v[1]} inconclusive {v[2]}" for k, v in out.items()})
