"""Watching the press: scan files, poll feeds and pages, raise alerts, trace them.

Every article goes through the detection index (every version of every document,
blind to marks); each (article, document) match becomes one alert, stored with
the trace of the article against that document. An article's alerts and its
"seen" mark are committed together, so a killed run loses no alert and
re-reports none; the same article seen again (same content) adds nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from barium.detect import DetectionIndex, DetectionMatch
from barium.errors import BariumError, Conflict, InputError, NotFound
from barium.formats.load import read_file
from barium.limits import Limits, TextKind, clean_text
from barium.services.detection import synced_index
from barium.services.fetch_state import DbFetchState
from barium.store import Alert, Document, DocumentVersion, PublicText, WatchSource
from barium.text import tokenize
from barium.tracing import DocumentRef
from barium.watch import Article, Skipped, WatchedSource, iter_local, run_sources
from barium.watch.fetch import Fetcher, FetchPolicy
from barium.workspace import Workspace

_EVERY = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_UNIT = {"": 60, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(text: str) -> int:
    """'15m', '2h', '30s', '1d' (a bare number is minutes) -> seconds."""
    m = _EVERY.match(text.lower())
    if not m or int(m.group(1)) == 0:
        raise InputError(f"not an interval: {text!r} (try 15m, 2h or 1d)")
    seconds = int(m.group(1)) * _UNIT[m.group(2)]
    if seconds < 60:
        raise InputError("watch intervals are at least one minute")
    return seconds


@dataclass(frozen=True, slots=True)
class ScanMatch:
    """One (source, document) match, with its spans and its trace."""

    source: str
    title: str | None
    url: str | None
    published: datetime | None
    document: DocumentRef
    kind: str
    score: float
    spans: list[dict[str, Any]]
    trace: dict[str, Any]
    alert_id: int | None = None
    new: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "title": self.title,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "document": {"id": self.document.id, "title": self.document.title, "version": self.document.version},
            "kind": self.kind,
            "score": round(self.score, 4),
            "spans": self.spans,
            "trace": self.trace,
        }


@dataclass(frozen=True, slots=True)
class SourceInfo:
    id: int
    url: str
    every_seconds: int
    last_run_at: datetime | None
    failures: int
    next_retry_at: datetime | None
    last_error: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "every_seconds": self.every_seconds,
            "last_run_at": self.last_run_at.isoformat() if self.last_run_at else None,
            "failures": self.failures,
            "next_retry_at": self.next_retry_at.isoformat() if self.next_retry_at else None,
            "last_error": self.last_error,
        }


@dataclass(frozen=True, slots=True)
class PublicInfo:
    """A registered public text."""

    id: int
    title: str
    chars: int
    sha256: str
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "chars": self.chars,
            "sha256": self.sha256,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(slots=True)
class WatchRunReport:
    """One pass over the watch list. ``skipped`` holds every item not alerted and why
    (``{"source", "item", "reason"}``); each of them was marked seen unless its
    fetch may succeed later."""

    sources: int
    articles: int
    matches: list[ScanMatch] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": self.sources,
            "articles": self.articles,
            "alerts": [m.to_dict() for m in self.matches],
            "failed": self.failed,
            "skipped": self.skipped,
        }


def _source_info(s: WatchSource) -> SourceInfo:
    return SourceInfo(s.id, s.url, s.every_seconds, s.last_run_at, s.failures, s.next_retry_at, s.last_error)


class WatchingService:
    ws: Workspace
    _detector: DetectionIndex | None = None
    # Stored texts the detection index could not take (kept from before the one text check).
    _index_skipped: tuple[Skipped, ...] = ()

    # The tracing service provides this.
    trace: Callable[..., Any]

    @property
    def limits(self) -> Limits:
        """Every size cap of this workspace, from its settings."""
        return Limits.from_settings(self.ws.settings)

    # -- the detection index --------------------------------------------------------

    def detection_index(self) -> DetectionIndex:
        """Every version of every document, and the public texts, indexed; saved in the
        workspace and updated as they change (see :mod:`barium.services.detection`)."""
        return self._synced_index(paraphrase=False)

    def _synced_index(self, *, paraphrase: bool) -> DetectionIndex:
        self._detector, self._index_skipped = synced_index(
            self.ws, self._detector, limits=self.limits, paraphrase=paraphrase
        )
        return self._detector

    # -- public texts -----------------------------------------------------------------

    def add_public(self, source: Path | str, *, title: str | None = None) -> int:
        """Register text the author made public (a press statement): it raises no alert.

        It passes the same check as every stored text (``max_public_bytes``, binary
        refused, stray control characters dropped)."""
        limits = self.limits
        if isinstance(source, Path):
            text, _ = read_file(source, limits=limits, kind="public", fmt="text")
            title = title or source.name
        else:
            text = limits.check_text(source, "public", name="public text")
        digest = hashlib.sha256(text.encode()).hexdigest()
        with self.ws.db.session() as session:
            found = session.scalar(select(PublicText).where(PublicText.sha256 == digest))
            if found is not None:
                return found.id
            row = PublicText(title=(title or text.strip().splitlines()[0])[:500], content=text, sha256=digest)
            session.add(row)
            session.flush()
            return row.id

    def public_list(self) -> list[PublicInfo]:
        """Registered public texts, oldest first."""
        with self.ws.db.session() as session:
            return [
                PublicInfo(p.id, p.title, len(p.content), p.sha256, p.created_at)
                for p in session.scalars(select(PublicText).order_by(PublicText.id))
            ]

    def public_remove(self, public_id: int) -> None:
        """Forget a public text: its passages may raise alerts again."""
        with self.ws.db.session() as session:
            row = session.get(PublicText, public_id)
            if row is None:
                raise NotFound(f"no public text {public_id}; `barium public list` shows them")
            session.delete(row)

    # -- articles ---------------------------------------------------------------------

    def _process(
        self,
        session: Session,
        article: Article,
        index: DetectionIndex,
        titles: dict[int, str],
        *,
        paraphrase: bool,
        kind: TextKind,
    ) -> tuple[list[ScanMatch], Skipped | None]:
        """Detect, trace and store alerts for one article (not committed here).

        One bad article never stops a run: whatever it makes fail (too large, a
        hostile page, a bug it trips) comes back as a :class:`Skipped` with the
        reason, and nothing of it is stored. Database errors are not the article's
        fault and propagate, so that it is not marked seen.
        """
        where = f"{article.source} {article.url}" if article.url and article.url != article.source else article.source
        try:
            found = self._examine(session, article, index, titles, paraphrase=paraphrase, kind=kind)
        except SQLAlchemyError:
            raise
        except BariumError as exc:
            return [], Skipped(where, exc.message)
        except Exception as exc:  # a hostile item must not stop monitoring; it is reported, not hidden
            return [], Skipped(where, f"could not be processed ({type(exc).__name__}: {exc})")
        out: list[ScanMatch] = []
        for ref, item in found:
            if isinstance(item, ScanMatch):
                out.append(item)
                continue
            session.add(item)
            session.flush()
            out.append(self._from_alert(item, ref, new=True))
        return out, None

    def _examine(
        self,
        session: Session,
        article: Article,
        index: DetectionIndex,
        titles: dict[int, str],
        *,
        paraphrase: bool,
        kind: TextKind,
    ) -> list[tuple[DocumentRef, Alert | ScanMatch]]:
        """The alerts one article raises, not yet stored, and those it raised before."""
        limits = self.limits
        where = article.url or article.source
        # The one text check: what is searched and traced is cleaned as every stored text was.
        text = limits.check_text(article.text, kind, name=where)
        evidence = clean_text(article.evidence_text) if article.evidence_text else text
        found: list[tuple[DocumentRef, Alert | ScanMatch]] = []
        raised: dict[int, Alert] = {}
        for match in index.search(text, paraphrase=paraphrase):
            doc_id, version = (int(x) for x in match.key.split(":"))
            ref = DocumentRef(doc_id, titles.get(doc_id, "?"), version)
            if doc_id in raised:
                # One alert per (article, document), the best-matching version's; the
                # other versions it matches are reported with that alert.
                found.append((ref, raised[doc_id]))
                continue
            existing = session.scalar(
                select(Alert).where(Alert.article_hash == article.content_hash, Alert.document_id == doc_id)
            )
            if existing is not None:
                found.append((ref, self._from_alert(existing, ref, new=False)))
                continue
            trace = self.trace(_traced_text(text, evidence, match, limits), doc=doc_id).to_dict()
            spans = [
                {
                    "leak_start": s.leak_start,
                    "leak_end": s.leak_end,
                    "doc_start": s.doc_start,
                    "doc_end": s.doc_end,
                    "text": s.text,
                    "kind": s.kind,
                }
                for s in match.spans
            ]
            version_id = session.scalar(
                select(DocumentVersion.id).where(
                    DocumentVersion.document_id == doc_id, DocumentVersion.version == version
                )
            )
            alert = Alert(
                source=article.source,
                url=article.url,
                title=article.title,
                published=article.published,  # stored in UTC with its zone (store.models.UTCDateTime)
                article_hash=article.content_hash,
                document_id=doc_id,
                version_id=version_id,
                kind=match.kind,
                score=match.score,
                spans=json.dumps(spans, ensure_ascii=False),
                trace=json.dumps(trace, ensure_ascii=False),
                verdict=str(trace["verdict"]),
            )
            raised[doc_id] = alert
            found.append((ref, alert))
        return found

    @staticmethod
    def _from_alert(alert: Alert, ref: DocumentRef, *, new: bool) -> ScanMatch:
        return ScanMatch(
            source=alert.source,
            title=alert.title,
            url=alert.url,
            published=alert.published,
            document=ref,
            kind=alert.kind,
            score=alert.score,
            spans=json.loads(alert.spans),
            trace=json.loads(alert.trace),
            alert_id=alert.id,
            new=new,
        )

    def scan(
        self,
        paths: Iterable[Path | str],
        *,
        paraphrase: bool | None = None,
        on_skip: Callable[[Skipped], None] | None = None,
    ) -> list[ScanMatch]:
        """Scan files and folders (.txt .md .html .warc(.gz) .jsonl) for protected passages.

        What gives no article, or fails on its way (too large, binary, a hostile
        page), goes to ``on_skip`` with its reason, and the scan goes on.
        """
        use_paraphrase = self.ws.settings.paraphrase if paraphrase is None else paraphrase
        out: list[ScanMatch] = []
        index = self._synced_index(paraphrase=use_paraphrase)
        skip = on_skip or (lambda _item: None)
        for problem in self._index_skipped:
            skip(problem)
        with self.ws.db.session() as session:
            titles = {d.id: d.title for d in session.scalars(select(Document))}
            for item in iter_local(list(paths), limits=self.limits):
                if not isinstance(item, Article):
                    skip(item)
                    continue
                found, skipped = self._process(session, item, index, titles, paraphrase=use_paraphrase, kind="leak")
                if skipped is not None:
                    skip(skipped)
                out.extend(found)
                session.commit()
        return out

    # -- the watch list -----------------------------------------------------------------

    def watch_add(self, url: str, *, every: str = "15m") -> SourceInfo:
        url = url.strip()
        if not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
            raise InputError(f"not an http(s) URL: {url!r}")
        seconds = parse_every(every)
        with self.ws.db.session() as session:
            if session.scalar(select(WatchSource).where(WatchSource.url == url)) is not None:
                raise Conflict(f"already watching {url}")
            row = WatchSource(url=url, every_seconds=seconds, failures=0)
            session.add(row)
            session.flush()
            return _source_info(row)

    def watch_list(self) -> list[SourceInfo]:
        with self.ws.db.session() as session:
            return [_source_info(s) for s in session.scalars(select(WatchSource).order_by(WatchSource.id))]

    def watch_remove(self, source_id: int) -> None:
        with self.ws.db.session() as session:
            row = session.get(WatchSource, source_id)
            if row is None:
                raise NotFound(f"no watched source {source_id}; `barium watch list` shows them")
            session.delete(row)

    def watch_run(
        self,
        *,
        force: bool = False,
        paraphrase: bool | None = None,
        fetcher: Fetcher | None = None,
        now: datetime | None = None,
    ) -> WatchRunReport:
        """Fetch every source that is due (all with ``force``), detect, alert, trace."""
        use_paraphrase = self.ws.settings.paraphrase if paraphrase is None else paraphrase
        moment = now or datetime.now(UTC)
        matches: list[ScanMatch] = []
        index = self._synced_index(paraphrase=use_paraphrase)
        skipped: list[dict[str, Any]] = [
            {"source": None, "item": s.where, "reason": s.reason} for s in self._index_skipped
        ]
        limits = self.limits
        with self.ws.db.session() as session:
            titles = {d.id: d.title for d in session.scalars(select(Document))}
            due = [
                s
                for s in session.scalars(select(WatchSource).order_by(WatchSource.id))
                if force or s.last_run_at is None or s.last_run_at + timedelta(seconds=s.every_seconds) <= moment
            ]
            state = DbFetchState(session)

            def on_article(article: Article) -> None:
                # Returns normally for a bad article too, so the scheduler marks it seen.
                found, problem = self._process(
                    session, article, index, titles, paraphrase=use_paraphrase, kind="article"
                )
                matches.extend(found)
                if problem is not None:
                    skipped.append({"source": article.source, "item": article.url, "reason": problem.reason})

            policy = FetchPolicy(
                host_interval=self.ws.settings.watch_host_interval,
                max_bytes=limits.article_bytes,
                max_ratio=limits.max_ratio,
            )
            own = fetcher or Fetcher(policy)
            try:
                report = run_sources(
                    [WatchedSource(s.url) for s in due], state, on_article=on_article, fetcher=own, now=lambda: moment
                )
            finally:
                if fetcher is None:
                    own.close()
            for s in due:
                s.last_run_at = moment
            session.commit()
        failed = [
            {"source": o.source, "error": o.error, "next_retry": o.next_retry.isoformat() if o.next_retry else None}
            for o in report.failed
        ]
        skipped += [{"source": o.source, "item": k.key, "reason": k.reason} for o in report.outcomes for k in o.skipped]
        return WatchRunReport(
            sources=len(due), articles=report.articles, matches=matches, failed=failed, skipped=skipped
        )

    def alerts(self, *, since: datetime | None = None, limit: int = 1000) -> list[ScanMatch]:
        """Stored alerts, newest first."""
        with self.ws.db.session() as session:
            query = select(Alert).order_by(Alert.created_at.desc(), Alert.id.desc()).limit(limit)
            if since is not None:
                query = query.where(Alert.created_at >= since)
            titles = {d.id: d.title for d in session.scalars(select(Document))}
            versions = dict(session.execute(select(DocumentVersion.id, DocumentVersion.version)).all())
            return [
                self._from_alert(
                    a, DocumentRef(a.document_id, titles.get(a.document_id, "?"), versions[a.version_id]), new=False
                )
                for a in session.scalars(query)
            ]


def _traced_text(text: str, evidence: str, match: DetectionMatch, limits: Limits) -> str:
    """What the tracer reads: the page's whole visible text, which keeps the invisible
    marks that extraction drops; when that is over the leak cap, the part of it where
    the matched passage starts, cut to the cap (a cut costs evidence, never soundness)."""
    if len(evidence.encode("utf-8", "surrogatepass")) <= limits.leak_bytes:
        return evidence
    room = limits.leak_bytes // 4  # characters: at most four bytes each
    start = min(s.leak_start for s in match.spans)
    end = max(s.leak_end for s in match.spans)
    at = _find_words(evidence, text[start:end])
    return evidence[at : at + room] if at is not None else text[start:end][:room]


def _find_words(haystack: str, passage: str, words: int = 8) -> int | None:
    """Where the first words of ``passage`` occur in ``haystack``, as tokens (blind to
    case, typography and invisible characters), or None."""
    want = [t.key for t in tokenize(passage)[:words]]
    if not want:
        return None
    tokens = tokenize(haystack)
    keys = [t.key for t in tokens]
    first, n = want[0], len(want)
    for i in range(len(keys) - n + 1):
        if keys[i] == first and keys[i : i + n] == want:
            return tokens[i].start
    return None
