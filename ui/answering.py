"""An answer being fetched in the background, so the page stays usable while it streams.

Streamlit reruns the page script whenever the person clicks or types; an answer read inside the
script would be cut off by the next question. So each answer is read by its own thread into an
`AnswerJob`, which the page shows as it grows. Stop closes the HTTP stream: the server notices
the disconnect and cancels the generation, freeing the model for the next question.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rag.ui.client import ApiError, ChatReply


@dataclass
class AnswerJob:
    question: str
    collection: str
    status: str = ""
    text: str = ""
    result: dict[str, Any] | None = None
    error: str | None = None
    stopped: bool = False
    _reply: ChatReply | None = None
    _done: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout_s: float) -> bool:
        return self._done.wait(timeout_s)

    def start(self, send: Callable[[], ChatReply], searching: str, reading: str) -> None:
        """Run `send` (which starts a streamed chat completion) and read it on a thread.

        `searching` shows until the server answers (it has retrieved and admitted the
        generation by then), `reading` until the first verified sentence arrives."""
        self.status = searching
        threading.Thread(target=self._read, args=(send, reading), daemon=True).start()

    def finish(self) -> None:
        """Mark an answer given without the server (an empty collection) as done."""
        self._done.set()

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            reply = self._reply
        if reply is not None:
            reply.close()  # unblocks the reading thread; the server sees the disconnect

    def _read(self, send: Callable[[], ChatReply], reading: str) -> None:
        try:
            reply = send()
            with self._lock:
                self._reply = reply
                stopped = self.stopped
            if stopped:
                reply.close()
                return
            self.status = reading
            for delta in reply.deltas():
                self.text += delta
                self.status = ""
            self.result = reply.result or None
        except ApiError as exc:
            if not self.stopped:
                self.error = str(exc)
        finally:
            self.finish()
