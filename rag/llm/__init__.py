"""Generation: chat models behind one protocol (local GGUF now; remote OpenAI-compatible later)."""

from dataclasses import dataclass
from typing import Protocol

Message = dict[str, str]


@dataclass(frozen=True)
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int
    finish_reason: str


class ChatModel(Protocol):
    model_id: str

    def complete(
        self, messages: list[Message], max_tokens: int, stop: list[str] | None = None
    ) -> Completion: ...
