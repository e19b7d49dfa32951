"""Detection: find passages of protected documents in published text.

``DetectionIndex`` holds every version of every protected document, normalised
so that marked copies and their master fingerprint alike; ``search`` returns one
``DetectionMatch`` per document version with exact ``Span``s (verbatim,
near-verbatim, or, on request, paraphrase).
"""

from barium.detect.index import DetectionIndex, IndexStats
from barium.detect.normalize import Canonicalizer, Normalizer, default_canonicalizer
from barium.detect.options import DetectionOptions
from barium.detect.paraphrase import Embedder, MiniLM
from barium.detect.results import DetectionMatch, Kind, Span
from barium.detect.storage import StaleIndex

__all__ = [
    "Canonicalizer",
    "DetectionIndex",
    "DetectionMatch",
    "DetectionOptions",
    "Embedder",
    "IndexStats",
    "Kind",
    "MiniLM",
    "Normalizer",
    "Span",
    "StaleIndex",
    "default_canonicalizer",
]
