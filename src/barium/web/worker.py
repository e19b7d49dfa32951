"""The server's job runner: threads that claim queued jobs and run them, acting for
the user who submitted each (the audit log names them, not the server).

Each kind is a function of the services, the job and a progress callback, and
returns the job's result. Files go to the job's folder through atomic writes;
the records live in :mod:`barium.services.jobs`, which says what survives a
killed server.
"""

from __future__ import annotations

import logging
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from barium.errors import BariumError
from barium.files import TEMP_PREFIX
from barium.services import Actor, Barium
from barium.services.issuing import MANIFEST
from barium.services.jobs import HEARTBEAT, JobInfo, worker_name
from barium.workspace import Workspace

log = logging.getLogger("barium.web")

Progress = Callable[[int, int, str], None]
Kind = Callable[[Barium, JobInfo, Path, Progress], dict[str, Any]]
ARCHIVE = "copies.zip"


def _issue(b: Barium, job: JobInfo, folder: Path, progress: Progress) -> dict[str, Any]:
    p = job.params
    copies = folder / "copies"
    report = b.issuing.issue(
        p["document"],
        to=p.get("to") or None,
        all_recipients=bool(p.get("all")),
        version=p.get("version"),
        out=copies,
        output=p.get("format"),
        stamp=p.get("stamp"),
        progress=lambda done, total: progress(done, total, f"{done} of {total} copies"),
    )
    progress(len(report.copies), len(report.copies), "packing the archive")
    _zip(copies, folder / ARCHIVE)
    # Names, not the server's paths: a result is shown to its user.
    return {**report.to_dict(), "manifest": MANIFEST, "archive": ARCHIVE}


def _zip(source: Path, target: Path) -> None:
    """The folder's files as one archive, renamed into place when complete."""
    tmp = target.with_name(TEMP_PREFIX + target.name)
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for path in sorted(source.iterdir()):
            if path.is_file() and not path.name.startswith(TEMP_PREFIX):
                z.write(path, path.name)
    tmp.replace(target)


def _watch_run(b: Barium, job: JobInfo, folder: Path, progress: Progress) -> dict[str, Any]:
    progress(0, 1, "fetching the watched sources")
    return b.watching.run(force=bool(job.params.get("force"))).to_dict()


def _scan(b: Barium, job: JobInfo, folder: Path, progress: Progress) -> dict[str, Any]:
    inbox = b.jobs.inbox(str(job.params["inbox"]))  # the uploaded files, as received
    progress(0, 1, f"scanning {len(list(inbox.iterdir()))} files")
    skipped: list[dict[str, str]] = []
    found = b.watching.scan(
        [inbox], on_skip=lambda s: skipped.append({"item": s.where.replace(f"{inbox}/", ""), "reason": s.reason})
    )
    return {"alerts": [m.to_dict() for m in found], "skipped": skipped}


def _report(b: Barium, job: JobInfo, folder: Path, progress: Progress) -> dict[str, Any]:
    progress(0, 1, "building the evidence report")
    case, fmt = int(job.params["case"]), job.params.get("format", "pdf")
    info = b.reports.write(case, folder / f"case-{case}-report.{'html' if fmt == 'html' else 'pdf'}")
    return {**info.to_dict(), "path": info.path.name}


def _audit_verify(b: Barium, job: JobInfo, folder: Path, progress: Progress) -> dict[str, Any]:
    progress(0, 1, "checking every entry of the audit log")
    return b.audit.verify().to_dict()


KINDS: dict[str, Kind] = {
    "issue": _issue,
    "watch.run": _watch_run,
    "scan": _scan,
    "report": _report,
    "audit.verify": _audit_verify,
}


def run_one(ws: Workspace, job: JobInfo) -> None:
    """Run a claimed job to its end, with a heartbeat beside it while it works."""
    b = Barium(ws, Actor("web", job.actor))
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(HEARTBEAT.total_seconds()):
            try:
                b.jobs.beat(job.id)
            except Exception:  # a missed beat is retried; the job itself goes on
                log.warning("heartbeat of job %s failed", job.id, exc_info=True)

    beater = threading.Thread(target=beat, name=f"barium-job-{job.id}-beat", daemon=True)
    beater.start()
    try:
        result = KINDS[job.kind](b, job, b.jobs.folder(job.id), lambda d, t, m: b.jobs.progress(job.id, d, t, m))
    except BariumError as exc:
        b.jobs.fail(job.id, exc.message)
    except Exception as exc:
        log.error("job %s (%s) failed", job.id, job.kind, exc_info=exc)
        b.jobs.fail(job.id, f"unexpected error ({type(exc).__name__}); see the server's log")
    else:
        b.jobs.finish(job.id, result)
    finally:
        stop.set()
        beater.join()


class Runner:
    """``threads`` threads, each claiming and running one job at a time."""

    def __init__(self, ws: Workspace, threads: int, *, poll: float = 0.5) -> None:
        self.ws, self.threads, self.poll = ws, threads, poll
        self.name = worker_name()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._pool: list[threading.Thread] = []

    def start(self) -> None:
        Barium(self.ws, Actor("system", self.name)).jobs.interrupt_stale()
        for n in range(self.threads):
            t = threading.Thread(target=self._loop, name=f"barium-runner-{n}", daemon=True)
            t.start()
            self._pool.append(t)

    def wake(self) -> None:
        """A job was just submitted: look now, not at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        for t in self._pool:
            t.join(timeout)

    def _loop(self) -> None:
        jobs = Barium(self.ws, Actor("system", self.name)).jobs
        idle = 0
        while not self._stop.is_set():
            try:
                job = jobs.claim(self.name, list(KINDS))
                if job is not None:
                    run_one(self.ws, job)
                    continue
                idle += 1
                if idle % 20 == 0:  # now and then: jobs whose runner died elsewhere
                    jobs.interrupt_stale()
            except Exception:
                log.error("the job runner failed; retrying", exc_info=True)
            self._wake.wait(self.poll)
            self._wake.clear()
