"""Deterministic fakes for unit tests: a hash-seeded embedder and a scripted chat model."""

import hashlib
import math
import re
from collections.abc import Sequence

from rag.llm import Completion, Message

_WORD = re.compile(r"[a-z0-9]+")


class HashEmbedder:
    """Bag of hashed words: texts sharing words are similar, so retrieval behaves sensibly."""

    model_id = "hash-embedder"
    dimension = 1024

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._embed(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)

    def tokenize(self, text: str) -> list[int]:
        return [self._bucket(word) for word in text.split()]

    def _embed(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        for word in _WORD.findall(text.lower()):
            vector[self._bucket(word)] += 1.0
        norm = math.sqrt(sum(x * x for x in vector)) or 1.0
        return [x / norm for x in vector]

    def _bucket(self, word: str) -> int:
        return int.from_bytes(hashlib.sha256(word.encode()).digest()[:4], "big") % self.dimension


class ScriptedModel:
    """Returns queued replies in order; records every prompt it was given."""

    model_id = "scripted"

    def __init__(self, *replies: str) -> None:
        self.replies = list(replies)
        self.prompts: list[list[Message]] = []

    def complete(
        self, messages: list[Message], max_tokens: int, stop: list[str] | None = None
    ) -> Completion:
        self.prompts.append(messages)
        text = self.replies.pop(0) if self.replies else ""
        return Completion(
            text, prompt_tokens=100, completion_tokens=len(text.split()), finish_reason="stop"
        )
