"""Ingest jobs for the API: long ingests run on one background thread and report progress.

Jobs live in memory; a restarted server forgets them (the ledger keeps what they indexed, so a
re-run only does what is left). Deleting a collection cancels its jobs first: a queued one never
starts, a running one stops after the source it is on (each source is committed on its own).
"""

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from queue import Queue
from typing import Literal

from rag.errors import IndexLockedError, InvalidInputError, NotFoundError, RagError
from rag.ingest.report import IngestReport

Status = Literal["queued", "running", "done", "failed", "cancelled"]
MAX_KEPT_JOBS = 1000
# How long deleting a collection waits for its running job to reach the end of a source.
CANCEL_WAIT_S = 120.0


class JobCancelledError(Exception):
    """Raised inside a running job at its next source once it is cancelled."""


@dataclass
class IngestJob:
    id: str
    collection: str
    sources: list[str]
    status: Status = "queued"
    sources_done: int = 0
    report: IngestReport | None = None
    error: str | None = None
    created_at: float = field(default_factory=time.time)
    _cancelled: threading.Event = field(default_factory=threading.Event, repr=False)
    _cancel_reason: str = field(default="", repr=False)

    def progress(self, _source_id: str) -> None:
        """One more source handled; stops the job here once it is cancelled."""
        self.sources_done += 1
        if self._cancelled.is_set():
            raise JobCancelledError

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "collection": self.collection,
            "sources": self.sources,
            "status": self.status,
            "progress": {"sources_done": self.sources_done},
            "report": self.report.to_json() if self.report else None,
            "error": self.error,
            "created_at": self.created_at,
        }


def check_ingest_paths(paths: list[str], roots: list[Path]) -> list[str]:
    """Resolved paths, each inside one of the allowed roots (symlinks followed first)."""
    if not roots:
        raise InvalidInputError(
            "ingesting server-side paths is off; set RAG_API_INGEST_ROOTS to the folders "
            "the API may read, or upload files to /v1/documents"
        )
    allowed = [root.expanduser().resolve() for root in roots]
    checked = []
    for raw in paths:
        if "\x00" in raw:
            raise InvalidInputError("a path contains a NUL character")
        path = Path(raw).expanduser().resolve()
        if not any(path.is_relative_to(root) for root in allowed):
            raise InvalidInputError(f"{raw!r} is outside the allowed ingest roots")
        checked.append(str(path))
    return checked


class JobRunner:
    def __init__(self, run: Callable[[IngestJob], IngestReport]) -> None:
        self._run = run
        self._jobs: dict[str, IngestJob] = {}
        self._queue: Queue[IngestJob] = Queue()
        self._lock = threading.Lock()
        self._ended = threading.Condition(self._lock)
        threading.Thread(target=self._work, name="ingest-jobs", daemon=True).start()

    def submit(self, collection: str, sources: list[str]) -> IngestJob:
        job = IngestJob(str(uuid.uuid4()), collection, sources)
        with self._lock:
            if len(self._jobs) >= MAX_KEPT_JOBS:
                oldest = min(self._jobs.values(), key=lambda j: j.created_at)
                if oldest.status in ("done", "failed"):
                    del self._jobs[oldest.id]
            self._jobs[job.id] = job
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> IngestJob:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFoundError(f"no job {job_id!r}")
        return job

    def cancel(self, collection: str) -> None:
        """Cancel every job into `collection`; return once none of them is running."""
        reason = f"cancelled: collection {collection!r} was deleted"
        if not self._stop(lambda job: job.collection == collection, reason):
            raise IndexLockedError(
                f"an ingest job into {collection!r} is still on one source after "
                f"{CANCEL_WAIT_S:.0f} s; try again"
            )

    def close(self) -> None:
        """Cancel every job, and return once none is running: the index they write to is
        closed next (a job writing to a closed ledger crashed the interpreter)."""
        self._stop(lambda job: True, "cancelled: the server was shutting down")

    def _stop(self, which: Callable[[IngestJob], bool], reason: str) -> bool:
        with self._lock:
            chosen = [job for job in self._jobs.values() if which(job)]
            for job in chosen:
                job._cancel_reason = job._cancel_reason or reason
                job._cancelled.set()
                if job.status == "queued":
                    job.status, job.error = "cancelled", reason
            return self._ended.wait_for(
                lambda: all(job.status != "running" for job in chosen), CANCEL_WAIT_S
            )

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            with self._lock:
                if job._cancelled.is_set():
                    job.status, job.error = "cancelled", job._cancel_reason
                    continue
                job.status = "running"
            status: Status = "failed"
            try:
                job.report = self._run(job)
                status = "done"
            except JobCancelledError:
                job.error, status = job._cancel_reason, "cancelled"
            except RagError as exc:
                job.error = str(exc)
            except Exception as exc:  # a job must never take the runner down
                job.error = f"{type(exc).__name__}: {exc}"
            with self._lock:
                job.status = status
                self._ended.notify_all()
