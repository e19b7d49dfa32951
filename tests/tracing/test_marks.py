"""Every mark a trace read, as a lawyer checks it: what the master, the leak and each
listed person's copy say at each site, and where."""

from __future__ import annotations

import hashlib
import json
import random
from datetime import datetime
from pathlib import Path

from barium.services import Barium
from barium.simulate import embed, excerpt_words, retype
from tests.conftest import add_people
from tests.services.test_trace import ARTICLE_AFTER, ARTICLE_BEFORE
from tests.services.test_trace_joint import variant_document
from tests.tracing.test_report import barium_cli


def test_each_mark_shows_the_master_the_leak_and_the_accused_copy_alike(tmp_path: Path, memo: Path) -> None:
    with Barium.init(tmp_path / "ws") as b:
        doc = b.documents.add(memo, title="Release")
        add_people(b, 40)
        copies = b.issuing.issue(doc.id, all_recipients=True).copies
        master = b.documents.master_text(doc.id)
        copy = copies[17]
        leak = embed(copy.text, before=ARTICLE_BEFORE, after=ARTICLE_AFTER)
        result = b.tracing.trace(leak)
        key_fingerprint = b.ws.key_fingerprint
    (accused,) = result.accused
    assert accused.recipient == copy.recipient.name
    assert len(result.marks) == result.sites_read
    lines = master.split("\n")
    leak_lines = leak.split("\n")
    differs = 0
    for m in result.marks:
        # The accused's own copy shows, at every mark, what the leak shows.
        assert m.copies[accused.recipient] == m.leak_says
        line = lines[m.master_at[0] - 1]
        if m.channel in ("orthography", "variants"):
            assert line[m.master_at[1] - 1 :].startswith(m.master_says)
        assert m.leak_at is not None
        assert m.leak_at[0] <= len(leak_lines)
        assert m.positions
        differs += m.leak_says != m.master_says
    assert differs > 0
    # The other people listed are shown with their own copies' forms.
    others = [name for name in result.marks[0].copies if name != accused.recipient]
    for name in others:
        assert any(m.copies[name] != m.leak_says for m in result.marks)
    data = result.to_dict()
    assert data["key_fingerprint"] == key_fingerprint and len(key_fingerprint) == 32
    assert datetime.fromisoformat(data["traced_at"]).tzinfo is not None
    assert data["barium_version"]
    assert data["leaks"][0]["sha256"] == hashlib.sha256(leak.encode()).hexdigest()
    assert data["leaks"][0]["versions_aligned"] == [
        {"id": 1, "title": "Release", "version": 1, "aligned_words": result.aligned_words}
    ]
    mark = data["marks"][0]
    assert {"channel", "rule", "master", "master_says", "in_leak", "leak_says", "copies", "code_positions"} <= set(mark)


def test_the_cli_lists_the_marks_of_a_retyped_quote_with_each_candidate_s_copy(tmp_path: Path) -> None:
    with Barium.init(tmp_path / "ws") as b:
        doc = b.documents.add(variant_document(random.Random(3), 30), title="Plan")
        add_people(b, 30)
        copies = b.issuing.issue(doc.id, all_recipients=True).copies
    leak = tmp_path / "quote.txt"
    leak.write_text(retype(excerpt_words(copies[4].text, 0, 300)))
    shown = barium_cli(tmp_path / "ws", "trace", str(leak))
    assert shown.returncode == 0, shown.stderr
    data = json.loads(barium_cli(tmp_path / "ws", "trace", str(leak), "--json").stdout)
    assert data["candidates"], "300 retyped words with a variant in each sentence list their holder among 30"
    assert "Marks read" in shown.stdout and data["marks"]
    assert all(m["in_leak"] is None or m["in_leak"]["line"] >= 1 for m in data["marks"])
    assert set(data["marks"][0]["copies"]) == {c["recipient"] for c in data["candidates"]}
    assert data["candidates"][0]["recipient"] == copies[4].recipient.name
    # Retyped: no invisible or typography marks survive, so none is listed.
    assert {m["channel"] for m in data["marks"]} <= {"orthography", "punctuation", "variants"}
