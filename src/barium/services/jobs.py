"""Long work kept as records: issuing a thousand copies, a watch run, a report, a log check.

A job is a row before it is work: submitted as ``queued``, claimed by one runner
(an atomic ``queued -> running`` update, so two server processes never both run
it), kept ``running`` by a heartbeat while it works, and ended ``done`` or
``failed`` with its result or error. A runner killed mid-job leaves its row
``running`` with a heartbeat that stops; the next runner to look marks it
``interrupted``, so a record is never lost and never shown as still going.

Nothing a job does is half-applied: each service call it makes is its own unit of
work, and files it writes go to its own folder (``jobs/<id>`` in the workspace)
through an atomic rename. An interrupted issuing job has recorded the copies it
finished (copies are deterministic: running it again issues the rest and gives
the same bytes for those already done).
"""

from __future__ import annotations

import builtins
import json
import os
import re
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select, update

from barium.errors import NotFound
from barium.services.unit import Context
from barium.store import Job
from barium.store.models import utcnow

JobState = Literal["queued", "running", "done", "failed", "interrupted"]
HEARTBEAT = timedelta(seconds=5)  # a running job's row is touched at least this often
STALE = timedelta(seconds=30)  # a running job untouched this long has lost its runner
JOBS_FOLDER = "jobs"


@dataclass(frozen=True, slots=True)
class JobInfo:
    id: int
    kind: str
    state: JobState
    done: int
    total: int
    message: str
    actor: str
    actor_kind: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    params: dict[str, Any]
    result: dict[str, Any] | None

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed", "interrupted")

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "message": self.message,
            "actor": self.actor,
            "created_at": self.created_at.isoformat(),
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "params": self.params,
            "result": self.result,
        }


def _info(j: Job) -> JobInfo:
    state: JobState = j.state  # type: ignore[assignment]  # written only through this module
    return JobInfo(
        j.id,
        j.kind,
        state,
        j.done,
        j.total,
        j.message,
        j.actor,
        j.actor_kind,
        j.created_at,
        j.started_at,
        j.finished_at,
        json.loads(j.params),
        json.loads(j.result) if j.result else None,
    )


def worker_name() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}"


def _gone(worker: str | None) -> bool:
    """Whether ``worker`` was a process on this host that has since ended (its jobs need
    not wait out :data:`STALE`)."""
    host, _, pid = (worker or "").rpartition(":")
    if host != socket.gethostname()[:60] or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


class Jobs:
    """The job records: submit, claim, report progress, finish; and what a user may see."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def folder(self, job_id: int) -> Path:
        """Where a job writes its files (made 0700: copies and reports are confidential)."""
        root = self.ctx.ws.home / JOBS_FOLDER
        root.mkdir(mode=0o700, exist_ok=True)
        path = root / str(int(job_id))
        path.mkdir(mode=0o700, exist_ok=True)
        return path

    def inbox(self, name: str | None = None) -> Path:
        """A private folder for the files a job will read, filled before the job is submitted
        (a runner may claim it at once); a new one without ``name``, else the one so named."""
        root = self.ctx.ws.home / JOBS_FOLDER
        root.mkdir(mode=0o700, exist_ok=True)
        (root / "inbox").mkdir(mode=0o700, exist_ok=True)
        if name is None:
            name = secrets.token_hex(16)
        elif not re.fullmatch(r"[0-9a-f]{32}", name):
            raise NotFound(f"no inbox {name[:40]!r}")
        path = root / "inbox" / name
        path.mkdir(mode=0o700, exist_ok=True)
        return path

    def submit(self, kind: str, params: dict[str, Any], *, total: int = 0) -> JobInfo:
        with self.ctx.unit() as uow:
            j = Job(
                kind=kind,
                params=json.dumps(params, sort_keys=True),
                state="queued",
                done=0,
                total=total,
                message="waiting for a runner",
                actor=self.ctx.actor.name[:230],
                actor_kind=self.ctx.actor.kind,
            )
            uow.session.add(j)
            uow.session.flush()
            uow.record("job.submit", f"job {j.id}", kind=kind)
            return _info(j)

    def get(self, job_id: int, *, owner: str | None = None) -> JobInfo:
        """A job; with ``owner``, only when that user submitted it (others get NotFound, not a hint)."""
        with self.ctx.read() as session:
            j = session.get(Job, job_id)
            if j is None or (owner is not None and j.actor != owner):
                raise NotFound(f"no job {job_id}")
            return _info(j)

    def list(self, *, owner: str | None = None, limit: int = 50) -> builtins.list[JobInfo]:
        with self.ctx.read() as session:
            q = select(Job).order_by(Job.id.desc()).limit(limit)
            if owner is not None:
                q = q.where(Job.actor == owner)
            return [_info(j) for j in session.scalars(q)]

    # -- what a runner does -------------------------------------------------------------

    def claim(self, worker: str, kinds: builtins.list[str]) -> JobInfo | None:
        """The oldest queued job of these kinds, now running for ``worker``; None when there is none."""
        with self.ctx.read() as session:
            ids = list(
                session.scalars(
                    select(Job.id).where(Job.state == "queued", Job.kind.in_(kinds)).order_by(Job.id).limit(5)
                )
            )
        for job_id in ids:
            now = utcnow()
            with self.ctx.ws.db.session() as session:
                claimed = session.execute(
                    update(Job)
                    .where(Job.id == job_id, Job.state == "queued")
                    .values(state="running", worker=worker, started_at=now, heartbeat_at=now, message="started")
                ).rowcount  # type: ignore[attr-defined]
            if claimed == 1:  # another runner may have won this one
                return self.get(job_id)
        return None

    def beat(self, job_id: int) -> None:
        """Still running (a runner's heartbeat, between progress reports)."""
        with self.ctx.ws.db.session() as session:
            session.execute(update(Job).where(Job.id == job_id, Job.state == "running").values(heartbeat_at=utcnow()))

    def progress(self, job_id: int, done: int, total: int, message: str = "") -> None:
        """Progress, which is also the heartbeat."""
        with self.ctx.ws.db.session() as session:
            session.execute(
                update(Job)
                .where(Job.id == job_id, Job.state == "running")
                .values(done=done, total=total, message=message[:2000], heartbeat_at=utcnow())
            )

    def finish(self, job_id: int, result: dict[str, Any], message: str = "done") -> None:
        self._end(job_id, "done", message, result)

    def fail(self, job_id: int, message: str) -> None:
        self._end(job_id, "failed", message, None)

    def _end(self, job_id: int, state: JobState, message: str, result: dict[str, Any] | None) -> None:
        with self.ctx.unit() as uow:
            j = uow.session.get(Job, job_id)
            if j is None:
                raise NotFound(f"no job {job_id}")
            j.state, j.message, j.finished_at = state, message[:2000], utcnow()
            j.result = json.dumps(result, sort_keys=True, default=str) if result is not None else None
            if j.total and state == "done":
                j.done = j.total
            uow.record(f"job.{state}", f"job {j.id}", kind=j.kind, message=message[:200])

    def interrupt_stale(self, *, now: datetime | None = None) -> builtins.list[int]:
        """Mark ``interrupted`` every running job whose runner stopped beating, or whose
        runner was a process on this host that has ended."""
        moment = now or utcnow()

        def lost(j: Job) -> bool:
            return j.state == "running" and (
                j.heartbeat_at is None or j.heartbeat_at < moment - STALE or _gone(j.worker)
            )

        with self.ctx.read() as session:
            stale = [j.id for j in session.scalars(select(Job).where(Job.state == "running")) if lost(j)]
        for job_id in stale:
            with self.ctx.unit() as uow:
                j = uow.session.get(Job, job_id)
                if j is None or not lost(j):
                    continue
                j.state, j.finished_at = "interrupted", moment
                j.message = f"its server stopped at {j.done} of {j.total}: {j.message}"[:2000]
                uow.record("job.interrupted", f"job {j.id}", kind=j.kind, done=j.done, total=j.total)
        return stale
