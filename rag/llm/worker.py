"""The one owner of a chat model: worker threads behind a bounded request queue.

A local `Llama` crashes when two threads call it at once, and a request that waits forever is
worse than a clear "busy". So every generation goes through `ModelWorker.submit`, which admits a
request only while the queue has room (else `ModelBusyError`, the API's 429). The worker checks
the request's cancel flag and deadline before every piece it emits, so a caller that goes away
frees the model within one token.
"""

import math
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rag.answer.cancel import current_cancel
from rag.errors import (
    InvalidInputError,
    ModelBusyError,
    ModelError,
    ModelTimeoutError,
    RagError,
)
from rag.llm import ChatModel, Completion, Message

_END = object()


@dataclass
class _Request:
    messages: list[Message]
    max_tokens: int
    stop: list[str]
    deadline: float
    prompt_tokens: int
    adapter: str | None = None
    json_schema: dict[str, Any] | None = None
    generated: int = 0
    pieces: "queue.Queue[object]" = field(default_factory=queue.Queue)
    cancelled: threading.Event = field(default_factory=threading.Event)


class Generation:
    """A submitted request: iterate it for text pieces, then read `completion`."""

    def __init__(self, request: _Request) -> None:
        self._request = request
        self.completion: Completion | None = None

    def __iter__(self) -> Iterator[str]:
        request = self._request
        while True:
            remaining = request.deadline - time.monotonic()
            try:
                item = request.pieces.get(timeout=max(remaining, 0) + 1.0)
            except queue.Empty:
                self.cancel()
                raise ModelTimeoutError("the model did not answer in time; try again") from None
            if isinstance(item, Completion):
                self.completion = item
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]

    def result(self) -> Completion:
        for _ in self:
            pass
        assert self.completion is not None
        return self.completion

    def cancel(self) -> None:
        self._request.cancelled.set()

    @property
    def tokens_generated(self) -> int:
        """Pieces the model has produced so far, read or not."""
        return self._request.generated

    @property
    def cancelled(self) -> bool:
        return self._request.cancelled.is_set()


class ModelWorker:
    def __init__(self, model: ChatModel, *, queue_size: int, timeout_s: float) -> None:
        self.model = model
        self._queue: queue.Queue[_Request] = queue.Queue(maxsize=queue_size)
        self._timeout_s = timeout_s
        self._running = 0
        self._seconds_per_request = 5.0  # moving estimate, for Retry-After
        self._lock = threading.Lock()
        for n in range(max(model.parallel, 1)):
            threading.Thread(target=self._serve, name=f"model-worker-{n}", daemon=True).start()

    @property
    def queue_depth(self) -> int:
        return self._queue.qsize()

    @property
    def running(self) -> int:
        return self._running

    def submit(
        self,
        messages: list[Message],
        max_tokens: int,
        stop: list[str] | None = None,
        adapter: str | None = None,
        json_schema: dict[str, Any] | None = None,
    ) -> Generation:
        """Admit a request or raise `ModelBusyError` at once; never blocks. `json_schema`
        constrains the output to JSON that matches it."""
        if adapter is not None and adapter not in self.model.adapters:
            known = ", ".join(sorted(self.model.adapters)) or "none is configured"
            raise InvalidInputError(f"unknown LoRA adapter {adapter!r} (known: {known})")
        prompt_tokens = self.model.count_tokens(messages)
        if prompt_tokens + max_tokens > self.model.n_ctx:
            raise InvalidInputError(
                f"the prompt takes {prompt_tokens} tokens and the answer up to {max_tokens}, "
                f"more than the model's context of {self.model.n_ctx}; "
                "shorten the input or raise RAG_LLM_N_CTX"
            )
        request = _Request(
            messages,
            max_tokens,
            stop or [],
            time.monotonic() + self._timeout_s,
            prompt_tokens,
            adapter,
            json_schema,
        )
        # An answer stopped before or while this runs stops it too (rag/answer/cancel.py).
        request.cancelled = current_cancel() or request.cancelled
        try:
            self._queue.put_nowait(request)
        except queue.Full:
            raise ModelBusyError(
                f"the model is busy ({self._queue.maxsize} requests waiting); retry shortly",
                retry_after_s=self._retry_after(),
            ) from None
        return Generation(request)

    def complete(
        self,
        messages: list[Message],
        max_tokens: int,
        stop: list[str] | None = None,
        adapter: str | None = None,
        json_schema: dict[str, Any] | None = None,
    ) -> Completion:
        return self.submit(messages, max_tokens, stop, adapter, json_schema).result()

    def _retry_after(self) -> int:
        waiting = self._queue.qsize() + self._running
        return max(1, math.ceil(self._seconds_per_request * waiting / max(self.model.parallel, 1)))

    def _serve(self) -> None:
        while True:
            request = self._queue.get()
            with self._lock:
                self._running += 1
            started = time.monotonic()
            try:
                request.pieces.put(self._generate(request))
            except RagError as exc:
                request.pieces.put(exc)
            except Exception as exc:  # a backend failure must not kill the worker
                request.pieces.put(ModelError(f"the model failed: {exc}"))
            finally:
                with self._lock:
                    self._running -= 1
                    elapsed = time.monotonic() - started
                    self._seconds_per_request = 0.8 * self._seconds_per_request + 0.2 * elapsed

    def _generate(self, request: _Request) -> Completion:
        if request.cancelled.is_set():
            return Completion("", request.prompt_tokens, 0, "cancelled")
        if time.monotonic() > request.deadline:
            raise ModelTimeoutError("the request waited too long for the model; try again")
        pieces: list[str] = []
        finish = "stop"
        stream = self.model.stream(
            request.messages, request.max_tokens, request.stop, request.adapter, request.json_schema
        )
        try:
            for piece in stream:
                if request.cancelled.is_set():
                    finish = "cancelled"
                    break
                if time.monotonic() > request.deadline:
                    raise ModelTimeoutError(
                        "the answer took longer than RAG_LLM_TIMEOUT_S; try a shorter question"
                    )
                pieces.append(piece)
                request.generated += 1
                request.pieces.put(piece)
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()
        if finish == "stop" and len(pieces) >= request.max_tokens:
            finish = "length"
        return Completion("".join(pieces), request.prompt_tokens, len(pieces), finish)
