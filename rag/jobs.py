"""Ingest jobs for the API: long ingests run on one background thread and report progress.

Jobs live in memory; a restarted server forgets them (the ledger keeps what they indexed, so a
re-run only does what is left).
"""

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from queue import Queue
from typing import Literal

from rag.errors import InvalidInputError, NotFoundError, RagError
from rag.ingest.sync import IngestReport

Status = Literal["queued", "running", "done", "failed"]
MAX_KEPT_JOBS = 1000


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

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            job.status = "running"
            try:
                job.report = self._run(job)
                job.status = "done"
            except RagError as exc:
                job.error, job.status = str(exc), "failed"
            except Exception as exc:  # a job must never take the runner down
                job.error, job.status = f"{type(exc).__name__}: {exc}", "failed"
