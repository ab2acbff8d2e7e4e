"""Deterministic fakes for unit tests: a hash-seeded embedder and a scripted chat model."""

import hashlib
import math
import re
import threading
import time
from collections.abc import Iterator, Sequence

from rag.llm import Message

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
    """Streams queued replies in order, a word at a time; records every prompt it was given."""

    model_id = "scripted"
    n_ctx = 4096
    parallel = 1

    def __init__(self, *replies: str, adapters: frozenset[str] = frozenset()) -> None:
        self.replies = list(replies)
        self.prompts: list[list[Message]] = []
        self.adapters = adapters
        self.adapters_used: list[str | None] = []
        self.schemas_used: list[dict | None] = []

    def count_tokens(self, messages: list[Message]) -> int:
        return sum(len(m["content"].split()) for m in messages)

    def stream(
        self,
        messages: list[Message],
        max_tokens: int,
        stop: list[str],
        adapter: str | None = None,
        json_schema: dict | None = None,
    ) -> Iterator[str]:
        self.prompts.append(messages)
        self.adapters_used.append(adapter)
        self.schemas_used.append(json_schema)
        text = self.replies.pop(0) if self.replies else ""
        yield from re.findall(r"\S+\s*", text)[:max_tokens]


class SlowModel(ScriptedModel):
    """A scripted model that takes `seconds_per_word`, counting the words it produced. While
    `gate` is clear, every answer waits before its first word: a test holds an answer in
    progress for as long as it needs, whatever the machine's load."""

    def __init__(self, seconds_per_word: float = 0.05) -> None:
        super().__init__()
        self.seconds_per_word = seconds_per_word
        self.words = 0
        self.gate = threading.Event()
        self.gate.set()

    def stream(self, *args: object, **kwargs: object) -> Iterator[str]:
        self.gate.wait()
        for word in super().stream(*args, **kwargs):
            time.sleep(self.seconds_per_word)
            self.words += 1
            yield word
