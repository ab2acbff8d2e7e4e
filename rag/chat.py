"""The orchestrator: retrieve → abstain? → fit the context → generate → align → fall back."""

import re
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from rag.answer import (
    ABSTAIN_TEXT,
    AlignedSentence,
    Citation,
    align_sentences,
    build_messages,
    quote_best_sentences,
    split_sentences,
)
from rag.condense import standalone_query
from rag.embed import DenseEmbedder
from rag.errors import InvalidInputError
from rag.llm import Message
from rag.llm.worker import Generation, ModelWorker
from rag.retrieve import Mode, RetrievedChunk, Retriever
from rag.store import Filters
from rag.tools import ToolCall, ToolError, ToolRegistry
from rag.tools.doc_arithmetic import (
    citations_for,
    compose,
    figures_stating,
    needs_document_arithmetic,
)
from rag.tools.model_calls import ModelToolLoop, numbers_in, wants_tool
from rag.tools.routing import route, tool_answer
from rag.tools.search import DocumentSearch

MAX_QUESTION_CHARS = 4000
# The timed stages of an answer: `timings["<stage>_ms"]`, reported by the API and `rag eval`.
ANSWER_STAGES = ("condense", "retrieve", "first_token", "generate")
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
    # Cosine similarity of the question to its best retrieved chunk (0 when nothing was searched).
    support: float = 0.0
    adapter: str | None = None  # the LoRA adapter the model answered with (None: the base)

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
            "support": round(self.support, 4),
            "adapter": self.adapter,
            "timings": self.timings,
        }


class AnswerStream:
    """An answer being generated: iterate it for text deltas, then read `result`.

    Sentences are held back until one of them is supported by the sources; if the model ends
    without any, the stream gives the fallback quote instead. So what streams is exactly
    `result.answer`, and a weak model's unsupported opening never reaches the reader alone.
    """

    def __init__(
        self,
        result: AskResult,
        generation: Generation | None = None,
        chunks: list[RetrievedChunk] | None = None,
        fallback: Callable[[], tuple[str, list[AlignedSentence], list[Citation]]] | None = None,
    ) -> None:
        self.result = result
        self._generation = generation
        self._chunks = chunks or []
        self._fallback = fallback
        self._emitted = 0

    def cancel(self) -> None:
        if self._generation is not None:
            self._generation.cancel()

    def __iter__(self) -> Iterator[str]:
        if self._generation is None:
            if self.result.answer:
                yield self.result.answer
            return
        started = time.perf_counter()
        text, done, released = "", [], False
        for piece in self._generation:
            if not text:
                self.result.timings["first_token_ms"] = _ms_since(started)
            text += piece
            complete = [sentence for _, sentence in split_sentences(text)][:-1]
            for sentence in complete[len(done) :]:
                done.append(sentence)
                released = released or _is_supported(sentence, self._chunks)
            if released:
                yield from self._deltas(done)
        self._record_usage(started)
        sentences = done + [sentence for _, sentence in split_sentences(text)][len(done) :]
        aligned, citations = align_sentences(sentences, self._chunks)
        if any(s.supported for s in aligned):
            self.result.answer = " ".join(sentences)
            self.result.sentences, self.result.citations = aligned, citations
            yield from self._deltas(sentences)
        elif says_not_in_sources(text):
            # The model followed its instruction to say the sources do not have the answer.
            self.result.answer, self.result.abstained = ABSTAIN_TEXT, True
            self.result.closest_sources = self._chunks
            yield ABSTAIN_TEXT
        elif self._fallback is not None and not self._generation.cancelled:
            # The model said nothing the sources support: quote them instead of inventing.
            answer, self.result.sentences, self.result.citations = self._fallback()
            self.result.answer = answer
            yield answer

    def _deltas(self, sentences: list[str]) -> Iterator[str]:
        for sentence in sentences[self._emitted :]:
            yield (" " if self._emitted else "") + sentence
            self._emitted += 1

    def _record_usage(self, started: float) -> None:
        completion = self._generation.completion
        self.result.timings["generate_ms"] = _ms_since(started)
        self.result.timings["prompt_tokens"] = completion.prompt_tokens
        self.result.timings["completion_tokens"] = completion.completion_tokens


class ChatOrchestrator:
    def __init__(
        self,
        retriever: Retriever,
        worker: ModelWorker,
        tools: ToolRegistry,
        embedder: DenseEmbedder,
        *,
        max_tokens: int,
        abstain_min_similarity: float,
        collection_adapters: Mapping[str, str] | None = None,
        model_tools: ModelToolLoop | None = None,
    ) -> None:
        self._retriever = retriever
        self._worker = worker
        self._tools = tools
        self._embedder = embedder
        self._max_tokens = max_tokens
        self._abstain_min_similarity = abstain_min_similarity
        self._collection_adapters = dict(collection_adapters or {})
        self._model_tools = model_tools

    def ask(
        self,
        question: str,
        collection: str,
        top_k: int,
        mode: Mode = "hybrid",
        filters: Filters | None = None,
        conversation_id: str | None = None,
        history: Sequence[Message] = (),
        adapter: str | None = None,
    ) -> AskResult:
        stream = self.stream(
            question, collection, top_k, mode, filters, conversation_id, history, adapter
        )
        for _ in stream:
            pass
        return stream.result

    def stream(
        self,
        question: str,
        collection: str,
        top_k: int,
        mode: Mode = "hybrid",
        filters: Filters | None = None,
        conversation_id: str | None = None,
        history: Sequence[Message] = (),
        adapter: str | None = None,
    ) -> AnswerStream:
        """Retrieve and admit the generation now (so "busy" is raised before anything streams).
        `adapter` names a LoRA adapter; by default the collection's, if it has one."""
        question = question.strip()
        if not question:
            raise InvalidInputError("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise InvalidInputError(
                f"the question is {len(question)} characters; the limit is {MAX_QUESTION_CHARS}"
            )
        result = AskResult("", False, conversation_id or str(uuid.uuid4()))
        if self._answer_by_tool(question, result):
            return AnswerStream(result)
        adapter = adapter or self._collection_adapters.get(collection)
        started = time.perf_counter()
        query = standalone_query(question, history)
        result.timings["condense_ms"] = _ms_since(started)
        started = time.perf_counter()
        chunks = self._retriever.search(query, collection, top_k, mode, filters)
        result.timings["retrieve_ms"] = _ms_since(started)
        result.support = max((c.similarity for c in chunks), default=0.0)
        supported = result.support >= self._abstain_min_similarity
        computes = needs_document_arithmetic(question)
        if supported and computes and self._answer_by_document_arithmetic(question, chunks, result):
            return AnswerStream(result)
        # Computations the parsers could not read: the model chooses the tools (no abstention
        # when it computed, as for any tool-only question).
        stated = wants_tool(question)
        if self._model_tools is not None and (computes or stated):
            # Figures the question names but does not state ("what do three Solar Gateway G3
            # units cost?") may be looked up; a question stating its figures needs no search.
            search = None if stated else DocumentSearch(self._retriever, collection, mode, filters)
            if self._answer_by_model_tools(question, search, adapter, result):
                return AnswerStream(result)
        if not supported:
            result.answer, result.abstained, result.closest_sources = ABSTAIN_TEXT, True, chunks
            return AnswerStream(result)
        messages, chunks = self._fit(question, chunks, list(history))
        result.adapter = adapter
        generation = self._worker.submit(messages, self._max_tokens, STOP, result.adapter)
        return AnswerStream(
            result,
            generation,
            chunks,
            fallback=lambda: quote_best_sentences(question, chunks, self._similarity_to(question)),
        )

    def _fit(
        self, question: str, chunks: list[RetrievedChunk], history: list[Message]
    ) -> tuple[list[Message], list[RetrievedChunk]]:
        """Messages that fit the model's context: drop the weakest sources, then old turns."""
        budget = self._worker.model.n_ctx - self._max_tokens
        while True:
            messages = build_messages(question, chunks, history)
            if self._worker.model.count_tokens(messages) <= budget:
                return messages, chunks
            if len(chunks) > 1:
                chunks = chunks[:-1]
            elif history:
                history = history[2:]
            else:
                raise InvalidInputError(
                    "the question and its best source do not fit the model's context "
                    f"({self._worker.model.n_ctx} tokens); shorten the question or raise "
                    "RAG_LLM_N_CTX"
                )

    def _similarity_to(self, question: str) -> Callable[[list[str]], list[float]]:
        def similarity(texts: list[str]) -> list[float]:
            query = self._embedder.embed_query(question)
            vectors = self._embedder.embed_documents(texts)
            return [sum(a * b for a, b in zip(query, v, strict=True)) for v in vectors]

        return similarity

    def _answer_by_document_arithmetic(
        self, question: str, chunks: list[RetrievedChunk], result: "AskResult"
    ) -> bool:
        """The calculator over figures parsed from the sources; False: answer as usual."""
        composed = compose(question, chunks)
        if composed is None:
            return False
        expression, figures = composed
        try:
            call = self._tools.call("calculator", {"expression": expression})
        except ToolError:
            return False
        result.tool_calls.append(call)
        _answer_with(call, result, citations_for(figures))
        return True

    def _answer_by_model_tools(
        self,
        question: str,
        search: DocumentSearch | None,
        adapter: str | None,
        result: "AskResult",
    ) -> bool:
        """The model's tool calls; a computed result is the answer, each figure a search found
        cited where it stands. False: nothing computed, the question is answered as usual."""
        tools = self._tools.with_functions(search.search_documents) if search else self._tools
        calls = self._model_tools.run(question, tools, adapter)
        result.tool_calls += calls
        computed = [call for call in calls if call.name in _COMPUTING_TOOLS]
        if not computed:
            return False
        found = numbers_in(str(computed[-1].arguments.get("expression", "")))
        figures = figures_stating(found - numbers_in(question), search.found if search else [])
        _answer_with(computed[-1], result, citations_for(figures))
        return True

    def _answer_by_tool(self, question: str, result: "AskResult") -> bool:
        """Arithmetic, conversions and dates are computed by a tool, never by the model."""
        routed = route(question)
        if routed is None:
            return False
        try:
            call = self._tools.call(routed.tool, routed.arguments)
        except ToolError:
            return False
        result.tool_calls.append(call)
        _answer_with(call, result, [])
        return True


# Tools whose result can answer a question the model computed (today's date or a search result
# only feed a computation).
_COMPUTING_TOOLS = frozenset({"calculator", "unit_convert", "days_between"})


def _answer_with(call: ToolCall, result: AskResult, citations: list[Citation]) -> None:
    result.answer = tool_answer(call)
    result.citations = citations
    result.sentences = [AlignedSentence(result.answer, [c.id for c in citations], True)]


_NOT_IN_SOURCES = re.compile(
    r"\b(documents?|sources?|context|text)\b[^.]{0,40}\b(do|does|did)\s*(not|n't)\s+"
    r"(say|state|contain|mention|include|specify|provide)"
    r"|\bno (information|mention)\b|\bnot (mentioned|stated|specified|provided)\b",
    re.I,
)


def says_not_in_sources(text: str) -> bool:
    """Whether a model's answer is its way of saying the sources lack the answer."""
    return bool(_NOT_IN_SOURCES.search(text))


def _is_supported(sentence: str, chunks: list[RetrievedChunk]) -> bool:
    aligned, _ = align_sentences([sentence], chunks)
    return aligned[0].supported


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
