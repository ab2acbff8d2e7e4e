"""The answer stage's entry point: a request goes down a chain of answerers; the first that
answers wins. The order is data (`default_chain` in rag/answer/answerers.py):

    tool route → document arithmetic → model tool calls → abstention → grounded generation
    → extractive quote

Retrieval and the ranking of its sentences run once, the first time an answerer needs them.
"""

import time
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Protocol

from rag.answer.abstain import SupportSignal
from rag.answer.cancel import check
from rag.answer.condense import standalone_query
from rag.answer.context import Evidence, Similarity, rank_evidence
from rag.answer.holidays import with_holiday_dates
from rag.answer.layout import ends_in_list
from rag.answer.question import LISTING, QuestionFocus, analyse
from rag.answer.stream import AnswerStream, ms_since
from rag.answer.synonyms import Synonyms, no_synonyms
from rag.answer.types import AskRequest, AskResult
from rag.retrieve import RetrievedChunk, Retriever, joined


class AnswerContext:
    """One request being answered: its result so far and, on first use, its retrieved chunks
    and their sentences ranked against the question."""

    def __init__(
        self,
        request: AskRequest,
        retriever: Retriever,
        similarity: Similarity,
        support: SupportSignal,
        adapter: str | None,
        known_word: Callable[[str], bool],
        synonyms: Synonyms,
    ) -> None:
        self.request = request
        self.result = AskResult.for_request(request)
        self.adapter = adapter
        self._retriever = retriever
        self._similarity = similarity
        self._support = support
        self._known_word = known_word
        self.synonyms = synonyms

    @cached_property
    def query(self) -> str:
        """The question made standalone with what the conversation named (rag/answer/condense),
        a holiday it names dated (rag/answer/holidays)."""
        started = time.perf_counter()
        query = with_holiday_dates(standalone_query(self.request.question, self.request.history))
        self.result.timings["condense_ms"] = ms_since(started)
        return query

    @cached_property
    def focus(self) -> QuestionFocus:
        return analyse(self.query, self._known_word, self.synonyms)

    @cached_property
    def evidence(self) -> list[Evidence]:
        """Every sentence of the retrieved chunks, best first (rag/answer/context.py)."""
        chunks = self.chunks
        check()
        return rank_evidence(self.focus, chunks, self._similarity)

    @cached_property
    def support(self) -> float:
        """How well the best sentences answer the question (rag/answer/abstain.py); recorded
        in the result, where evaluations replay abstention thresholds on it."""
        self.result.support = self._support(self.focus, self.evidence)
        return self.result.support

    @cached_property
    def collection_empty(self) -> bool:
        return not self.chunks and self._retriever.is_empty(self.request.collection)

    @cached_property
    def chunks(self) -> list[RetrievedChunk]:
        request = self.request
        query = self.query
        check()
        started = time.perf_counter()
        chunks = self._retriever.search(
            query, request.collection, request.top_k, request.mode, request.filters
        )
        if self.focus.answer_type in LISTING:
            chunks = [
                self._run_on(chunk) if n < RUN_ON_TOP or ends_in_list(chunk) else chunk
                for n, chunk in enumerate(chunks)
            ]
        self.result.timings["retrieve_ms"] = ms_since(started)
        return chunks

    def _run_on(self, chunk: RetrievedChunk) -> RetrievedChunk:
        """`chunk` with the chunk after it, for a list or steps question: a list the chunk
        boundary cuts ("1. Complete the form. 2. ..." with step 3 in the next chunk) reads
        whole. Not for other questions: what the next chunk adds changes their support, and
        on both blind sets a definition question came to abstain."""
        following = self._retriever.following(self.request.collection, chunk)
        return joined(chunk, following) if following else chunk


# A list or steps question's best chunks run on into the next ones: a chunk may end in the
# sentence naming what is asked, with the list it announces in the next ("... is on Quarry Lane.
# ... Items accepted include:"). Town tuning sets, quote only: 0 -> 3 is +1 right, FA -0.004.
RUN_ON_TOP = 3


class Answerer(Protocol):
    def try_answer(self, context: AnswerContext) -> AnswerStream | None:
        """The answer (possibly still being generated), or None to let the next one try."""


class AnswerOrchestrator:
    def __init__(
        self,
        retriever: Retriever,
        similarity: Similarity,
        support: SupportSignal,
        chain: Sequence[Answerer],
        adapter_for: Callable[[str], str | None] = lambda collection: None,
        known_word: Callable[[str], bool] = lambda word: True,
        synonyms: Synonyms = no_synonyms,
    ) -> None:
        self._retriever = retriever
        self._similarity = similarity
        self._support = support
        self._chain = list(chain)
        self._adapter_for = adapter_for
        self._known_word = known_word  # an ordinary word, not a name (rag/answer/question.py)
        self._synonyms = synonyms

    def ask(self, request: AskRequest) -> AskResult:
        return self.stream(request).read_out()

    def without(self, *names: str) -> "AnswerOrchestrator":
        """The same stage less the answerers of these names (example questions are checked
        without the model)."""
        kept = [a for a in self._chain if getattr(a, "name", None) not in names]
        return AnswerOrchestrator(
            self._retriever,
            self._similarity,
            self._support,
            kept,
            self._adapter_for,
            self._known_word,
            self._synonyms,
        )

    def stream(self, request: AskRequest) -> AnswerStream:
        """Answer up to the generation, which is admitted now (so "busy" is raised before
        anything streams)."""
        adapter = request.adapter or self._adapter_for(request.collection)
        context = AnswerContext(
            request,
            self._retriever,
            self._similarity,
            self._support,
            adapter,
            self._known_word,
            self._synonyms,
        )
        for answerer in self._chain:
            check()
            answer = answerer.try_answer(context)
            if answer is not None:
                return answer
        return AnswerStream(context.result)
