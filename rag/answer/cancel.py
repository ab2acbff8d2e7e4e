"""Stopping an answer before its generation starts: searching, ranking, tool choice.

A streamed answer is stopped by cancelling its generation, but the work before it (retrieval,
embedding the retrieved sentences, the model choosing a tool) used to run to its end for a
client already gone. A front door runs the answer stage inside `cancellable(event)`; the stage
calls `check()` between its steps, and every generation submitted meanwhile shares the event
(rag/llm/worker.py), so setting it stops the work within one step or one token.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from rag.errors import RagError

if TYPE_CHECKING:
    from rag.answer.types import AskResult

_current: ContextVar[threading.Event | None] = ContextVar("answer_cancel", default=None)


class AnswerCancelledError(RagError):
    """The client stopped the answer (closed the connection or pressed Stop); `result` holds
    what was answered by then, when anything was."""

    def __init__(self, message: str, result: "AskResult | None" = None) -> None:
        super().__init__(message)
        self.result = result


@contextmanager
def cancellable(event: threading.Event) -> Iterator[None]:
    token = _current.set(event)
    try:
        yield
    finally:
        _current.reset(token)


def current_cancel() -> threading.Event | None:
    """The event of the answer being worked on in this thread, if any."""
    return _current.get()


def check() -> None:
    """Raise `AnswerCancelledError` when the answer being worked on has been stopped."""
    event = _current.get()
    if event is not None and event.is_set():
        raise AnswerCancelledError("the answer was stopped")
