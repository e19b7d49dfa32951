"""Detection: find passages of protected documents in published text.

``DetectionIndex`` holds every version of every protected document, normalised
so that marked copies and their master fingerprint alike; ``search`` returns one
``DetectionMatch`` per document version with exact ``Span``s (verbatim,
near-verbatim, or, on request, paraphrase).
"""

from barium.detect.index import DetectionIndex
from barium.detect.normalize import Canonicalizer, Normalizer, default_canonicalizer
from barium.detect.options import DetectionOptions
from barium.detect.paraphrase import Embedder, MiniLM
from barium.detect.results import DetectionMatch, Kind, Span

__all__ = [
    "Canonicalizer",
    "DetectionIndex",
    "DetectionMatch",
    "DetectionOptions",
    "Embedder",
    "Kind",
    "MiniLM",
    "Normalizer",
    "Span",
    "default_canonicalizer",
]
