"""The use cases: the one API that the CLI, the web app and the tests call.

:class:`Barium` is the composition root: it opens a workspace and makes one
object per concept, each over the same :class:`Context` (the workspace, and the
:class:`Actor` on whose behalf it acts), with its collaborators passed in::

    b.documents   registering masters and their versions   (Documents)
    b.recipients  the people copies go to                  (Recipients)
    b.issuing     marked copies and who received which     (Issuing)
    b.tracing     whose copy a leak comes from             (Tracing)
    b.public      texts the author made public             (PublicTexts)
    b.watching    scans, the watch list and its alerts     (Watching)
    b.detection   the detection index                      (Detection)
    b.audit       the audit log every write adds to        (AuditLog)
    b.cases       investigations: cases, custody, referrals (Cases)
    b.reports     a case's evidence report, HTML or PDF     (Reports)
    b.users       web users, roles, API tokens, logins      (Users)
    b.jobs        long work run for web users, as records   (Jobs)
"""

from __future__ import annotations

from pathlib import Path

from barium.services.audit import AuditLog, AuditRecord
from barium.services.cases import CaseFile, CaseInfo, Cases
from barium.services.detection import Detection
from barium.services.documents import Documents
from barium.services.info import (
    DocumentInfo,
    IssuedCopy,
    IssuedRecord,
    IssueReport,
    RecipientInfo,
    SiteRow,
    SitesReport,
)
from barium.services.issuing import Issuing
from barium.services.jobs import JobInfo, Jobs
from barium.services.public import PublicInfo, PublicTexts
from barium.services.recipients import Recipients
from barium.services.reports import ReportInfo, Reports
from barium.services.tracing import Tracing
from barium.services.unit import Actor, Context, UnitOfWork
from barium.services.users import Principal, UserInfo, Users
from barium.services.watching import ScanMatch, SourceInfo, Watching, WatchRunReport
from barium.workspace import Workspace

__all__ = [
    "Actor",
    "AuditLog",
    "AuditRecord",
    "Barium",
    "CaseFile",
    "CaseInfo",
    "Cases",
    "Context",
    "Detection",
    "DocumentInfo",
    "Documents",
    "IssueReport",
    "IssuedCopy",
    "IssuedRecord",
    "Issuing",
    "JobInfo",
    "Jobs",
    "Principal",
    "PublicInfo",
    "PublicTexts",
    "RecipientInfo",
    "Recipients",
    "ReportInfo",
    "Reports",
    "ScanMatch",
    "SiteRow",
    "SitesReport",
    "SourceInfo",
    "Tracing",
    "UnitOfWork",
    "UserInfo",
    "Users",
    "WatchRunReport",
    "Watching",
]


class Barium:
    """A workspace and the services over it, acting for one actor.

    >>> with Barium.open("/tmp/ws") as b:                                   # doctest: +SKIP
    ...     doc = b.documents.add(Path("plan.md"), title="Operation plan")
    ...     b.recipients.add("Alice Example", email="alice@example.org")
    ...     b.issuing.issue(doc.id, all_recipients=True, out=Path("copies"))
    ...     print(b.tracing.trace(Path("leak.txt")).verdict)
    """

    def __init__(self, workspace: Workspace, actor: Actor | None = None) -> None:
        self.ws = workspace
        self.ctx = Context(workspace, actor or Actor.local_user())
        self.documents = Documents(self.ctx)
        self.recipients = Recipients(self.ctx)
        self.issuing = Issuing(self.ctx)
        self.detection = Detection(self.ctx)
        self.tracing = Tracing(self.ctx, self.detection)
        self.public = PublicTexts(self.ctx)
        self.watching = Watching(self.ctx, self.detection, self.tracing)
        self.audit = AuditLog(self.ctx)
        self.cases = Cases(self.ctx, self.tracing)
        self.reports = Reports(self.ctx, self.cases, self.issuing, self.audit)
        self.users = Users(self.ctx)
        self.jobs = Jobs(self.ctx)

    @property
    def actor(self) -> Actor:
        return self.ctx.actor

    @classmethod
    def init(cls, home: Path | str | None = None, *, actor: Actor | None = None) -> Barium:
        """Make a new workspace (see :meth:`Workspace.create`); its audit log starts here."""
        b = cls(Workspace.create(home), actor)
        with b.ctx.unit() as uow:
            uow.record("workspace.create", "workspace", home=str(b.ws.home))
        b.audit.note_settings()
        return b

    @classmethod
    def open(cls, home: Path | str | None = None, *, actor: Actor | None = None) -> Barium:
        """Open a workspace; settings changed since it was last opened go into the audit log."""
        b = cls(Workspace.open(home), actor)
        try:
            b.audit.note_settings()
        except BaseException:
            b.close()
            raise
        return b

    def close(self) -> None:
        self.ws.close()

    def __enter__(self) -> Barium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
