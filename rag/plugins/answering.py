"""Answerer plugins in the answer chain: each placed before or after a built-in answerer, given
a public context (rag/plugins/kinds.py) built from the request's own, and its answer turned into
a cited result. A plugin that fails, hangs or answers out of contract is reported and skipped:
the chain goes on as if it had declined."""

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from rag.errors import PluginError
from rag.plugins.kinds import AnswererContext, Passage, PluginAnswer
from rag.plugins.registry import PlacedAnswerer
from rag.tools import ToolRegistry

if TYPE_CHECKING:
    from rag.answer.orchestrator import AnswerContext, Answerer
    from rag.answer.stream import AnswerStream
    from rag.retrieve import RetrievedChunk

log = logging.getLogger(__name__)


class PluginAnswerer:
    def __init__(self, placed: PlacedAnswerer, tools: ToolRegistry) -> None:
        self.name = placed.plugin.name
        self._placed = placed
        self._tools = tools

    def try_answer(self, context: "AnswerContext") -> "AnswerStream | None":
        chunks: dict[str, RetrievedChunk] = {}

        def retrieve() -> list[Passage]:
            chunks.update({chunk.id: chunk for chunk in context.chunks})
            return [
                Passage(c.id, c.source, c.page, c.start, c.end, c.text, c.score)
                for c in context.chunks
            ]

        def call_tool(name: str, arguments: dict[str, Any]) -> str:
            call = self._tools.call(name, arguments)
            context.result.tool_calls.append(call)
            return call.result

        request = context.request
        public = AnswererContext(
            question=request.question,
            collection=request.collection,
            history=tuple(request.history),
            options=self._placed.options,
            retrieve=retrieve,
            tool_caller=call_tool,
        )
        guard = self._placed.guard
        try:
            answer = guard.call("try_answer", lambda: self._placed.plugin.try_answer(public))
            if answer is None:
                return None
            return _answered(context, answer, chunks, guard.fail)
        except PluginError as exc:
            log.warning("answerer skipped: %s", exc)
            return None


def _answered(
    context: "AnswerContext",
    answer: object,
    chunks: dict[str, "RetrievedChunk"],
    fail: Callable[[str], NoReturn],
) -> "AnswerStream":
    from rag.answer.stream import AnswerStream
    from rag.answer.types import AlignedSentence, Citation

    if not isinstance(answer, PluginAnswer) or not isinstance(answer.text, str):
        fail(f"try_answer returned {type(answer).__name__}, not a PluginAnswer or None")
    if not answer.text.strip():
        fail("try_answer returned an empty answer")
    unknown = [p.id for p in answer.cited if p.id not in chunks]
    if unknown:
        fail(f"the answer cites passages it was not given: {unknown}")
    cited = [chunks[p.id] for p in answer.cited]
    citations = [
        Citation(f"c{n}", chunk, chunk.start, chunk.end, chunk.text, chunk.score)
        for n, chunk in enumerate(cited, start=1)
    ]
    result = context.result
    result.answer = answer.text.strip()
    result.citations = citations
    result.sentences = [AlignedSentence(result.answer, [c.id for c in citations], bool(citations))]
    return AnswerStream(result)


def placed_chain(
    chain: Sequence["Answerer"], placed: Sequence[PlacedAnswerer], tools: ToolRegistry
) -> list["Answerer"]:
    """The built-in chain with each answerer plugin before or after the one it names (before
    abstention when that one is not in the chain, e.g. model_tools switched off)."""
    ordered = list(chain)
    for entry in placed:
        names = [getattr(answerer, "name", "") for answerer in ordered]
        if entry.anchor in names:
            at = names.index(entry.anchor) + (entry.relation == "after")
        else:
            at = names.index("abstention") if "abstention" in names else len(ordered)
        ordered.insert(at, PluginAnswerer(entry, tools))
    return ordered
