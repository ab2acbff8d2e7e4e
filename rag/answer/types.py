"""What the answer stage takes and gives: one typed request in, one result out.

Front doors (CLI, REST, OpenAI chat) build an `AskRequest`; its checks are the only bounds on a
question and on top_k, and the core never re-validates or re-defaults it.
"""

import uuid
from dataclasses import dataclass, field
from typing import Any

from rag.errors import InvalidInputError
from rag.llm import Message
from rag.retrieve import RetrievedChunk
from rag.settings import MAX_TOP_K, RetrievalMode
from rag.store import Filters
from rag.tools import ToolCall

MAX_QUESTION_CHARS = 4000
# The timed stages of an answer: `timings["<stage>_ms"]`, reported by the API and `rag eval`.
ANSWER_STAGES = ("condense", "retrieve", "first_token", "generate")
ABSTAIN_TEXT = "The documents do not contain an answer to this question."
EMPTY_COLLECTION_TEXT = "This collection is empty: add documents to it, then ask again."


def checked_question(question: str) -> str:
    """The question stripped, or an input error saying what is wrong with it."""
    question = question.strip()
    if not question:
        raise InvalidInputError('the question is empty; ask something, e.g. rag ask "..."')
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidInputError(
            f"the question is {len(question)} characters; the limit is {MAX_QUESTION_CHARS}"
        )
    return question


@dataclass(frozen=True)
class AskRequest:
    question: str
    collection: str
    top_k: int
    mode: RetrievalMode
    filters: Filters | None = None
    history: tuple[Message, ...] = ()
    # A LoRA adapter from RAG_LLM_LORA_ADAPTERS; None: the collection's default, else the base.
    adapter: str | None = None
    conversation_id: str | None = None

    def __post_init__(self) -> None:
        question = checked_question(self.question)
        if not 1 <= self.top_k <= MAX_TOP_K:
            raise InvalidInputError(f"top_k must be between 1 and {MAX_TOP_K}, got {self.top_k}")
        object.__setattr__(self, "question", question)
        object.__setattr__(self, "history", tuple(self.history))


@dataclass(frozen=True)
class Citation:
    id: str
    chunk: RetrievedChunk
    start: int
    end: int
    text: str
    score: float

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "document_id": self.chunk.document_id,
            "source": self.chunk.source,
            "page": self.chunk.page,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "score": round(self.score, 4),
            # The chunk around the quote, for showing it in its surroundings:
            # context[start - context_start : end - context_start] == text.
            "context": self.chunk.text,
            "context_start": self.chunk.start,
            **self.chunk.span_fields(self.start, self.end),
            "chunk": self.chunk.to_json(),  # the whole chunk, for `from_json`
        }

    @classmethod
    def from_json(cls, shown: dict[str, Any]) -> "Citation":
        chunk = RetrievedChunk.from_json(shown["chunk"])
        return cls(shown["id"], chunk, shown["start"], shown["end"], shown["text"], shown["score"])


@dataclass
class AlignedSentence:
    text: str
    citations: list[str] = field(default_factory=list)
    supported: bool = False
    # Where the asked fact stands in `text` ("13.5 kWh"), when the answer quotes a source.
    answer_span: tuple[int, int] | None = None

    def to_json(self) -> dict[str, object]:
        shown: dict[str, object] = {
            "text": self.text,
            "citations": self.citations,
            "supported": self.supported,
        }
        if self.answer_span is not None:
            shown["answer_span"] = list(self.answer_span)
        return shown

    @classmethod
    def from_json(cls, shown: dict[str, Any]) -> "AlignedSentence":
        span = shown.get("answer_span")
        return cls(
            shown["text"],
            list(shown["citations"]),
            shown["supported"],
            tuple(span) if span else None,
        )


@dataclass
class AskResult:
    answer: str
    abstained: bool
    # None in the JSON of a stateless answer (`answer_json`), which stores no conversation.
    conversation_id: str | None
    citations: list[Citation] = field(default_factory=list)
    sentences: list[AlignedSentence] = field(default_factory=list)
    closest_sources: list[RetrievedChunk] = field(default_factory=list)
    tool_calls: list[ToolCall] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    # How well the best sentences answer the question, 0..1 (rag/answer/abstain.py; 0 when
    # nothing was searched).
    support: float = 0.0
    adapter: str | None = None  # the LoRA adapter the model answered with (None: the base)

    @classmethod
    def for_request(cls, request: AskRequest) -> "AskResult":
        return cls("", False, request.conversation_id or str(uuid.uuid4()))

    def to_json(self) -> dict[str, object]:
        return {
            "answer": self.answer,
            "abstained": self.abstained,
            "conversation_id": self.conversation_id,
            "citations": [c.to_json() for c in self.citations],
            "sentences": [s.to_json() for s in self.sentences],
            "closest_sources": [c.to_json() for c in self.closest_sources],
            "tool_calls": [c.to_json() for c in self.tool_calls],
            "support": round(self.support, 4),
            "adapter": self.adapter,
            "timings": self.timings,
        }

    @classmethod
    def from_json(cls, shown: dict[str, Any]) -> "AskResult":
        """The result an answer's JSON (`to_json`, or the API's `answer_json`) was made from."""
        return cls(
            answer=shown["answer"],
            abstained=shown["abstained"],
            conversation_id=shown["conversation_id"],
            citations=[Citation.from_json(c) for c in shown["citations"]],
            sentences=[AlignedSentence.from_json(s) for s in shown["sentences"]],
            closest_sources=[RetrievedChunk.from_json(c) for c in shown["closest_sources"]],
            tool_calls=[
                ToolCall(c["name"], c["arguments"], c["result"], c.get("plugin"))
                for c in shown["tool_calls"]  # less the trace's `summary`
            ],
            timings=dict(shown["timings"]),
            support=shown["support"],
            adapter=shown["adapter"],
        )
