"""Save and load: a compact file of plain arrays, the same answers after, and a
loud refusal of a file that is damaged or was made by anything else."""

from __future__ import annotations

import json
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from barium.detect import DetectionIndex, DetectionOptions, StaleIndex, normalize, paraphrase, provenance
from barium.errors import ConfigError, InputError
from barium.text import fold, invisible, sentences, tokens
from tests.detect.conftest import BagOfWords, filler, words_of


def rewrite(path: Path, change: Callable[[dict[str, Any], dict[str, Any]], None]) -> None:
    """Change a saved index as another program (or a damaged disk) would."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    meta = json.loads(arrays["meta"].tobytes())
    change(meta, arrays)
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    with path.open("wb") as f:
        np.savez(f, **arrays)


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


def test_the_file_is_private_and_no_temporary_file_is_left(tmp_path: Path, index: DetectionIndex) -> None:
    index.save(tmp_path / "detect.npz")
    index.save(tmp_path / "detect.npz")  # over an existing one
    assert [p.name for p in tmp_path.iterdir()] == ["detect.npz"]
    assert stat.S_IMODE((tmp_path / "detect.npz").stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("damage", "what"),
    [
        (lambda meta, a: a.update(words=a["words"][:-5]), "words"),
        (lambda meta, a: a.update(sent_counts=a["sent_counts"] + 1), "sentences"),
        (lambda meta, a: meta.update(keys=meta["keys"][:1]), "entries"),
        (lambda meta, a: meta.update(pending={}), "sentence texts"),
        (lambda meta, a: meta.pop("digests"), "digests"),
    ],
)
def test_a_file_whose_arrays_do_not_add_up_is_refused_as_damaged(
    tmp_path: Path, index: DetectionIndex, damage: Callable[[dict[str, Any], dict[str, Any]], None], what: str
) -> None:
    path = tmp_path / "detect.npz"
    index.save(path)
    rewrite(path, damage)
    with pytest.raises(InputError, match=f"damaged detection index.*{what}"):
        DetectionIndex.load(path)


def test_a_truncated_file_is_refused_as_unreadable(tmp_path: Path, index: DetectionIndex) -> None:
    path = tmp_path / "detect.npz"
    index.save(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(InputError, match="cannot be read"):
        DetectionIndex.load(path)


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("barium", "0.0.1", "Barium 0.0.1"),
        ("rules", "0123456789abcdef", "another orthography rule table"),
        ("code", "0123456789abcdef", "other normalising code"),
        ("unicode", "9.0.0", "Unicode 9.0.0"),
        ("ngram", 5, "ngram 5"),
    ],
)
def test_an_index_made_by_another_barium_or_rule_table_is_stale(
    tmp_path: Path, index: DetectionIndex, field: str, value: object, said: str
) -> None:
    path = tmp_path / "detect.npz"
    index.save(path)
    rewrite(path, lambda meta, a: meta["producer"].update({field: value}))
    with pytest.raises(StaleIndex, match="rebuild") as raised:
        DetectionIndex.load(path)
    (reason,) = raised.value.reasons
    assert said in reason


def test_an_index_of_an_older_file_layout_is_stale(tmp_path: Path, index: DetectionIndex) -> None:
    path = tmp_path / "detect.npz"
    index.save(path)
    rewrite(path, lambda meta, a: (meta.update(format="barium-detect/1"), meta.pop("producer")))
    with pytest.raises(StaleIndex) as raised:
        DetectionIndex.load(path)
    assert raised.value.reasons == ["file layout barium-detect/1, not barium-detect/2"]


def test_the_options_given_to_load_replace_the_saved_thresholds(tmp_path: Path, index: DetectionIndex) -> None:
    index.save(tmp_path / "detect.npz")
    loaded = DetectionIndex.load(tmp_path / "detect.npz", options=DetectionOptions(min_words=30))
    assert loaded.options.min_words == 30


def test_embeddings_are_saved_and_not_made_again_after_loading(tmp_path: Path, memo_text: str) -> None:
    model = BagOfWords()
    index = DetectionIndex(embedder=model)
    index.add("1:1", memo_text)
    index.add("2:1", filler(300, seed=4))
    sentence = memo_text.split("\n\n")[1].split(". ")[0]
    article = f"{filler(200, seed=5)}\n\n{sentence} said the memo.\n\n{filler(200, seed=6)}"
    before = index.search(article, paraphrase=True)
    assert index.stats.embedded == 2 and index.unembedded() == []
    index.save(tmp_path / "detect.npz")
    model.sentences = 0
    loaded = DetectionIndex.load(tmp_path / "detect.npz", embedder=model)
    assert loaded.unembedded() == []
    assert loaded.search(article, paraphrase=True) == before
    assert loaded.stats.embedded == 0
    first = model.sentences
    loaded.search(article, paraphrase=True)
    assert model.sentences == 2 * first  # each search embeds the article's sentences, nothing more
    assert before and before[0].key == "1:1"


def test_embeddings_of_another_model_make_the_index_stale(tmp_path: Path, memo_text: str) -> None:
    index = DetectionIndex(embedder=BagOfWords())
    index.add("1:1", memo_text)
    index.embed_pending()
    index.save(tmp_path / "detect.npz")
    with pytest.raises(StaleIndex, match="embeddings of tests bag-of-words 384"):
        DetectionIndex.load(tmp_path / "detect.npz")  # the default model


def test_an_index_never_embedded_does_not_depend_on_the_model(tmp_path: Path, index: DetectionIndex) -> None:
    index.save(tmp_path / "detect.npz")
    loaded = DetectionIndex.load(tmp_path / "detect.npz", embedder=BagOfWords())
    assert sorted(loaded.unembedded()) == ["1:1", "2:1"]


def test_public_texts_are_saved_with_their_keys_and_can_be_removed(
    tmp_path: Path, index: DetectionIndex, memo_text: str
) -> None:
    passage, _, _ = words_of(memo_text, 150, 30)
    article = f"{filler(300)}\n\n{passage}\n\n{filler(300, seed=9)}"
    index.add_public(f"Press statement. {passage} Ends.", key="public:7", digest="abc")
    index.save(tmp_path / "detect.npz")
    loaded = DetectionIndex.load(tmp_path / "detect.npz")
    assert loaded.public_digests() == {"public:7": "abc"}
    assert loaded.search(article) == []
    loaded.remove_public("public:7")
    assert [m.key for m in loaded.search(article)] == ["1:1"]


@given(st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 7)), min_size=1, max_size=3))
def test_flipped_bits_either_leave_the_index_intact_or_raise_an_input_error(
    tmp_path: Path, index: DetectionIndex, flips: list[tuple[float, int]]
) -> None:
    path = tmp_path / "detect.npz"
    if not path.exists():
        index.add_public("A press statement the author made public, in a few words.")
        index.save(path)
    damaged = bytearray(path.read_bytes())
    for where, bit in flips:
        damaged[int(where * len(damaged))] ^= 1 << bit
    (tmp_path / "damaged.npz").write_bytes(bytes(damaged))
    try:
        loaded = DetectionIndex.load(tmp_path / "damaged.npz")
    except InputError:
        return
    assert loaded.digests() == index.digests() and loaded.public_digests() == index.public_digests()
    for key in index.digests():
        assert np.array_equal(loaded._docs[key].words, index._docs[key].words)
        assert np.array_equal(loaded._docs[key].starts, index._docs[key].starts)


def test_the_code_digest_covers_every_definition_that_shapes_the_saved_words_and_sentences() -> None:
    # A saved index goes stale when the code that cut its sentences or folded its
    # words changes; that holds only while the digest reads the files they live in.
    hashed = {name for package, names in provenance._CODE for name, _ in provenance._files(package, names, ".py")}
    for module in (sentences, fold, invisible, tokens, paraphrase, normalize):
        package, _, name = module.__name__.rpartition(".")
        assert f"{package}/{name}.py" in hashed, module.__name__
