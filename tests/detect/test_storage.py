"""Save and load: a compact file of plain arrays, and the same answers after."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from barium.detect import DetectionIndex, DetectionOptions
from barium.errors import ConfigError, InputError
from tests.detect.conftest import filler, words_of


def test_a_saved_and_loaded_index_gives_the_same_matches(tmp_path: Path, memo_text: str, briefing_text: str) -> None:
    index = DetectionIndex(DetectionOptions(min_words=14))
    index.add("1:1", memo_text)
    index.add("2:1", briefing_text)
    public, _, _ = words_of(briefing_text, 10, 30)
    index.add_public(public)
    passage, _, _ = words_of(memo_text, 150, 30)
    article = f"{filler(300)}\n\n{passage}\n\n{public}\n\n{filler(300, seed=9)}"
    before = index.search(article)
    index.save(tmp_path / "detect.npz")
    loaded = DetectionIndex.load(tmp_path / "detect.npz")
    assert loaded.options == index.options
    assert loaded.keys() == ["1:1", "2:1"]
    assert loaded.search(article) == before
    assert [m.key for m in before] == ["1:1"]


def test_the_file_holds_no_pickled_objects(tmp_path: Path, index: DetectionIndex) -> None:
    index.save(tmp_path / "detect.npz")
    with zipfile.ZipFile(tmp_path / "detect.npz") as z:
        for name in z.namelist():
            with z.open(name) as f:
                head = f.read(128)
            assert head.startswith(b"\x93NUMPY") and b"'descr': '|O'" not in head


def test_a_damaged_file_raises_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "bad.npz").write_bytes(b"not an index")
    with pytest.raises(InputError):
        DetectionIndex.load(tmp_path / "bad.npz")


def test_an_index_made_with_another_canonicaliser_must_be_rebuilt(tmp_path: Path, index: DetectionIndex) -> None:
    index.save(tmp_path / "detect.npz")

    def other(text: str) -> str:
        return text

    with pytest.raises(ConfigError, match="rebuild"):
        DetectionIndex.load(tmp_path / "detect.npz", canonicalize=other)
