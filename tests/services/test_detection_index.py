"""The workspace's detection index: saved, reused, updated one version at a time,
rebuilt (and said) when stale, loud when it cannot be read."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import delete

from barium.detect import DetectionIndex
from barium.errors import WorkspaceError
from barium.files import TEMP_PREFIX
from barium.services import Barium
from barium.services.detection import index_path
from barium.simulate import excerpt_words
from barium.store import PublicText

FIXTURES = Path(__file__).parents[1] / "fixtures"


def article(tmp_path: Path, passage: str, name: str = "story.txt") -> Path:
    path = tmp_path / name
    path.write_text(f"The ministry declined to comment.\n\n{passage}\n\nIt gave no further details.\n")
    return path


def reopen(b: Barium) -> Barium:
    home = b.ws.home
    b.close()
    return Barium.open(home)


def copy_database(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as a, sqlite3.connect(target) as b:
        a.backup(b)
    a.close()
    b.close()


def age(path: Path, **producer: object) -> None:
    """Rewrite a saved index as an older Barium (or another rule table) would have made it."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    meta = json.loads(arrays["meta"].tobytes())
    meta["producer"].update(producer)
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    with path.open("wb") as f:
        np.savez(f, **arrays)


@pytest.fixture
def two_documents(barium: Barium, memo: Path, briefing: Path) -> Barium:
    barium.documents.add(memo, title="Release")
    barium.documents.add(briefing, title="Briefing")
    return barium


def test_the_saved_index_is_reused_and_only_a_new_version_is_fingerprinted(
    two_documents: Barium, tmp_path: Path, memo: Path
) -> None:
    leak = article(tmp_path, excerpt_words(memo.read_text(), 40, 60))
    b = two_documents
    assert len(b.watching.scan([leak], paraphrase=False)) == 1
    assert b.detection.index().stats.fingerprinted == 2
    b = reopen(b)
    assert len(b.watching.scan([leak], paraphrase=False)) == 1
    assert b.detection.index().stats.fingerprinted == 0
    edited = tmp_path / "memo-v2.txt"
    edited.write_text(memo.read_text().replace("November", "December"))
    b.documents.update(1, edited)
    assert {
        m.document.version
        for m in b.watching.scan(
            [article(tmp_path, "Later. " + excerpt_words(memo.read_text(), 40, 60), "later.txt")], paraphrase=False
        )
    } == {1, 2}
    assert b.detection.index().stats.fingerprinted == 1
    saved = DetectionIndex.load(index_path(b.ws))
    assert sorted(saved.keys()) == ["1:1", "1:2", "2:1"]
    b.close()


def test_index_files_of_older_releases_and_of_killed_writes_are_removed(two_documents: Barium) -> None:
    folder = index_path(two_documents.ws).parent
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "0123456789abcdef01234567.npz").write_bytes(b"an index of an older release")
    (folder / f"{TEMP_PREFIX}killed.npz").write_bytes(b"half an index")
    os.utime(folder / f"{TEMP_PREFIX}killed.npz", (0, 0))
    (folder / f"{TEMP_PREFIX}writing.npz").write_bytes(b"another process's write in progress")
    two_documents.detection.index()
    assert sorted(p.name for p in folder.iterdir()) == [f"{TEMP_PREFIX}writing.npz", "index.npz"]


def test_a_public_text_deleted_from_the_database_silences_nothing_any_more(
    two_documents: Barium, tmp_path: Path, memo: Path
) -> None:
    statement = excerpt_words(memo.read_text(), 0, 60)
    b = two_documents
    b.public.add(statement, title="Press statement")
    story = article(tmp_path, statement)
    assert b.watching.scan([story], paraphrase=False) == []
    with b.ws.db.session() as session:
        session.execute(delete(PublicText))
    assert [m.document.id for m in b.watching.scan([story], paraphrase=False)] == [1]
    assert b.detection.index().public_digests() == {}


def test_a_key_reused_for_another_text_after_a_restore_is_fingerprinted_again(
    barium: Barium, tmp_path: Path, memo: Path, briefing: Path
) -> None:
    db = barium.ws.home / "barium.db"
    backup = tmp_path / "backup.db"
    copy_database(db, backup)
    barium.documents.add(memo, title="Release")
    memo_leak = article(tmp_path, excerpt_words(memo.read_text(), 40, 60), "memo-leak.txt")
    assert [m.document.title for m in barium.watching.scan([memo_leak], paraphrase=False)] == ["Release"]
    barium.close()
    copy_database(backup, db)  # the restore loses the memo; the briefing then gets its id
    b = Barium.open(barium.ws.home)
    b.documents.add(briefing, title="Briefing")
    assert b.watching.scan([memo_leak], paraphrase=False) == []
    briefing_leak = article(tmp_path, excerpt_words(briefing.read_text(), 20, 60), "briefing-leak.txt")
    assert [(m.document.id, m.document.title) for m in b.watching.scan([briefing_leak], paraphrase=False)] == [
        (1, "Briefing")
    ]
    b.close()


def test_an_index_made_by_another_barium_is_rebuilt_and_said_once(
    two_documents: Barium, tmp_path: Path, memo: Path, caplog: pytest.LogCaptureFixture
) -> None:
    leak = article(tmp_path, excerpt_words(memo.read_text(), 40, 60))
    b = two_documents
    b.detection.index()
    path = index_path(b.ws)
    age(path, barium="0.0.1", rules="0123456789abcdef")
    b = reopen(b)
    with caplog.at_level(logging.WARNING, logger="barium"):
        assert len(b.watching.scan([leak], paraphrase=False)) == 1
    (said,) = [r.getMessage() for r in caplog.records]
    assert str(path) in said and "Barium 0.0.1" in said and "another orthography rule table" in said
    assert b.detection.index().stats.fingerprinted == 2
    caplog.clear()
    b = reopen(b)
    with caplog.at_level(logging.WARNING, logger="barium"):
        assert len(b.watching.scan([leak], paraphrase=False)) == 1
    assert caplog.records == []
    assert b.detection.index().stats.fingerprinted == 0
    b.close()


def test_a_damaged_index_file_stops_the_scan_with_a_message_naming_it(
    two_documents: Barium, tmp_path: Path, memo: Path
) -> None:
    leak = article(tmp_path, excerpt_words(memo.read_text(), 40, 60))
    b = two_documents
    b.watching.scan([leak], paraphrase=False)
    (saved,) = (b.ws.home / "detect").glob("*.npz")
    saved.write_bytes(saved.read_bytes()[:1000])
    b = reopen(b)
    with pytest.raises(WorkspaceError, match="barium db reindex") as raised:
        b.watching.scan([leak], paraphrase=False)
    assert str(saved) in raised.value.message
    assert saved.read_bytes()[:4] == b"PK\x03\x04" and saved.stat().st_size == 1000  # left for the user to see
    assert len(b.detection.rebuild()) == 2  # as the message says
    assert len(b.watching.scan([leak], paraphrase=False)) == 1
    b.close()


def test_the_cli_reports_a_damaged_index_without_a_traceback(two_documents: Barium, tmp_path: Path, memo: Path) -> None:
    leak = article(tmp_path, excerpt_words(memo.read_text(), 40, 60))
    b = two_documents
    b.watching.scan([leak], paraphrase=False)
    home = b.ws.home
    b.close()
    index_path_ = home / "detect" / "index.npz"
    index_path_.write_bytes(b"not an index at all")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BARIUM_")}
    done = subprocess.run(
        [sys.executable, "-m", "barium", "--home", str(home), "scan", str(leak)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 3
    assert "Traceback" not in done.stderr
    assert "index.npz" in done.stderr and "barium db reindex" in done.stderr

    def barium(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "barium", "--home", str(home), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )

    # The command the message names mends it: the index is made anew, and the scan finds the leak.
    rebuilt = barium("db", "reindex", "--json")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert json.loads(rebuilt.stdout) == {"versions": 2, "public_texts": 0, "skipped": []}
    again = barium("scan", str(leak), "--json")
    assert again.returncode == 0, again.stderr
    assert [m["document"]["title"] for m in json.loads(again.stdout)] == ["Release"]


@pytest.mark.slow
def test_embeddings_made_by_a_paraphrase_scan_are_saved_and_not_made_again(
    two_documents: Barium, tmp_path: Path, memo: Path
) -> None:
    leak = article(tmp_path, excerpt_words(memo.read_text(), 40, 60))
    b = two_documents
    assert len(b.watching.scan([leak], paraphrase=True)) == 1
    assert b.detection.index().stats.embedded == 2
    b = reopen(b)
    assert len(b.watching.scan([leak], paraphrase=True)) == 1
    index = b.detection.index()
    assert index.stats.embedded == 0 and index.unembedded() == []
    b.close()


def test_an_index_that_cannot_be_written_is_a_workspace_error(
    two_documents: Barium, tmp_path: Path, memo: Path
) -> None:
    index_path(two_documents.ws).parent.write_text("a file where the index folder should be")
    with pytest.raises(WorkspaceError, match="cannot write the detection index"):
        two_documents.watching.scan([article(tmp_path, excerpt_words(memo.read_text(), 40, 60))], paraphrase=False)


def test_the_cli_says_once_that_a_stale_index_is_rebuilt(two_documents: Barium, tmp_path: Path, memo: Path) -> None:
    leak = article(tmp_path, excerpt_words(memo.read_text(), 40, 60))
    b = two_documents
    b.detection.index()
    age(index_path(b.ws), barium="0.0.1")
    home = b.ws.home
    b.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BARIUM_")}
    said = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "barium", "--home", str(home), "scan", "--json", str(leak)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert len(json.loads(done.stdout)) == 1
        said.append(done.stderr)
    assert "rebuilding the detection index" in said[0] and "Barium 0.0.1" in said[0]
    assert "detection index" not in said[1]
