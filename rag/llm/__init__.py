"""Generation: chat models behind one protocol, run by one worker with a bounded queue.

A model streams text pieces; `rag.llm.worker.ModelWorker` owns it, admits at most a queue's
worth of requests, and enforces cancellation and timeouts. Backends: a local GGUF
(`rag.llm.local`) and any OpenAI-compatible server (`rag.llm.remote`).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

Message = dict[str, str]


@dataclass(frozen=True)
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int
    finish_reason: str  # "stop" | "length" | "cancelled"


class ChatModel(Protocol):
    model_id: str
    n_ctx: int
    # How many requests the backend can run at once (1 for a local GGUF).
    parallel: int
    # Names of the LoRA adapters a request may ask for (none: the base model only).
    adapters: frozenset[str]

    def count_tokens(self, messages: list[Message]) -> int:
        """Prompt tokens these messages take once rendered by the model's chat template."""
        ...

    def stream(
        self,
        messages: list[Message],
        max_tokens: int,
        stop: list[str],
        adapter: str | None = None,
        json_schema: dict[str, Any] | None = None,
    ) -> Iterator[str]:
        """Generated text, one piece (about one token) at a time, by the base model or with the
        named LoRA adapter applied; with `json_schema`, only JSON matching it can be generated."""
        ...
