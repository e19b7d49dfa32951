"""The workspace keeps its confidential files to its owner, and never prints its secrets."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from barium.codes.code import Code, CodeSpec
from barium.errors import WorkspaceError
from barium.services import Barium
from barium.settings import load_settings
from barium.store.db import make_engine
from barium.workspace import Workspace
from tests.cli.entry import barium

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> object:
    old = os.umask(0o022)  # the common default, which would give 0755 folders and 0644 files
    yield
    os.umask(old)


def test_init_makes_the_folder_0700_and_the_database_key_and_wal_files_0600(tmp_path: Path, loose_umask: None) -> None:
    home = tmp_path / "ws"
    with Barium.init(home) as b:
        b.recipients.add("Jane Roe", email="jane@example.org")  # a write: the WAL and shared-memory files exist now
        assert mode(home) == 0o700
        files = {p.name: mode(p) for p in home.iterdir()}
        assert {"barium.db", "secret.key", "barium.db-wal", "barium.db-shm"} <= set(files)
        assert set(files.values()) == {0o600}, files


def test_init_into_an_existing_empty_folder_makes_it_0700(tmp_path: Path, loose_umask: None) -> None:
    home = tmp_path / "ws"
    home.mkdir(mode=0o755)
    assert barium(home, "init").code == 0
    assert mode(home) == 0o700


@pytest.mark.parametrize(
    ("name", "loose", "fix"),
    [
        ("secret.key", 0o644, "chmod 600"),
        ("secret.key", 0o640, "chmod 600"),
        ("barium.db", 0o644, "chmod 600"),
        ("barium.db", 0o620, "chmod 600"),
        ("barium.toml", 0o666, "chmod go-w"),
        (".", 0o777, "chmod go-w"),
    ],
)
def test_open_refuses_files_other_users_may_read_or_change_and_says_the_chmod(
    tmp_path: Path, name: str, loose: int, fix: str
) -> None:
    home = tmp_path / "ws"
    Barium.init(home).close()
    (home / "barium.toml").write_text("colluders = 3\n")
    (home / "barium.toml").chmod(0o600)
    target = home / name
    target.chmod(loose)
    refused = barium(home, "doc", "list")
    assert refused.code == 3, refused.err
    assert fix in refused.err and str(target) in refused.err
    assert "Traceback" not in refused.err
    target.chmod(0o700 if target.is_dir() else 0o600)
    assert barium(home, "doc", "list").code == 0


def test_a_readable_folder_and_settings_file_are_accepted(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    Barium.init(home).close()
    home.chmod(0o755)
    (home / "barium.toml").write_text("colluders = 3\n")
    (home / "barium.toml").chmod(0o644)
    assert barium(home, "doc", "list").code == 0


def test_the_key_is_in_no_repr(tmp_path: Path) -> None:
    with Barium.init(tmp_path / "ws") as b:
        key = b.ws.key
        code = Code.derive(key, "doc-1-v1", 64, CodeSpec())
        for shown in (repr(b.ws), str(b.ws), repr(code), repr(b.ws.settings)):
            assert key.hex() not in shown and repr(key) not in shown and repr(key)[2:-1] not in shown


def test_the_database_password_is_in_no_repr_and_no_error(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    home.mkdir()
    secret = "s3cr%40tpass"
    (home / "barium.toml").write_text(f'database_url = "postgresql+nodriver://bob:{secret}@db.internal/barium"\n')
    (home / "barium.toml").chmod(0o600)
    failed = barium(home, "init")
    assert failed.code == 3
    assert "bob:***@db.internal" in failed.err
    assert "s3cr" not in failed.err
    for url in (
        "nonsense://bob:hunter2@db:5432/x",  # unknown dialect
        "postgresql://bob:hunter2@[::1/x",  # unparseable host
        "postgresql://bob:hunter2@db:notaport/x",
    ):
        with pytest.raises(WorkspaceError) as caught:
            make_engine(url)
        assert "hunter2" not in caught.value.message and "***" in caught.value.message
    assert "s3cr" not in repr(load_settings(home))


def test_an_unreadable_key_file_is_checked_before_it_is_read(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    Barium.init(home).close()
    (home / "secret.key").chmod(0o604)
    with pytest.raises(WorkspaceError, match="chmod 600"):
        Workspace.open(home)


def test_db_upgrade_refuses_a_database_others_can_read(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    Barium.init(home).close()
    (home / "barium.db").chmod(0o644)
    refused = barium(home, "db", "upgrade")
    assert refused.code == 3 and "chmod 600" in refused.err
