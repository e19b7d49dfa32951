"""Thresholds of the detection index, in one small value class."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from barium.errors import ConfigError
from barium.limits import Limits

# The packaged limits: an index built with the defaults takes every text Barium accepts.
_LIMITS = Limits()


@dataclass(frozen=True, slots=True, kw_only=True)
class DetectionOptions:
    """Keyword-only thresholds; the defaults were tuned on the BBC benchmark.

    Usage::

        DetectionIndex(DetectionOptions(min_words=20, paraphrase_min_cosine=0.85))

    ngram
        Words per fingerprint n-gram (seeds of the alignment). 4 survives 10-30%
        word edits in passages of 40+ words; larger is faster and misses edited text.
    max_document_frequency
        An n-gram found in more than this many distinct documents (all versions of
        one document count once) is banal: boilerplate raises no alert.
    min_seeds
        Distinct shared n-grams a document needs before it is aligned at all.
    min_words
        A lexical span needs this many leak words aligned to identical document
        words, not counting banal or public words.
    max_edit
        A span whose share of edited words, 1 - matched / longest side, is above
        this is rejected as chance similarity.
    match, mismatch, gap
        Smith-Waterman word scores of the local alignment.
    max_tokens, max_chars
        Inputs longer than this raise :class:`barium.errors.InputTooLarge`. They default to
        :class:`barium.limits.Limits`' ``text_words`` and ``text_chars``; a workspace passes
        its own ``Limits``' so that no text it accepted is refused here.
    paraphrase_min_words
        Sentences shorter than this are not compared by meaning (too generic).
    paraphrase_min_cosine
        Cosine of sentence embeddings that alone makes a paraphrase.
    paraphrase_entity_cosine
        A lower cosine that suffices when the sentences share at least
        ``paraphrase_min_entities`` numbers, dates or names.
    paraphrase_min_entities
        See ``paraphrase_entity_cosine``.
    """

    ngram: int = 4
    max_document_frequency: int = 5
    min_seeds: int = 2
    min_words: int = 12
    max_edit: float = 0.45
    match: int = 2
    mismatch: int = -1
    gap: int = -1
    max_tokens: int = _LIMITS.text_words
    max_chars: int = _LIMITS.text_chars
    paraphrase_min_words: int = 8
    paraphrase_min_cosine: float = 0.86
    paraphrase_entity_cosine: float = 0.72
    paraphrase_min_entities: int = 2

    def __post_init__(self) -> None:
        if not 2 <= self.ngram <= 12:
            raise ConfigError("detection ngram must be between 2 and 12 words")
        if self.min_words < self.ngram or self.min_seeds < 1 or self.max_document_frequency < 1:
            raise ConfigError("detection min_words must be >= ngram, min_seeds and max_document_frequency >= 1")
        if not 0.0 <= self.max_edit < 1.0:
            raise ConfigError("detection max_edit must be in [0, 1)")
        if self.match <= 0 or self.mismatch >= 0 or self.gap >= 0:
            raise ConfigError("detection scores need match > 0, mismatch < 0 and gap < 0")
        if self.max_tokens < 1 or self.max_chars < 1:
            raise ConfigError("detection input caps must be positive")

    def to_dict(self) -> dict[str, int | float]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> DetectionOptions:
        """Options saved by :meth:`to_dict`; unknown names are ignored (older or newer files)."""
        names = {f.name: f.type for f in fields(cls)}
        values: dict[str, int | float] = {}
        for name, value in data.items():
            if name in names and isinstance(value, int | float):
                values[name] = value
        return cls(**values)  # type: ignore[arg-type]
