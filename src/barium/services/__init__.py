"""The use cases: the one API that the CLI, the web app and the tests call."""

from __future__ import annotations

from pathlib import Path

from barium.services.documents import DocumentsService
from barium.services.info import (
    DocumentInfo,
    IssuedCopy,
    IssuedRecord,
    IssueReport,
    RecipientInfo,
    SiteRow,
    SitesReport,
)
from barium.services.issuing import IssuingService
from barium.services.recipients import RecipientsService
from barium.services.sites import SitesService
from barium.services.tracing import TracingService
from barium.services.watching import PublicInfo, ScanMatch, SourceInfo, WatchingService, WatchRunReport
from barium.workspace import Workspace

__all__ = [
    "Barium",
    "DocumentInfo",
    "IssueReport",
    "IssuedCopy",
    "IssuedRecord",
    "PublicInfo",
    "RecipientInfo",
    "ScanMatch",
    "SiteRow",
    "SitesReport",
    "SourceInfo",
    "WatchRunReport",
]


class Barium(DocumentsService, RecipientsService, IssuingService, SitesService, TracingService, WatchingService):
    """A workspace and everything one can do with it.

    >>> b = Barium.init("/tmp/ws")                      # doctest: +SKIP
    >>> doc = b.add_document(Path("plan.md"), title="Operation plan")  # doctest: +SKIP
    """

    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    @classmethod
    def init(cls, home: Path | str | None = None) -> Barium:
        return cls(Workspace.create(home))

    @classmethod
    def open(cls, home: Path | str | None = None) -> Barium:
        return cls(Workspace.open(home))

    def close(self) -> None:
        self.ws.close()

    def __enter__(self) -> Barium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
