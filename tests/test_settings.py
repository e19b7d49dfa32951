"""One settings source: defaults, then the workspace file, then the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from barium.errors import ConfigError
from barium.settings import SETTINGS, load_settings, settings_markdown


def test_layers_apply_in_order(tmp_path: Path) -> None:
    assert load_settings(tmp_path, environ={}).colluders == 3
    (tmp_path / "barium.toml").write_text("colluders = 4\nmax_false_accusation = 1e-9\n")
    s = load_settings(tmp_path, environ={})
    assert (s.colluders, s.max_false_accusation) == (4, 1e-9)
    s = load_settings(tmp_path, environ={"BARIUM_COLLUDERS": "2", "BARIUM_CHANNELS": "orthography, invisible"})
    assert s.colluders == 2 and s.channels == ["orthography", "invisible"]


@pytest.mark.parametrize(
    ("content", "env", "message"),
    [
        ("nonsense = 1\n", {}, "unknown setting"),
        ("colluders = [\n", {}, "barium.toml"),
        ("", {"BARIUM_COLLUDERS": "many"}, "must be a int"),
        ("", {"BARIUM_MAX_FALSE_ACCUSATION": "2"}, "max_false_accusation"),
        ("max_false_accusation = 0.01\n", {}, "--weak"),
        ("max_candidate_bound = 1.0\n", {}, "max_candidate_bound"),
        ("read_error = 0.9\n", {}, "read_error"),
    ],
)
def test_bad_settings_are_refused_clearly(tmp_path: Path, content: str, env: dict[str, str], message: str) -> None:
    (tmp_path / "barium.toml").write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_settings(tmp_path, environ=env)


def test_every_setting_is_documented_and_the_page_is_current() -> None:
    doc = (Path(__file__).parents[1] / "docs" / "settings.md").read_text()
    for setting in SETTINGS:
        assert f"`{setting.name}`" in doc and f"BARIUM_{setting.name.upper()}" in doc
    assert doc == settings_markdown(), "regenerate: python -m barium.settings > docs/settings.md"
