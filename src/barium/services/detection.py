"""The workspace's detection index: kept in step with the database, saved whole.

``detect/index.npz`` in the workspace holds the fingerprints of every registered
version and public text, and their sentence embeddings once a paraphrase scan has
made them. Each use compares it with the database: versions and public texts
added since are fingerprinted (only those), removed or changed ones are dropped,
and the file is rewritten, atomically, only when something changed.

A file made by another Barium, normaliser, rule table or model is rebuilt, and
the rebuild is said once, as a warning on this module's logger. A file that
cannot be read is a :class:`WorkspaceError` naming it and saying how to rebuild it:
it is never quietly replaced, so a disk that damages files does not go unnoticed.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlalchemy import select

from barium.detect import DetectionIndex, DetectionOptions, StaleIndex
from barium.errors import InputError, WorkspaceError
from barium.files import TEMP_PREFIX
from barium.limits import Limits
from barium.services.unit import Context
from barium.store import DocumentVersion, PublicText
from barium.watch import Skipped
from barium.workspace import Workspace

log = logging.getLogger(__name__)

INDEX_FILE = Path("detect") / "index.npz"
_BATCH = 500  # versions read from the database at a time
_OLD_NAME = re.compile(r"[0-9a-f]{24}\.npz")
_TEMP_AGE = 3600.0  # seconds after which a temporary file is a killed write's


def index_path(ws: Workspace) -> Path:
    return ws.home / INDEX_FILE


class Detection:
    """The workspace's detection index, kept in memory between uses and in step with the database."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._index: DetectionIndex | None = None
        self._skipped: tuple[Skipped, ...] = ()

    def index(self, *, paraphrase: bool = False) -> DetectionIndex:
        """Every version of every document, and the public texts, indexed (with sentence
        embeddings too when ``paraphrase``); saved in the workspace and updated as they change."""
        self._index, self._skipped = synced_index(
            self.ctx.ws, self._index, limits=self.ctx.limits, paraphrase=paraphrase
        )
        return self._index

    def rebuild(self, *, paraphrase: bool = False) -> DetectionIndex:
        """Make the index anew from the database, whatever the saved file holds (a damaged
        one included): it is a cache of the database and loses nothing."""
        path = index_path(self.ctx.ws)
        path.unlink(missing_ok=True)
        self._index = DetectionIndex(_options(self.ctx.limits))
        return self.index(paraphrase=paraphrase)

    @property
    def skipped(self) -> tuple[Skipped, ...]:
        """Stored texts the last :meth:`index` could not take, each with its reason."""
        return self._skipped


def synced_index(
    ws: Workspace, index: DetectionIndex | None, *, limits: Limits, paraphrase: bool = False
) -> tuple[DetectionIndex, tuple[Skipped, ...]]:
    """``index`` (or the saved one, or a new one) brought in step with the database,
    and the stored texts it could not take, each with its reason.

    The detector's caps come from the same limits as every registered text's, so
    whatever was registered fits; a text stored before that rule (or by hand) is
    left out with its reason, never allowed to stop a scan. With ``paraphrase`` the
    sentences of every version are embedded too, and saved.
    """
    path = index_path(ws)
    options = _options(limits)
    skipped: list[Skipped] = []
    with ws.db.read() as session:
        versions = {
            f"{doc}:{number}": (vid, sha)
            for vid, doc, number, sha in session.execute(
                select(DocumentVersion.id, DocumentVersion.document_id, DocumentVersion.version, DocumentVersion.sha256)
            )
        }
        publics = {
            f"public:{pid}": (pid, sha) for pid, sha in session.execute(select(PublicText.id, PublicText.sha256))
        }
    changed = False
    if index is None:
        index, changed = _open(path, options)
    changed |= _sync_versions(ws, index, versions, skipped)
    changed |= _sync_publics(ws, index, publics, skipped)
    if paraphrase and index.embed_pending():
        changed = True
    if changed:
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            index.save(path)
        except OSError as exc:
            raise WorkspaceError(f"cannot write the detection index {path}: {exc.strerror or exc}") from exc
        _sweep(path)
    return index, tuple(skipped)


def _options(limits: Limits) -> DetectionOptions:
    """The thresholds of the workspace's index (the code's and the limits', not those of an older file)."""
    return DetectionOptions(max_chars=limits.text_chars, max_tokens=limits.text_words)


def _open(path: Path, options: DetectionOptions) -> tuple[DetectionIndex, bool]:
    """The saved index, or a new one; True when a stale file is to be replaced."""
    if not path.exists():
        return DetectionIndex(options), False
    try:
        return DetectionIndex.load(path, options=options), False
    except StaleIndex as exc:
        log.warning("rebuilding the detection index %s: it was built with %s", path, "; ".join(exc.reasons))
        return DetectionIndex(options), True
    except InputError as exc:
        raise WorkspaceError(
            f"{exc.message.rstrip('.')}. It holds nothing the database does not: `barium db reindex` makes it anew"
        ) from exc


def _sync_versions(
    ws: Workspace, index: DetectionIndex, versions: dict[str, tuple[int, str]], skipped: list[Skipped]
) -> bool:
    changed = False
    for key, digest in index.digests().items():
        if key not in versions or versions[key][1] != digest:
            index.remove(key)  # deleted, or its key reused for other text (a restored database)
            changed = True
    missing = [vid for key, (vid, _) in versions.items() if key not in index]
    for batch in _batches(sorted(missing)):
        # Read, then fingerprint outside the transaction.
        with ws.db.read() as session:
            rows = session.execute(
                select(
                    DocumentVersion.document_id,
                    DocumentVersion.version,
                    DocumentVersion.sha256,
                    DocumentVersion.content,
                )
                .where(DocumentVersion.id.in_(batch))
                .order_by(DocumentVersion.id)
            ).all()
        for doc, number, sha, content in rows:
            try:
                index.add(f"{doc}:{number}", content, digest=sha)
            except InputError as exc:
                # Stored before today's checks: reported, and the rest still indexed.
                skipped.append(Skipped(f"document {doc} version {number}", exc.message))
                continue
            changed = True
    return changed


def _sync_publics(
    ws: Workspace, index: DetectionIndex, publics: dict[str, tuple[int, str]], skipped: list[Skipped]
) -> bool:
    changed = False
    for key, digest in index.public_digests().items():
        if key not in publics or publics[key][1] != digest:
            index.remove_public(key)
            changed = True
    have = index.public_digests()
    missing = [pid for key, (pid, _) in publics.items() if key not in have]
    for batch in _batches(sorted(missing)):
        with ws.db.read() as session:
            rows = session.execute(
                select(PublicText.id, PublicText.sha256, PublicText.content).where(PublicText.id.in_(batch))
            ).all()
        for pid, sha, content in rows:
            try:
                index.add_public(content, key=f"public:{pid}", digest=sha)
            except InputError as exc:
                skipped.append(Skipped(f"public text {pid}", exc.message))
                continue
            changed = True
    return changed


def _sweep(path: Path) -> None:
    """Remove what older releases (indexes named by a digest) and killed writes left beside
    the index: copies of the masters' fingerprints.

    A temporary file is removed only once it is an hour old: a younger one may be another
    process's write in progress.
    """
    stale_before = time.time() - _TEMP_AGE
    for old in path.parent.glob("*.npz"):
        try:
            if _OLD_NAME.fullmatch(old.name) or (
                old.name.startswith(TEMP_PREFIX) and old.stat().st_mtime < stale_before
            ):
                old.unlink(missing_ok=True)
        except FileNotFoundError:
            continue  # another process swept it first


def _batches(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for at in range(0, len(ids), _BATCH):
        yield ids[at : at + _BATCH]
