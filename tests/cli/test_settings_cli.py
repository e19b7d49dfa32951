"""Settings a user got wrong stop the command with exit 3, before a copy goes out unmarked."""

from __future__ import annotations

from pathlib import Path

import pytest

from barium.services import Barium
from tests.cli.entry import barium

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.mark.parametrize(
    ("toml", "env"),
    [
        ('channels = ["orthografy"]\n', {}),
        ('channels = ["variants", "orthography", "typograhpy"]\n', {}),
        ("", {"BARIUM_CHANNELS": "orthography,invisibel"}),
        ("channels = []\n", {}),
    ],
)
def test_an_unknown_or_empty_channel_list_is_refused_naming_the_known_channels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, env: dict[str, str]
) -> None:
    home = tmp_path / "ws"
    Barium.init(home).close()
    (home / "barium.toml").write_text(toml)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    added = barium(home, "doc", "add", str(FIXTURES / "memo.txt"))
    assert added.code == 3, added.err
    assert "known: variants, orthography, punctuation, typography, invisible" in added.err
    assert "Traceback" not in added.err
    (home / "barium.toml").write_text("")
    monkeypatch.delenv("BARIUM_CHANNELS", raising=False)
    assert barium(home, "doc", "list", "--json").out.strip() == "[]"  # nothing was registered
