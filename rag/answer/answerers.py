"""The answerers, each `try_answer(context) -> AnswerStream | None`, and their default order."""

import re
from collections.abc import Callable

from rag.answer.abstain import (
    CONFIDENT_SUPPORT,
    abstain,
    says_not_in_sources,
    states_nothing_asked,
    unmentioned,
)
from rag.answer.context import Evidence, best_answer_like, read_on, runner_up, select_context
from rag.answer.doc_arithmetic import (
    citations_for,
    compose,
    figures_stating,
    needs_document_arithmetic,
)
from rag.answer.lists import LIST_MARGIN, best_list
from rag.answer.model_tools import ModelToolLoop, wants_tool
from rag.answer.orchestrator import AnswerContext, Answerer
from rag.answer.prompt import STOP, build_messages
from rag.answer.question import LISTING
from rag.answer.rows import row_sentence
from rag.answer.stream import AnswerStream
from rag.answer.text import numbers_in, without_links
from rag.answer.tool_route import route, tool_answer
from rag.answer.types import EMPTY_COLLECTION_TEXT, AlignedSentence, AskResult, Citation
from rag.answer.verify import AnswerVerifier, cite
from rag.errors import InvalidInputError
from rag.llm import Message
from rag.llm.worker import ModelWorker
from rag.retrieve import Retriever
from rag.tables.understand import asks_computation
from rag.tools import Tool, ToolCall, ToolError, ToolRegistry
from rag.tools.search import DocumentSearch

# Tools whose result can answer a question the model computed (today's date or a search result
# only feed a computation).
COMPUTING_TOOLS = frozenset({"calculator", "unit_convert", "days_between"})
_EMPHASIS = re.compile(r"\*\*|__")  # Markdown bold


def answer_with(call: ToolCall, result: AskResult, citations: list[Citation]) -> AnswerStream:
    """`call`'s result as the answer (the caller has recorded the call)."""
    result.answer = tool_answer(call)
    result.citations = citations
    result.sentences = [AlignedSentence(result.answer, [c.id for c in citations], True)]
    return AnswerStream(result)


class ToolRouteAnswerer:
    """Arithmetic, conversions and dates the question states outright, and questions a tool
    plugin's own router reads as its call: a tool computes them, never the model, and no
    document is searched."""

    name = "tool_route"

    def __init__(self, tools: ToolRegistry) -> None:
        self._tools = tools

    def try_answer(self, context: AnswerContext) -> AnswerStream | None:
        question = context.request.question
        routed = route(question)
        chosen = (routed.tool, routed.arguments) if routed else self._tools.route(question)
        if chosen is None:
            return None
        try:
            call = self._tools.call(*chosen)
        except ToolError:
            return None
        context.result.tool_calls.append(call)
        return answer_with(call, context.result, [])


class DocumentArithmeticAnswerer:
    """The calculator over figures parsed from the sources ("what do three G3 units cost?")."""

    name = "document_arithmetic"

    def __init__(self, tools: ToolRegistry, min_support: float) -> None:
        self._tools = tools
        self._min_support = min_support

    def try_answer(self, context: AnswerContext) -> AnswerStream | None:
        question = context.request.question
        if not needs_document_arithmetic(question) or not _supported(context, self._min_support):
            return None
        composed = compose(question, context.chunks)
        if composed is None:
            return None
        expression, figures = composed
        try:
            call = self._tools.call("calculator", {"expression": expression})
        except ToolError:
            return None
        context.result.tool_calls.append(call)
        return answer_with(call, context.result, citations_for(figures))


class ModelToolsAnswerer:
    """Computations the parsers could not read: the model chooses the tools. A computed result
    is the answer, each figure a search found cited where it stands."""

    name = "model_tools"

    def __init__(
        self,
        tools: ToolRegistry,
        loop: ModelToolLoop,
        retriever: Retriever,
        table_tool: Callable[[str], Tool | None] | None = None,
    ) -> None:
        self._tools = tools
        self._loop = loop
        self._retriever = retriever
        self._table_tool = table_tool  # a collection's table_query tool, for a capable model

    def try_answer(self, context: AnswerContext) -> AnswerStream | None:
        request = context.request
        stated = wants_tool(request.question)
        table = self._table_tool(request.collection) if self._table_tool else None
        computes = table is not None and asks_computation(request.question)
        if not (stated or computes or needs_document_arithmetic(request.question)):
            return None
        # Figures the question names but does not state ("what do three Solar Gateway G3
        # units cost?") may be looked up; a question stating its figures needs no search.
        search = (
            None
            if stated
            else DocumentSearch(self._retriever, request.collection, request.mode, request.filters)
        )
        bound = [*([search.search_documents] if search else []), *([table] if table else [])]
        tools = self._tools.with_functions(*bound) if bound else self._tools
        calls = self._loop.run(request.question, tools, context.adapter)
        # A plugin's tool result answers as a computing tool's does.
        computed = [
            c
            for c in calls
            if c.name in COMPUTING_TOOLS or c.plugin is not None or c.name == "table_query"
        ]
        context.result.tool_calls += calls
        if not computed:
            return None
        found = numbers_in(str(computed[-1].arguments.get("expression", "")))
        if computed[-1].name == "calculator" and not numbers_in(request.question) <= found:
            return None  # it left out a figure the question gives ("17 + 2450" for 17 + 12%)
        figures = figures_stating(
            found - numbers_in(request.question), search.found if search else []
        )
        return answer_with(computed[-1], context.result, citations_for(figures))


class AbstentionAnswerer:
    """The best sentences do not answer the question: say so, with the closest sources."""

    name = "abstention"

    def __init__(self, min_support: float) -> None:
        self._min_support = min_support

    def try_answer(self, context: AnswerContext) -> AnswerStream | None:
        if context.collection_empty:
            abstain(context.result, [], EMPTY_COLLECTION_TEXT)
        elif missing := unmentioned(context.focus, context.chunks):
            abstain(context.result, context.chunks, f"The documents do not mention {missing}.")
        elif states_nothing_asked(context.focus, context.evidence):
            abstain(context.result, context.chunks)
        elif _supported(context, self._min_support):
            return None
        else:
            abstain(context.result, context.chunks)
        return AnswerStream(context.result)


def _supported(context: AnswerContext, min_support: float) -> bool:
    return bool(context.chunks) and context.support >= min_support


class ExtractiveQuoteAnswerer:
    """The source sentence that best answers the question, quoted and cited, its answer span
    marked: a table row as a sentence naming the asked column, a sentence leaning on the one
    before with that one, a lead-in with the list it announces, a list item with its whole
    list when the question asks for a list or steps; beside it, a sentence the ranker cannot
    tell from it (`runner_up`)."""

    name = "extractive_quote"

    def quote(self, context: AnswerContext) -> None:
        best = best_answer_like(context.evidence)
        result = context.result
        if best is None:
            abstain(result, context.chunks)
            return
        citations: dict[tuple[str, int], Citation] = {}
        kind = context.focus.answer_type
        negated = context.focus.negated
        listed = kind in LISTING and best_list(context.evidence, LIST_MARGIN[kind], negated)
        quoted = listed or read_on(best, context.evidence, context.focus)
        added = [] if listed else runner_up(best, quoted, context.evidence, context.focus)
        quoted = [*quoted, *added]
        links = context.focus.asks_for_link
        shown = [_as_prose(row_sentence(e.reads, context.focus), links) for e in quoted]
        # the asked value's span: in the best sentence, or the one read on into when the best
        # lacks it, and in the runner-up quoted beside it
        marked = [best if best.typed or listed else next((e for e in quoted if e.typed), best)]
        marked += [e for e in added if e.typed]
        result.sentences = [
            AlignedSentence(
                text,
                [cite(e.span, e.score, citations).id],
                True,
                context.focus.answer_span(text) if any(e is m for m in marked) else None,
            )
            for e, text in zip(quoted, shown, strict=True)
            if text  # a list item that was only an image
        ]
        texts = [s.text for s in result.sentences]
        result.answer = list_text(texts) if listed else " ".join(texts)
        result.citations = list(citations.values())

    def try_answer(self, context: AnswerContext) -> AnswerStream | None:
        self.quote(context)
        return AnswerStream(context.result)


def list_text(texts: list[str]) -> str:
    """A quoted list as one text: its lead line, then an item a line. The sentence naming what
    is asked reads on into the lead-in after it: "The HWRC is on Quarry Lane. Items accepted
    include:"."""
    lead = 2 if len(texts) > 2 and texts[1].endswith(":") and not texts[0].endswith(":") else 1
    return " ".join(texts[:lead]) + "".join(f"\n- {t}" for t in texts[lead:])


def _as_prose(text: str, links: bool = False) -> str:
    """A source sentence as the answer shows it: a wrapped line as one, without the Markdown
    bold that a list item's span ends in ("Eco**: saves energy"), and without the images and
    links beside it unless the question asks for a link (`links`)."""
    text = " ".join(_EMPHASIS.sub("", text).split())
    return text if links else without_links(text)


class GroundedGenerationAnswerer:
    """The model answers from the selected sentences; each sentence it writes is verified as it
    streams, and the extractive quote stands in when none passes."""

    name = "grounded_generation"

    def __init__(
        self, worker: ModelWorker, max_tokens: int, quote: ExtractiveQuoteAnswerer
    ) -> None:
        self._worker = worker
        self._max_tokens = max_tokens
        self._quote = quote

    def try_answer(self, context: AnswerContext) -> AnswerStream | None:
        request = context.request
        if context.focus.answer_type in LISTING:
            return None  # the quote gives the list whole
        messages = self._fit(
            request.question, select_context(context.evidence), list(request.history)
        )
        context.result.adapter = context.adapter
        generation = self._worker.submit(messages, self._max_tokens, STOP, context.adapter)
        verifier = AnswerVerifier(context.focus, context.evidence, context.synonyms)

        def settle(model_text: str) -> None:
            if says_not_in_sources(model_text) and context.support < CONFIDENT_SUPPORT:
                abstain(context.result, context.chunks)
            else:
                self._quote.quote(context)

        return AnswerStream(context.result, generation, verifier, settle)

    def _fit(
        self, question: str, evidence: list[Evidence], history: list[Message]
    ) -> list[Message]:
        """Messages that fit the model's context: drop the weakest sentences, then old turns."""
        budget = self._worker.model.n_ctx - self._max_tokens
        while True:
            messages = build_messages(question, evidence, history)
            if self._worker.model.count_tokens(messages) <= budget:
                return messages
            if len(evidence) > 1:
                evidence = evidence[:-1]
            elif history:
                history = history[2:]
            else:
                raise InvalidInputError(
                    "the question and its best source do not fit the model's context "
                    f"({self._worker.model.n_ctx} tokens); shorten the question or raise "
                    "RAG_LLM_N_CTX"
                )


def default_chain(
    retriever: Retriever,
    worker: ModelWorker,
    tools: ToolRegistry,
    *,
    max_tokens: int,
    abstain_min_support: float,
    model_tools: ModelToolLoop | None,
    tables: Answerer | None = None,
    table_tool: Callable[[str], Tool | None] | None = None,
) -> list[Answerer]:
    """The chain; `tables` (rag/tables/chain.py) answers questions over registered tables by
    the engine, after the tool route (arithmetic the question states) and document arithmetic
    (a sum of figures the question names, which a table lookup would answer with one row), and
    before the other document answerers."""
    quote = ExtractiveQuoteAnswerer()
    return [
        ToolRouteAnswerer(tools),
        DocumentArithmeticAnswerer(tools, abstain_min_support),
        *([tables] if tables is not None else []),
        *([ModelToolsAnswerer(tools, model_tools, retriever, table_tool)] if model_tools else []),
        AbstentionAnswerer(abstain_min_support),
        GroundedGenerationAnswerer(worker, max_tokens, quote),
        quote,
    ]
