"""What a detection index holds per version and per public text, as saved and loaded."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from barium.detect.fingerprints import Hashes
from barium.detect.normalize import Offsets
from barium.detect.paraphrase import Sentences


@dataclass(slots=True)
class StoredDoc:
    """A version: its word hashes and offsets, its sentences and (once made) their embeddings."""

    key: str
    group: str
    words: Hashes
    starts: Offsets
    ends: Offsets
    sentences: Sentences
    pending: list[str] | None  # sentence texts not embedded yet
    embeddings: npt.NDArray[np.float16] | None = None
    digest: str = ""  # what the text was, as the caller names it (see DetectionIndex.add)


@dataclass(slots=True)
class StoredPublic:
    """A public text: the distinct n-grams of its words, sorted."""

    digest: str
    grams: Hashes  # distinct n-grams, sorted
