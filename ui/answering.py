"""An answer being fetched in the background, so the page stays usable while it streams.

Streamlit reruns the page script whenever the person clicks or types; an answer read inside the
script would be cut off by the next question. So each answer is read by its own thread into an
`AnswerJob`, which the page shows as it grows. The thread reads on an event loop of its own, so
Stop can cancel the read in any phase: the job is done at once, the connection closes, and the
server stops the answer (its search too) and keeps the question marked stopped.
"""

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from rag.ui.client import ApiError, ChatEvent


@dataclass
class AnswerJob:
    question: str
    collection: str
    status: str = ""
    text: str = ""
    result: dict[str, Any] | None = None
    error: str | None = None
    stopped: bool = False
    replaces: dict[str, Any] | None = None  # the turn a regenerated answer takes the place of
    _loop: asyncio.AbstractEventLoop | None = None
    _task: "asyncio.Task[None] | None" = None
    _done: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout_s: float) -> bool:
        return self._done.wait(timeout_s)

    def start(
        self, send: Callable[[], AsyncIterator[ChatEvent]], searching: str, reading: str
    ) -> None:
        """Read the streamed answer `send()` starts, on a thread. `searching` shows until the
        server starts answering, `reading` until the first verified sentence arrives."""
        self.status = searching
        threading.Thread(target=asyncio.run, args=(self._read(send, reading),), daemon=True).start()

    def finish(self) -> None:
        """Mark an answer given without the server (an empty collection) as done."""
        self._done.set()

    def stop(self) -> None:
        """Done now, with what was shown; the reading thread closes the connection."""
        with self._lock:
            if self.done:
                return
            self.stopped = True
            self._done.set()
            if self._loop is not None and self._task is not None:
                self._loop.call_soon_threadsafe(self._task.cancel)

    async def _read(self, send: Callable[[], AsyncIterator[ChatEvent]], reading: str) -> None:
        with self._lock:
            if self.stopped:
                return
            self._loop, self._task = asyncio.get_running_loop(), asyncio.current_task()
        try:
            async for kind, value in send():
                with self._lock:
                    if self.stopped:
                        return
                    if kind == "answering":
                        self.status = reading
                    elif kind == "text":
                        self.text += value
                        self.status = ""
                    else:
                        self.result = value
        except ApiError as exc:
            self.error = str(exc)
        except asyncio.CancelledError:
            pass  # stopped: leaving the stream closed the connection
        finally:
            self.finish()
