"""The table answerer in the answer chain (rag/answer/answerers.py), after the tool route and
before the document answerers: a question over a registered table of the collection is
answered by the engine, its rows cited; any other question goes on down the chain untouched.

It is a built-in answerer rather than a `rag.answerers` plugin: a plugin's context cites only
retrieved passages, while a computed answer cites table rows (`record`, `location`) and needs
the collection's table store, which the composition root owns.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rag.answer.types import AlignedSentence, Citation
from rag.errors import RagError
from rag.retrieve import RetrievedChunk
from rag.tables.answerer import StoreTables, TableAnswer, TableQuestionAnswerer
from rag.tables.matching import Matcher

if TYPE_CHECKING:
    from rag.answer.orchestrator import AnswerContext
    from rag.answer.stream import AnswerStream

MAX_CITED_ROWS = 10


@dataclass(frozen=True)
class TableCitation(Citation):
    """A citation of table rows: the row's cells (`record`) and where they stand
    (`location`, "sheet Sales 2025, rows 2-5"). A row of a large table that is not in the
    extracted text (only a sample of its rows is) has no offsets."""

    record: dict[str, str] | None = None
    location: str = ""
    spanned: bool = True

    def to_json(self) -> dict[str, object]:
        shown = {**super().to_json(), "location": self.location}
        shown.pop("record", None)
        if self.record is not None:
            shown["record"] = self.record
        if not self.spanned:
            shown.update(start=None, end=None)
        return shown


class TableAnswerer:
    name = "tables"

    def __init__(self, store: Any, matcher: Matcher | None = None) -> None:
        self._store = store
        self._matcher = matcher

    def try_answer(self, context: "AnswerContext") -> "AnswerStream | None":
        from rag.answer.stream import AnswerStream

        collection = context.request.collection
        source = StoreTables(self._store, collection)
        try:
            answer = TableQuestionAnswerer(source, self._matcher).answer(context.query, collection)
            if answer is None:
                return None
            citations = self._citations(collection, answer)
        except RagError:
            return None  # a refused or failed query: the documents may still answer
        result = context.result
        result.tool_calls += list(answer.calls)
        result.answer = answer.text
        result.citations = citations
        result.sentences = [AlignedSentence(answer.text, [c.id for c in citations], True)]
        return AnswerStream(result)

    def _citations(self, collection: str, answer: TableAnswer) -> list[Citation]:
        schema = answer.reading.view.schema
        rows = list(answer.rows)
        summary = None
        if answer.span is not None:
            count, first, last = answer.span
            if last - first + 1 == count and count <= MAX_CITED_ROWS:
                rows = list(range(first, last + 1))
            else:
                rows = [first]
                among = f"{count} rows among " if last - first + 1 != count else ""
                summary = f"{schema.location}, {among}rows {first}-{last}"
        cited = self._store.row_citations(collection, schema.name, rows[:MAX_CITED_ROWS])
        joined = answer.reading.joined
        if joined is not None:  # the earlier year's rows first, from which the change is
            beside = list(answer.joined_rows[:MAX_CITED_ROWS])
            cited = self._store.row_citations(collection, joined.schema.name, beside) + cited
        citations: list[Citation] = []
        for n, row in enumerate(cited, start=1):
            spanned = row.start is not None and row.end is not None
            start, end = (row.start, row.end) if spanned else (0, 0)
            chunk = RetrievedChunk(
                id=f"table:{row.table}:{row.row}", text=row.text, source=row.source,
                title=row.source.rsplit("/", 1)[-1], document_id=row.document_id,
                page=row.page, start=start, end=end, score=1.0, similarity=1.0,
            )  # fmt: skip
            citations.append(
                TableCitation(
                    f"c{n}",
                    chunk,
                    start,
                    end,
                    row.text,
                    1.0,
                    record=None if summary else row.record,
                    location=summary or row.location,
                    spanned=spanned,
                )  # fmt: skip
            )
        return citations
