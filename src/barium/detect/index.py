"""The detection index: every version of every protected document, blind to marks.

Lexical path (always on): the leak's word n-grams are looked up in an inverted
index of the documents' n-grams (sorted numpy arrays, binary search). N-grams
found in more than ``max_document_frequency`` documents, or in registered public
text, are banal: they seed nothing and count as no evidence. Documents with
enough shared n-grams on one diagonal are aligned to the leak locally
(Smith-Waterman over words), which gives exact spans however short the passage
and however long the article around it.

Paraphrase path (opt-in per search): sentence embeddings and shared numbers,
dates and names, see :mod:`barium.detect.paraphrase`.

The n-gram postings are built in one sort on the first search (about a second
per million words) and then kept up to date as versions are added and removed
(:mod:`barium.detect.postings`). :meth:`DetectionIndex.save` writes everything
that is costly to make again, embeddings included; :meth:`DetectionIndex.load`
refuses a file made by another Barium, rule table or model
(:mod:`barium.detect.provenance`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from barium.detect import provenance
from barium.detect.align import local_align, trimmed_blocks
from barium.detect.fingerprints import Hashes, distinct, member, ngram_hashes, union, word_hashes
from barium.detect.normalize import Canonicalizer, Normalizer, Words, check_text, default_canonicalizer
from barium.detect.options import DetectionOptions
from barium.detect.paraphrase import Embedder, MiniLM, Vectors, sentences
from barium.detect.postings import Postings
from barium.detect.records import StoredDoc, StoredPublic
from barium.detect.results import KIND_ORDER, DetectionMatch, Kind, Span
from barium.errors import Conflict, InputError, NotFound

Default = Literal["default"]

_MARGIN = 12  # words aligned beyond the outermost seeds, to catch edited ends
_CHAIN_GAP = 40  # seeds further apart than this (in leak words) start a new passage
_MAX_PASSAGES = 16  # passages tried per document and leak


@dataclass(slots=True)
class IndexStats:
    """Work this index object did itself (a loaded index starts at zero).

    ``fingerprinted`` versions and ``public`` texts normalised and hashed, and
    ``embedded`` versions whose sentences went through the embedding model: what a
    saved index spares.
    """

    fingerprinted: int = 0
    public: int = 0
    embedded: int = 0


@dataclass(slots=True)
class _Meaning:
    vectors: Vectors
    doc_of: npt.NDArray[np.int32]
    sentence_of: npt.NDArray[np.int32]
    keys: list[str]


class DetectionIndex:
    """Find passages of protected documents in published text.

    Usage::

        index = DetectionIndex()
        index.add("12:3", master_text)          # key: a document version
        index.add_public(press_statement)       # never alert on this
        for match in index.search(article):
            print(match.key, match.kind, [s.text for s in match.spans])

    ``canonicalize`` folds orthographic variants; by default the orthography
    channel's canonicaliser when installed, None to skip. ``embedder`` replaces
    the MiniLM model for paraphrase search.
    """

    def __init__(
        self,
        options: DetectionOptions | None = None,
        *,
        canonicalize: Canonicalizer | Default | None = "default",
        embedder: Embedder | None = None,
    ) -> None:
        self.options = options or DetectionOptions()
        self._normalizer = Normalizer(default_canonicalizer() if canonicalize == "default" else canonicalize)
        self._embedder = embedder
        self._docs: dict[str, StoredDoc] = {}
        self._publics: dict[str, StoredPublic] = {}
        self._postings: Postings | None = None
        self._stop: Hashes | None = None  # banal and public n-grams, merged
        self._meaning: _Meaning | None = None
        self.stats = IndexStats()

    # -- contents ---------------------------------------------------------------

    @property
    def canonicalizer(self) -> str:
        """Name of the orthographic canonicaliser the fingerprints were made with."""
        return self._normalizer.name

    @property
    def producer(self) -> provenance.Producer:
        """What makes this index's fingerprints (see :mod:`barium.detect.provenance`)."""
        return provenance.producer(self._normalizer, ngram=self.options.ngram)

    @property
    def embedder(self) -> str:
        """The model this index embeds sentences with (not loaded to tell)."""
        return provenance.embedder_identity(self._embedder)

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, key: object) -> bool:
        return key in self._docs

    def keys(self) -> list[str]:
        return list(self._docs)

    def digests(self) -> dict[str, str]:
        """Every version's key and the digest it was added with."""
        return {k: d.digest for k, d in self._docs.items()}

    def add(self, key: str, text: str, *, document: str | None = None, digest: str | None = None) -> None:
        """Index one document version under ``key``.

        ``document`` names the document the version belongs to: versions of one
        document count once towards an n-gram's document frequency. It defaults to
        the part of ``key`` before the first ``:`` (``"12:3"`` -> ``"12"``).
        ``digest`` names the text (by default its SHA-256): a caller that keeps the
        index in step with a store compares it to notice a key reused for other text.
        Raises :class:`Conflict` for a key already present, :class:`InputError`
        for text without words, :class:`InputTooLarge` over the caps.
        """
        if key in self._docs:
            raise Conflict(f"document version {key!r} is already in the detection index")
        words = self._words(text)
        if len(words) == 0:
            raise InputError(f"document version {key!r} has no words to index")
        sents, texts = sentences(text)
        doc = StoredDoc(
            key=key,
            group=document if document is not None else key.split(":", 1)[0],
            words=word_hashes(words.keys),
            starts=words.starts,
            ends=words.ends,
            sentences=sents,
            pending=texts,
            digest=digest if digest is not None else _sha256(text),
        )
        self._docs[key] = doc
        self.stats.fingerprinted += 1
        if self._postings is not None:
            self._postings.add(key, doc.group, doc.words)
        self._changed()

    def remove(self, key: str) -> None:
        """Forget a document version. Raises :class:`NotFound` for an unknown key."""
        if self._docs.pop(key, None) is None:
            raise NotFound(f"document version {key!r} is not in the detection index")
        if self._postings is not None:
            self._postings.remove(key)
        self._changed()

    def add_public(self, text: str, *, key: str | None = None, digest: str | None = None) -> str:
        """Register text the author made public (a press statement): it raises no alert.

        Returns its key (by default its SHA-256), for :meth:`remove_public`; adding
        the same text under the same key again changes nothing. Raises
        :class:`Conflict` for a key already used by another text.
        """
        digest = digest if digest is not None else _sha256(text)
        key = key if key is not None else digest
        known = self._publics.get(key)
        if known is not None:
            if known.digest != digest:
                raise Conflict(f"public text {key!r} is already in the detection index")
            return key
        words = self._words(text)
        grams = distinct(ngram_hashes(word_hashes(words.keys), self.options.ngram))
        self._publics[key] = StoredPublic(digest, grams)
        self.stats.public += 1
        self._changed()  # banality changes which sentences paraphrase search uses
        return key

    def remove_public(self, key: str) -> None:
        """Forget a public text. Raises :class:`NotFound` for an unknown key."""
        if self._publics.pop(key, None) is None:
            raise NotFound(f"public text {key!r} is not in the detection index")
        self._changed()

    def public_digests(self) -> dict[str, str]:
        """Every public text's key and the digest it was added with."""
        return {k: p.digest for k, p in self._publics.items()}

    # -- search -----------------------------------------------------------------

    def search(self, text: str, *, paraphrase: bool = False) -> list[DetectionMatch]:
        """Passages of ``text`` that come from indexed documents, one match per key.

        Matches are sorted by the leak words they cover, most first. With
        ``paraphrase=True`` sentences are also compared by meaning (loads the
        embedding model on first use: seconds). Raises :class:`InputTooLarge` and
        :class:`UnsupportedFormat` (binary-looking text); empty text gives [].
        """
        words = self._words(text)
        found: dict[str, list[Span]] = {}
        if len(words) and self._docs:
            postings = self._build()
            stop = self._stop_grams()
            leak = word_hashes(words.keys)
            novel = self._novel_words(leak, stop)
            self._lexical(text, words, leak, novel, postings, stop, found)
            if paraphrase:
                self._paraphrases(text, leak, words, novel, found)
        matches = []
        for key, spans in found.items():
            spans.sort(key=lambda s: s.leak_start)
            kind = min((s.kind for s in spans), key=KIND_ORDER.index)
            matches.append(
                DetectionMatch(
                    key=key,
                    kind=kind,
                    score=max(s.score for s in spans),
                    words=sum(s.words for s in spans),
                    spans=tuple(spans),
                )
            )
        matches.sort(key=lambda m: (-m.words, -m.score, m.key))
        return matches

    def unembedded(self) -> list[str]:
        """Keys of the versions whose sentences are not embedded yet."""
        return [k for k, d in self._docs.items() if d.pending is not None]

    def embed_pending(self) -> int:
        """Embed the sentences of versions not embedded yet; returns how many versions."""
        pending = [d for d in self._docs.values() if d.pending is not None]
        if not pending:
            return 0
        texts = [t for d in pending for t in (d.pending or [])]
        vectors = self._model().encode(texts).astype(np.float16)
        at = 0
        for d in pending:
            n = len(d.sentences)
            d.embeddings = vectors[at : at + n]
            d.pending = None
            at += n
        self.stats.embedded += len(pending)
        self._meaning = None
        return len(pending)

    # -- persistence ------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the whole index to one ``.npz`` file (numpy arrays and JSON, no pickle).

        Atomic and durable: a temporary file beside ``path``, fsynced, renamed
        over it. The file holds word hashes, embeddings and the sentence texts not
        yet embedded: anyone with a dictionary can read the words back, so keep it
        as confidential as the documents (it is created 0600).
        """
        from barium.detect.storage import save_index

        save_index(
            Path(path),
            list(self._docs.values()),
            list(self._publics.items()),
            producer=self.producer,
            embedder=self.embedder,
            options=self.options,
        )

    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        options: DetectionOptions | None = None,
        canonicalize: Canonicalizer | Default | None = "default",
        embedder: Embedder | None = None,
    ) -> DetectionIndex:
        """Read an index written by :meth:`save`; ``options`` default to those saved.

        Raises :class:`InputError` for a file that cannot be read or is damaged,
        and :class:`StaleIndex` (a :class:`ConfigError`) for one made by another
        Barium, normaliser, rule table, n-gram size or embedding model than this
        process would use: rebuild it from the documents.
        """
        from barium.detect.storage import open_saved

        saved = open_saved(Path(path), options=options)
        index = cls(saved.options, canonicalize=canonicalize, embedder=embedder)
        saved.check(index.producer, index.embedder)  # before the records: a stale layout is stale, not damaged
        index._docs, index._publics = saved.records()
        return index

    # -- internals --------------------------------------------------------------

    def _changed(self) -> None:
        self._stop = None
        self._meaning = None

    def _words(self, text: str) -> Words:
        if not isinstance(text, str):
            raise InputError(f"expected text, got {type(text).__name__}")
        check_text(text, max_chars=self.options.max_chars)
        return self._normalizer.words(text, max_tokens=self.options.max_tokens)

    def _model(self) -> Embedder:
        if self._embedder is None:
            self._embedder = MiniLM()
        return self._embedder

    def _build(self) -> Postings:
        if self._postings is None:
            self._postings = Postings.build(
                [(d.key, d.group, d.words) for d in self._docs.values()],
                ngram=self.options.ngram,
                max_document_frequency=self.options.max_document_frequency,
            )
        return self._postings

    def _stop_grams(self) -> Hashes:
        """N-grams that seed nothing and count as no evidence: banal or public."""
        if self._stop is None:
            self._stop = union(self._build().banal, *(p.grams for p in self._publics.values()))
        return self._stop

    def _novel_words(self, words: Hashes, stop: Hashes) -> npt.NDArray[np.bool_]:
        """Words covered by at least one n-gram that is neither banal nor public."""
        n = self.options.ngram
        grams = ngram_hashes(words, n)
        if len(grams) == 0:
            return np.zeros(len(words), dtype=bool)
        fresh = (~member(grams, stop)).astype(np.int64)
        return np.convolve(fresh, np.ones(n, dtype=np.int64))[: len(words)] > 0

    def _lexical(
        self,
        text: str,
        words: Words,
        leak: Hashes,
        novel: npt.NDArray[np.bool_],
        postings: Postings,
        stop: Hashes,
        found: dict[str, list[Span]],
    ) -> None:
        opts = self.options
        grams = ngram_hashes(leak, opts.ngram)
        if len(grams) == 0 or len(postings.grams) == 0:
            return
        lo, hi = postings.lookup(grams)
        counts = hi - lo
        counts[member(grams, stop)] = 0  # banal and public n-grams seed nothing
        total = int(counts.sum())
        if total == 0:
            return
        leak_pos = np.repeat(np.arange(len(grams), dtype=np.int64), counts)
        first = np.repeat(lo - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
        hit = first + np.arange(total)
        doc_ids = postings.docs[hit]
        diag = postings.positions[hit].astype(np.int64) - leak_pos
        order = np.lexsort((leak_pos, doc_ids))
        doc_ids, leak_pos, diag = doc_ids[order], leak_pos[order], diag[order]
        bounds = np.flatnonzero(np.diff(doc_ids)) + 1
        for seg_l, seg_d, seg_doc in zip(
            np.split(leak_pos, bounds), np.split(diag, bounds), doc_ids[np.concatenate(([0], bounds))], strict=True
        ):
            if len(np.unique(seg_l)) < opts.min_seeds:
                continue
            doc = self._docs[postings.keys[int(seg_doc)]]
            spans = self._align_document(text, words, leak, novel, doc, seg_l, seg_d)
            if spans:
                found.setdefault(doc.key, []).extend(spans)

    def _align_document(
        self,
        text: str,
        words: Words,
        leak: Hashes,
        novel: npt.NDArray[np.bool_],
        doc: StoredDoc,
        leak_pos: npt.NDArray[np.int64],
        diag: npt.NDArray[np.int64],
    ) -> list[Span]:
        opts = self.options
        n = opts.ngram
        alive = np.ones(len(leak_pos), dtype=bool)
        spans: list[Span] = []
        for _ in range(_MAX_PASSAGES):
            if np.count_nonzero(alive) < opts.min_seeds:
                break
            # The passage: seeds near the most common diagonal, chained along the leak.
            values, counts = np.unique(diag[alive], return_counts=True)
            mode = int(values[np.argmax(counts)])
            slack = max(8, _MARGIN)
            near = alive & (np.abs(diag - mode) <= slack)
            pos = leak_pos[near]
            breaks = np.flatnonzero(np.diff(pos) > _CHAIN_GAP) + 1
            chains = np.split(pos, breaks)
            chain = max(chains, key=lambda c: len(np.unique(c)))
            c_lo, c_hi = int(chain[0]), int(chain[-1])
            in_chain = near & (leak_pos >= c_lo) & (leak_pos <= c_hi)
            alive &= ~in_chain
            if len(np.unique(chain)) < opts.min_seeds:
                continue
            d_lo = int(diag[in_chain].min())
            d_hi = int(diag[in_chain].max())
            a0 = max(0, c_lo - _MARGIN)
            a1 = min(len(leak), c_hi + n + _MARGIN)
            b0 = max(0, c_lo + d_lo - _MARGIN - slack)
            b1 = min(len(doc.words), c_hi + d_hi + n + _MARGIN + slack)
            local = local_align(leak[a0:a1], doc.words[b0:b1], match=opts.match, mismatch=opts.mismatch, gap=opts.gap)
            if local is None:
                continue
            la0, la1 = a0 + local.a_start, a0 + local.a_end
            lb0, lb1 = b0 + local.b_start, b0 + local.b_end
            alive &= ~((leak_pos >= la0) & (leak_pos < la1))
            span = self._lexical_span(text, words, leak, novel, doc, la0, la1, lb0, lb1)
            if span is not None and not any(
                s.leak_start < span.leak_end and span.leak_start < s.leak_end for s in spans
            ):
                spans.append(span)
        return spans

    def _lexical_span(
        self,
        text: str,
        words: Words,
        leak: Hashes,
        novel: npt.NDArray[np.bool_],
        doc: StoredDoc,
        a0: int,
        a1: int,
        b0: int,
        b1: int,
    ) -> Span | None:
        opts = self.options
        blocks = trimmed_blocks(leak[a0:a1], doc.words[b0:b1])
        if not blocks:
            return None
        # Trim the span to its first and last identical words.
        (i0, j0, _), (i1, j1, size) = blocks[0], blocks[-1]
        a0, a1, b0, b1 = a0 + i0, a0 + i1 + size, b0 + j0, b0 + j1 + size
        la, lb = leak[a0:a1], doc.words[b0:b1]
        mask = np.zeros(len(la), dtype=bool)
        for i, _, n in blocks:
            mask[i - i0 : i - i0 + n] = True
        matched = int(np.count_nonzero(mask))
        evidence = int(np.count_nonzero(mask & novel[a0:a1]))
        edit = 1.0 - matched / max(len(la), len(lb))
        if evidence < opts.min_words or edit > opts.max_edit:
            return None
        kind: Kind = "verbatim" if len(la) == len(lb) and bool(np.all(la == lb)) else "near_verbatim"
        start, end = int(words.starts[a0:a1].min()), int(words.ends[a0:a1].max())
        return Span(
            leak_start=start,
            leak_end=end,
            doc_start=int(doc.starts[b0:b1].min()),
            doc_end=int(doc.ends[b0:b1].max()),
            text=text[start:end],
            kind=kind,
            words=a1 - a0,
            matched=matched,
            score=round(1.0 - edit, 4),
        )

    # -- paraphrase -------------------------------------------------------------

    def _build_meaning(self) -> _Meaning:
        if self._meaning is not None:
            return self._meaning
        self.embed_pending()
        stop = self._stop_grams()
        opts = self.options
        vectors: list[Vectors] = []
        doc_of: list[npt.NDArray[np.int32]] = []
        sentence_of: list[npt.NDArray[np.int32]] = []
        docs = list(self._docs.values())
        for i, d in enumerate(docs):
            assert d.embeddings is not None
            novel = self._novel_words(d.words, stop)
            # Sentences that are long enough and mostly not boilerplate or public text.
            which = np.flatnonzero(d.sentences.words >= opts.paraphrase_min_words)
            keep = [s for s in which if _novel_share(d, int(s), novel) >= 0.5]
            if not keep:
                continue
            idx = np.asarray(keep, dtype=np.int32)
            vectors.append(d.embeddings[idx].astype(np.float32))
            doc_of.append(np.full(len(idx), i, dtype=np.int32))
            sentence_of.append(idx)
        self._meaning = _Meaning(
            vectors=np.concatenate(vectors) if vectors else np.zeros((0, 384), dtype=np.float32),
            doc_of=np.concatenate(doc_of) if doc_of else np.zeros(0, dtype=np.int32),
            sentence_of=np.concatenate(sentence_of) if sentence_of else np.zeros(0, dtype=np.int32),
            keys=[d.key for d in docs],
        )
        return self._meaning

    def _paraphrases(
        self,
        text: str,
        leak: Hashes,
        words: Words,
        novel: npt.NDArray[np.bool_],
        found: dict[str, list[Span]],
    ) -> None:
        opts = self.options
        meaning = self._build_meaning()
        if len(meaning.vectors) == 0:
            return
        sents, texts = sentences(text)
        leak_doc = StoredDoc("", "", leak, words.starts, words.ends, sents, None)
        usable = [
            i
            for i in range(len(sents))
            if sents.words[i] >= opts.paraphrase_min_words and _novel_share(leak_doc, i, novel) >= 0.5
        ]
        if not usable:
            return
        vectors = self._model().encode([texts[i] for i in usable])
        sims = vectors @ meaning.vectors.T
        for row, i in enumerate(usable):
            a, b = int(sents.starts[i]), int(sents.ends[i])
            best: dict[int, tuple[float, int]] = {}
            for col in np.flatnonzero(sims[row] >= opts.paraphrase_entity_cosine):
                cos = float(sims[row, col])
                d, s = int(meaning.doc_of[col]), int(meaning.sentence_of[col])
                doc = self._docs[meaning.keys[d]]
                shared = len(sents.entities[i] & doc.sentences.entities[s])
                if cos < opts.paraphrase_min_cosine and shared < opts.paraphrase_min_entities:
                    continue
                if cos > best.get(d, (-1.0, 0))[0]:
                    best[d] = (cos, s)
            for d, (cos, s) in best.items():
                key = meaning.keys[d]
                doc = self._docs[key]
                if any(sp.leak_start < b and a < sp.leak_end for sp in found.get(key, [])):
                    continue  # already covered by a lexical span
                found.setdefault(key, []).append(
                    Span(
                        leak_start=a,
                        leak_end=b,
                        doc_start=int(doc.sentences.starts[s]),
                        doc_end=int(doc.sentences.ends[s]),
                        text=text[a:b],
                        kind="paraphrase",
                        words=int(sents.words[i]),
                        matched=0,
                        score=round(min(cos, 1.0), 4),
                    )
                )


def _novel_share(doc: StoredDoc, sentence: int, novel: npt.NDArray[np.bool_]) -> float:
    """Share of a sentence's words that are not banal or public."""
    a, b = doc.sentences.starts[sentence], doc.sentences.ends[sentence]
    lo, hi = np.searchsorted(doc.starts, a, side="left"), np.searchsorted(doc.starts, b, side="left")
    if hi <= lo:
        return 0.0
    return float(np.count_nonzero(novel[lo:hi])) / float(hi - lo)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
