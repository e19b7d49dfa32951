"""Watching the press: scan files, poll feeds and pages, raise alerts, trace them.

Every article goes through the detection index (every version of every document,
blind to marks); each (article, document) match becomes one alert, stored with
the trace of the article against that document. An article's alerts and its
"seen" mark are committed together, so a killed run loses no alert and
re-reports none; the same article seen again (same content) adds nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from barium.channels.variants import VariantsChannel
from barium.detect import DetectionIndex, DetectionMatch
from barium.detect.topics import MIN_TERMS, TopicLink, document_terms, known_terms, link, specific_terms
from barium.errors import BariumError, Conflict, InputError, NotFound
from barium.limits import Limits, TextKind, clean_text
from barium.marking import sites_from_json
from barium.services.detection import Detection
from barium.services.fetch_state import DbFetchState, fetch_policy
from barium.services.tracing import Tracing
from barium.services.unit import Context, UnitOfWork
from barium.store import Alert, Document, DocumentVersion, WatchSource
from barium.text import tokenize
from barium.tracing import DocumentRef
from barium.watch import Article, Skipped, WatchedSource, iter_local, run_sources
from barium.watch.fetch import Fetcher, refuse_private

_EVERY = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_UNIT = {"": 60, "s": 1, "m": 60, "h": 3600, "d": 86400}


# Canaries an article must restate before it raises a "restated" alert on a document
# that has some (calibrated in benchmarks/paraphrase_tracing.py: with 2, 6 of 113
# same-topic articles that are no leak alerted, one naming a list in the master's own
# order; with 4, none, and 94% of the reports still do; a report restating fewer could
# not name anyone).
MIN_CANARIES = 4


def parse_every(text: str) -> int:
    """'15m', '2h', '30s', '1d' (a bare number is minutes) -> seconds."""
    m = _EVERY.match(text.lower())
    if not m or int(m.group(1)) == 0:
        raise InputError(f"not an interval: {text!r} (try 15m, 2h or 1d)")
    seconds = int(m.group(1)) * _UNIT[m.group(2)]
    if seconds < 60:
        raise InputError("watch intervals are at least one minute")
    if seconds > MAX_EVERY:
        raise InputError(f"watch intervals are at most {MAX_EVERY // 86400} days")
    return seconds


MAX_EVERY = 90 * 86400


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
            "alert": self.alert_id,
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


class Watching:
    """Scanning files, watching feeds and pages, and the alerts they raise.

    For each article, detection and tracing run outside any transaction; what the
    article raised is then stored in one short unit of work (with its "seen" mark,
    when watching), so a killed run loses no alert and reports none twice.
    """

    def __init__(self, ctx: Context, detection: Detection, tracing: Tracing) -> None:
        self.ctx = ctx
        self.detection = detection
        self.tracing = tracing

    # -- articles ---------------------------------------------------------------------

    def _titles(self) -> dict[int, str]:
        with self.ctx.read() as session:
            return {d.id: d.title for d in session.scalars(select(Document))}

    def _process(
        self,
        article: Article,
        index: DetectionIndex,
        titles: dict[int, str],
        *,
        paraphrase: bool,
        kind: TextKind,
    ) -> tuple[list[_Found], Skipped | None]:
        """Detect and trace one article: the alerts it raises, not yet stored.

        One bad article never stops a run: whatever it makes fail (too large, a
        hostile page, a bug it trips) comes back as a :class:`Skipped` with the
        reason. Database errors are not the article's fault and propagate, so that
        it is not marked seen.
        """
        where = f"{article.source} {article.url}" if article.url and article.url != article.source else article.source
        try:
            return self._examine(article, index, titles, paraphrase=paraphrase, kind=kind), None
        except SQLAlchemyError:
            raise
        except BariumError as exc:
            return [], Skipped(where, exc.message)
        except Exception as exc:  # a hostile item must not stop monitoring; it is reported, not hidden
            return [], Skipped(where, f"could not be processed ({type(exc).__name__}: {exc})")

    def _examine(
        self,
        article: Article,
        index: DetectionIndex,
        titles: dict[int, str],
        *,
        paraphrase: bool,
        kind: TextKind,
    ) -> list[_Found]:
        """The alerts one article raises, not yet stored, and those it raised before."""
        limits = self.ctx.limits
        where = article.url or article.source
        # The one text check: what is searched and traced is cleaned as every stored text was.
        text = limits.check_text(article.text, kind, name=where)
        evidence = clean_text(article.evidence_text) if article.evidence_text else text
        matches = index.search(text, paraphrase=paraphrase)
        if not matches:
            return self._restated(article, text, titles) if self.ctx.settings.restated else []
        with self.ctx.read() as session:
            before = {
                a.document_id: a
                for a in session.scalars(select(Alert).where(Alert.article_hash == article.content_hash))
            }
            version_ids = {
                (d, n): vid
                for vid, d, n in session.execute(
                    select(DocumentVersion.id, DocumentVersion.document_id, DocumentVersion.version).where(
                        DocumentVersion.document_id.in_({int(m.key.split(":")[0]) for m in matches})
                    )
                )
            }
        found: list[_Found] = []
        raised: dict[int, Alert] = {}
        for match in matches:
            doc_id, version = (int(x) for x in match.key.split(":"))
            ref = DocumentRef(doc_id, titles.get(doc_id, "?"), version)
            if doc_id in raised:
                # One alert per (article, document), the best-matching version's; the
                # other versions it matches are reported with that alert.
                found.append(_Found(ref, raised[doc_id]))
                continue
            if doc_id in before:
                found.append(_Found(ref, before[doc_id], new=False))
                continue
            trace = self.tracing.trace(_traced_text(text, evidence, match, limits), doc=doc_id, record=False).to_dict(
                marks=False
            )
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
            alert = _alert(article, doc_id, version_ids[(doc_id, version)], match.kind, match.score, spans, trace)
            raised[doc_id] = alert
            found.append(_Found(ref, alert))
        return found

    def _restated(self, article: Article, text: str, titles: dict[int, str]) -> list[_Found]:
        """Alerts for an article that shares no passage with any document but restates
        one in other words: it names the document's specifics (``barium.detect.topics``)
        and, when the document has author variants or content canaries, at least
        MIN_CANARIES of them (read by content). An article on the same subject names a
        few of its specifics and hardly any of its canaries."""
        terms = specific_terms(text)
        if len(terms) < MIN_TERMS:
            return []
        with self.ctx.read() as session:
            # The latest version of each document; a master's text is read only the first
            # time a process compares with it (document_terms keeps its specifics).
            latest = {
                d: (vid, sha)
                for vid, d, sha in session.execute(
                    select(DocumentVersion.id, DocumentVersion.document_id, DocumentVersion.sha256).order_by(
                        DocumentVersion.version
                    )
                )
            }
            linked: list[tuple[DocumentVersion, TopicLink]] = []
            for vid, sha in latest.values():
                known = known_terms(sha)
                if known is None:
                    version = session.get(DocumentVersion, vid)
                    assert version is not None
                    known = document_terms(sha, version.content)
                score = link(terms, known)
                if score.linked():
                    version = session.get(DocumentVersion, vid)
                    assert version is not None
                    linked.append((version, score))
            if not linked:
                return []
            before = {
                a.document_id: a
                for a in session.scalars(select(Alert).where(Alert.article_hash == article.content_hash))
            }
            variants = {
                v.id: sum(1 for site in sites_from_json(v.sites) if site.channel == VariantsChannel.name)
                for v, _ in linked
            }
        found: list[_Found] = []
        for v, score in linked:
            ref = DocumentRef(v.document_id, titles.get(v.document_id, "?"), v.version)
            if v.document_id in before:
                found.append(_Found(ref, before[v.document_id], new=False))
                continue
            result = self.tracing.trace(text, doc=v.document_id, record=False)
            read = sum(1 for m in result.marks if m.by_content)
            if variants[v.id] and read < MIN_CANARIES:
                continue
            trace = result.to_dict(marks=False)
            alert = _alert(article, v.document_id, v.id, "restated", round(score.share, 4), [], trace)
            found.append(_Found(ref, alert))
        return found

    def _store(self, uow: UnitOfWork, found: list[_Found]) -> list[ScanMatch]:
        """Store an article's new alerts (each once) and say what it matched."""
        out: list[ScanMatch] = []
        stored: dict[int, tuple[Alert, bool]] = {}  # id() of a found alert -> the stored one, new?
        for f in found:
            if id(f.alert) not in stored:
                stored[id(f.alert)] = self._stored(uow, f.alert) if f.new else (f.alert, False)
            alert, new = stored[id(f.alert)]
            out.append(_match(alert, f.ref, new=new))
        return out

    @staticmethod
    def _stored(uow: UnitOfWork, alert: Alert) -> tuple[Alert, bool]:
        # Another run may have stored this (article, document) while this one traced it.
        prior = uow.session.scalar(
            select(Alert).where(Alert.article_hash == alert.article_hash, Alert.document_id == alert.document_id)
        )
        if prior is not None:
            return prior, False
        uow.session.add(alert)
        uow.session.flush()
        uow.record(
            "alert.raise",
            f"document {alert.document_id}",
            alert=alert.id,
            source=alert.source,
            url=alert.url,
            kind=alert.kind,
            verdict=alert.verdict,
        )
        return alert, True

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
        use_paraphrase = self.ctx.settings.paraphrase if paraphrase is None else paraphrase
        out: list[ScanMatch] = []
        index = self.detection.index(paraphrase=use_paraphrase)
        skip = on_skip or (lambda _item: None)
        for problem in self.detection.skipped:
            skip(problem)
        titles = self._titles()
        for item in iter_local(list(paths), limits=self.ctx.limits):
            if not isinstance(item, Article):
                skip(item)
                continue
            found, skipped = self._process(item, index, titles, paraphrase=use_paraphrase, kind="leak")
            if skipped is not None:
                skip(skipped)
            if found:
                with self.ctx.unit() as uow:
                    out.extend(self._store(uow, found))
        return out

    # -- the watch list -----------------------------------------------------------------

    def add(self, url: str, *, every: str = "15m") -> SourceInfo:
        """Watch a feed or page, polled every ``every`` (15m, 2h, 1d). For a web user, only
        a public host (:func:`refuse_private`)."""
        url = url.strip()
        if not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
            raise InputError(f"not an http(s) URL: {url!r}")
        seconds = parse_every(every)
        if self.ctx.actor.kind == "web" and not self.ctx.settings.web_watch_private_hosts:
            refuse_private(url)
        with self.ctx.unit() as uow:
            if uow.session.scalar(select(WatchSource).where(WatchSource.url == url)) is not None:
                raise Conflict(f"already watching {url}")
            row = WatchSource(url=url, every_seconds=seconds, failures=0)
            uow.session.add(row)
            uow.session.flush()
            uow.record("watch.add", f"source {row.id}", url=url, every_seconds=seconds)
            return _source_info(row)

    def remove(self, source_id: int) -> None:
        with self.ctx.unit() as uow:
            row = uow.session.get(WatchSource, source_id)
            if row is None:
                raise NotFound(f"no watched source {source_id}; `barium watch list` shows them")
            uow.session.delete(row)
            uow.record("watch.remove", f"source {source_id}", url=row.url)

    def run(
        self,
        *,
        force: bool = False,
        paraphrase: bool | None = None,
        fetcher: Fetcher | None = None,
        now: datetime | None = None,
    ) -> WatchRunReport:
        """Fetch every source that is due (all with ``force``), detect, alert, trace."""
        use_paraphrase = self.ctx.settings.paraphrase if paraphrase is None else paraphrase
        moment = now or datetime.now(UTC)
        matches: list[ScanMatch] = []
        index = self.detection.index(paraphrase=use_paraphrase)
        skipped: list[dict[str, Any]] = [
            {"source": None, "item": s.where, "reason": s.reason} for s in self.detection.skipped
        ]
        titles = self._titles()
        with self.ctx.read() as session:
            due = [
                (s.id, s.url)
                for s in session.scalars(select(WatchSource).order_by(WatchSource.id))
                if force or s.last_run_at is None or s.last_run_at + timedelta(seconds=s.every_seconds) <= moment
            ]
        state = DbFetchState(self.ctx)

        def on_article(article: Article) -> None:
            # Returns normally for a bad article too, so the scheduler marks it seen.
            found, problem = self._process(article, index, titles, paraphrase=use_paraphrase, kind="article")
            if problem is not None:
                skipped.append({"source": article.source, "item": article.url, "reason": problem.reason})
            if found:
                # Stored with the article's "seen" mark, in one unit of work.
                state.stage(lambda uow: matches.extend(self._store(uow, found)))

        own = fetcher or Fetcher(fetch_policy(self.ctx))
        try:
            report = run_sources(
                [WatchedSource(url) for _, url in due], state, on_article=on_article, fetcher=own, now=lambda: moment
            )
        finally:
            if fetcher is None:
                own.close()
        failed = [
            {"source": o.source, "error": o.error, "next_retry": o.next_retry.isoformat() if o.next_retry else None}
            for o in report.failed
        ]
        skipped += [{"source": o.source, "item": k.key, "reason": k.reason} for o in report.outcomes for k in o.skipped]
        with self.ctx.unit() as uow:
            state.flush(uow)
            for row in uow.session.scalars(select(WatchSource).where(WatchSource.id.in_([i for i, _ in due]))):
                row.last_run_at = moment
            uow.record(
                "watch.run",
                "watch list",
                sources=len(due),
                articles=report.articles,
                alerts=sum(1 for m in matches if m.new),
                skipped=len(skipped),
                failed=len(failed),
            )
            # Kept, so that "why was this article never alerted?" has an answer after the run.
            for item in skipped:
                uow.record("watch.skip", str(item["source"] or "stored text"), item=item["item"], reason=item["reason"])
            for f in failed:
                uow.record("watch.fail", str(f["source"]), error=f["error"], next_retry=f["next_retry"])
        return WatchRunReport(
            sources=len(due), articles=report.articles, matches=matches, failed=failed, skipped=skipped
        )

    def alerts(self, *, since: datetime | None = None, limit: int = 1000) -> list[ScanMatch]:
        """Stored alerts, newest first."""
        with self.ctx.read() as session:
            query = select(Alert).order_by(Alert.created_at.desc(), Alert.id.desc()).limit(limit)
            if since is not None:
                query = query.where(Alert.created_at >= since)
            titles = {d.id: d.title for d in session.scalars(select(Document))}
            versions = dict(session.execute(select(DocumentVersion.id, DocumentVersion.version)).all())
            return [
                _match(a, DocumentRef(a.document_id, titles.get(a.document_id, "?"), versions[a.version_id]), new=False)
                for a in session.scalars(query)
            ]

    def alert(self, alert_id: int) -> ScanMatch:
        """One stored alert: the article, the passages matched, the trace it raised."""
        with self.ctx.read() as session:
            a = session.get(Alert, alert_id)
            if a is None:
                raise NotFound(f"no alert {alert_id}; `barium alerts` lists them")
            document = session.get(Document, a.document_id)
            version = session.get(DocumentVersion, a.version_id)
            ref = DocumentRef(a.document_id, document.title if document else "?", version.version if version else 0)
            return _match(a, ref, new=False)

    # Last: below it, ``list`` in an annotation would name this method, not the type.
    def list(self) -> list[SourceInfo]:
        """The watched sources, oldest first."""
        with self.ctx.read() as session:
            return [_source_info(s) for s in session.scalars(select(WatchSource).order_by(WatchSource.id))]


@dataclass(frozen=True, slots=True)
class _Found:
    """An article's match with one document: a new alert (not yet stored), or one it raised before."""

    ref: DocumentRef
    alert: Alert
    new: bool = True


def _alert(
    article: Article,
    document_id: int,
    version_id: int,
    kind: str,
    score: float,
    spans: list[dict[str, Any]],
    trace: dict[str, Any],
) -> Alert:
    """One (article, document) alert with the article's provenance and the trace of it."""
    return Alert(
        source=article.source,
        url=article.url,
        title=article.title,
        published=article.published,  # stored in UTC with its zone (store.models.UTCDateTime)
        article_hash=article.content_hash,
        document_id=document_id,
        version_id=version_id,
        kind=kind,
        score=score,
        spans=json.dumps(spans, ensure_ascii=False),
        trace=json.dumps(trace, ensure_ascii=False),
        verdict=str(trace["verdict"]),
    )


def _match(alert: Alert, ref: DocumentRef, *, new: bool) -> ScanMatch:
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
