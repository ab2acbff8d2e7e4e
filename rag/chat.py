"""The orchestrator: retrieve → decide to abstain → generate → align citations → fall back."""

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from rag.answer import (
    ABSTAIN_TEXT,
    AlignedSentence,
    Citation,
    align,
    build_messages,
    quote_best_sentences,
)
from rag.embed import DenseEmbedder
from rag.errors import InvalidInputError
from rag.llm import ChatModel
from rag.retrieve import Mode, RetrievedChunk, Retriever
from rag.store import Filters
from rag.tools import ToolCall, ToolError, ToolRegistry
from rag.tools.arithmetic import arithmetic_only

MAX_QUESTION_CHARS = 4000
STOP = ["\nQuestion:", "\nSources:", "<source", "\n\n\n"]


@dataclass
class AskResult:
    answer: str
    abstained: bool
    conversation_id: str
    citations: list[Citation] = field(default_factory=list)
    sentences: list[AlignedSentence] = field(default_factory=list)
    closest_sources: list[RetrievedChunk] = field(default_factory=list)
    tool_calls: list[ToolCall] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "answer": self.answer,
            "abstained": self.abstained,
            "conversation_id": self.conversation_id,
            "citations": [c.to_json() for c in self.citations],
            "sentences": [
                {"text": s.text, "citations": s.citations, "supported": s.supported}
                for s in self.sentences
            ],
            "closest_sources": [c.to_json() for c in self.closest_sources],
            "tool_calls": [c.to_json() for c in self.tool_calls],
            "timings": self.timings,
        }


class ChatOrchestrator:
    def __init__(
        self,
        retriever: Retriever,
        model: ChatModel,
        tools: ToolRegistry,
        embedder: DenseEmbedder,
        *,
        max_tokens: int,
        abstain_min_similarity: float,
    ) -> None:
        self._retriever = retriever
        self._model = model
        self._tools = tools
        self._embedder = embedder
        self._max_tokens = max_tokens
        self._abstain_min_similarity = abstain_min_similarity

    def ask(
        self,
        question: str,
        collection: str,
        top_k: int,
        mode: Mode = "hybrid",
        filters: Filters | None = None,
        conversation_id: str | None = None,
    ) -> AskResult:
        question = question.strip()
        if not question:
            raise InvalidInputError("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise InvalidInputError(
                f"the question is {len(question)} characters; the limit is {MAX_QUESTION_CHARS}"
            )
        result = AskResult("", False, conversation_id or str(uuid.uuid4()))
        if self._answer_arithmetic(question, result):
            return result
        started = time.perf_counter()
        chunks = self._retriever.search(question, collection, top_k, mode, filters)
        result.timings["retrieve_ms"] = _ms_since(started)

        if not chunks or max(c.similarity for c in chunks) < self._abstain_min_similarity:
            result.answer, result.abstained, result.closest_sources = ABSTAIN_TEXT, True, chunks
            return result

        started = time.perf_counter()
        completion = self._model.complete(build_messages(question, chunks), self._max_tokens, STOP)
        result.timings["generate_ms"] = _ms_since(started)
        result.timings["prompt_tokens"] = completion.prompt_tokens
        result.timings["completion_tokens"] = completion.completion_tokens

        sentences, citations = align(completion.text, chunks)
        if any(s.supported for s in sentences):
            result.answer = " ".join(s.text for s in sentences)
            result.sentences, result.citations = sentences, citations
        else:
            # The model said nothing the sources support: quote them instead of inventing.
            result.answer, result.sentences, result.citations = quote_best_sentences(
                question, chunks, self._similarity_to(question)
            )
        return result

    def _similarity_to(self, question: str) -> Callable[[list[str]], list[float]]:
        def similarity(texts: list[str]) -> list[float]:
            query = self._embedder.embed_query(question)
            vectors = self._embedder.embed_documents(texts)
            return [sum(a * b for a, b in zip(query, v, strict=True)) for v in vectors]

        return similarity

    def _answer_arithmetic(self, question: str, result: "AskResult") -> bool:
        """Pure arithmetic is computed by the calculator, never by the model, and never abstains."""
        expression = arithmetic_only(question)
        if expression is None:
            return False
        try:
            call = self._tools.call("calculator", {"expression": expression})
        except ToolError:
            return False
        result.tool_calls.append(call)
        result.answer = f"{expression} = {call.result} (computed by the calculator)"
        result.sentences = [AlignedSentence(result.answer, [], True)]
        return True


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
