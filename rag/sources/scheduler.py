"""The server's schedule: a thread that syncs each due source, one sync at a time.

Sources are due by their stored `next_sync`, so a server that was down catches up on its first
pass: everything overdue syncs once (not once per missed period). A manual sync of the same
source through the API waits for a scheduled one to end, and the other way round.
"""

import logging
import threading
import time
from collections.abc import Callable

from rag.sources.service import SourceService

log = logging.getLogger(__name__)

POLL_S = 30.0  # the longest sleep: a source added meanwhile wakes the thread anyway


class SourceScheduler:
    def __init__(
        self,
        service: SourceService,
        clock: Callable[[], float] = time.time,
        poll_s: float = POLL_S,
    ) -> None:
        self._service = service
        self._clock = clock
        self._poll_s = poll_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        service.on_added = self._wake.set

    def run_due(self) -> list[str]:
        """Sync every source due now, one after the other; the ids synced."""
        ran = []
        for source in self._service.due(self._clock()):
            if self._stop.is_set():
                break
            if self._service.sync(source.id, wait=False) is not None:
                ran.append(source.id)
        return ran

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="source-schedule", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 120.0) -> None:
        """Stop after the document a running sync is on; return once the thread is done."""
        self._stop.set()
        self._service.stop()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_due()
            except Exception:  # the schedule must outlive any one failure
                log.exception("a pass of the source schedule failed")
            self._wake.wait(self._sleep_s())
            self._wake.clear()

    def _sleep_s(self) -> float:
        upcoming = [s.next_sync for s in self._service.all() if s.next_sync is not None]
        if not upcoming:
            return self._poll_s
        return max(0.5, min(self._poll_s, min(upcoming) - self._clock()))
