"""Example questions for a collection's first screen: facts its documents state, asked back as
questions, each offered only once the pipeline has answered it with support.

Candidates come from what a document states outright: the questions an FAQ answers, a table
row's figure ("What is the price of Aurora K2 wall bracket?"), a sentence giving a figure for a
named thing ("The warranty period is 10 years." → "What is the warranty period?"). Each is
answered by the answer stage without the model (retrieval, ranking, abstention, the quote, the
table engine) and kept when every sentence of the answer is supported, it cites the document
the question came from, and its support is confident (or the table engine read it). The full
pipeline then answers it with support too: with the model, each released sentence is verified,
and where none passes it falls back to the same quote (confident support rules out its
abstention). Found once per version of the collection (its documents' content hashes) and kept.
"""

import hashlib
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import zip_longest

from rag.answer.abstain import CONFIDENT_SUPPORT
from rag.answer.orchestrator import AnswerOrchestrator
from rag.answer.types import AskRequest, AskResult
from rag.ingest.ledger import Ledger
from rag.store import VectorStore

EXAMPLES = 3
MAX_CHECKED = 20  # candidates answered per collection version, at most
CHUNKS_READ = 6  # of each document, from its start
_FAQ = re.compile(r"^[A-Z][^?\n]{10,100}\?$")
_ROW = re.compile(r"^\s*\|(.+)\|\s*$")
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
# "The warranty period is 10 years." (a named thing of two words or more, a figure).
_STATED = re.compile(r"^The ((?:[a-z][\w-]*\s){1,5}[a-z][\w-]*) (is|are) ([^.?!]*\d[^.?!]*)\.$")
_GENERIC_COLUMNS = frozenset({"value", "values", "details", "description", "specification"})
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Candidate:
    question: str
    document_id: str


def candidate_questions(text: str) -> list[str]:
    """Questions `text` states the answer to, best kinds first: its FAQ entries, its table
    rows' figures, its sentences giving a figure for a named thing."""
    lines = [line.strip() for line in text.splitlines()]
    asked = [
        line
        for line, after in zip(lines, [*lines[1:], ""], strict=True)
        if _FAQ.fullmatch(line) and after and not after.endswith("?")
    ]
    stated = [
        f"What {verb} the {subject}?"
        for paragraph in re.split(r"\n\s*\n", text)
        for sentence in _SENTENCE_END.split(" ".join(paragraph.split()))
        if (match := _STATED.fullmatch(sentence.strip()))
        for subject, verb in [(match.group(1), match.group(2))]
    ]
    return list(dict.fromkeys([*asked, *_row_questions(lines), *stated]))


def _row_questions(lines: list[str]) -> Iterator[str]:
    """'What is the <column> of <row name>?' for a Markdown table row with a figure."""
    header: list[str] | None = None
    for line in lines:
        row = _ROW.fullmatch(line)
        if row is None:
            header = None
        elif _RULE.match(line):
            continue
        elif header is None:
            header = [cell.strip() for cell in row.group(1).split("|")]
        else:
            cells = [cell.strip() for cell in row.group(1).split("|")]
            if len(cells) != len(header) or not cells[0][:1].isupper():
                continue
            figures = [n for n in range(1, len(cells)) if re.search(r"\d", cells[n])]
            if not figures or not header[figures[-1]] or re.search(r"\d", header[figures[-1]]):
                continue  # no figure, or the "header" is a row of data itself
            column = header[figures[-1]].lower()
            if column in _GENERIC_COLUMNS:  # | Usable capacity | 13.5 kWh | under | Value |
                yield f"What is the {cells[0][0].lower()}{cells[0][1:]}?"
            else:
                yield f"What is the {column} of {cells[0]}?"


class ExampleQuestions:
    def __init__(
        self,
        ledger: Ledger,
        store: VectorStore,
        answers: AnswerOrchestrator,
        ask_request: Callable[..., AskRequest],
    ) -> None:
        self._ledger = ledger
        self._store = store
        self._answers = answers  # the answer stage without the model
        self._ask_request = ask_request
        self._found: dict[tuple[str, str], list[str]] = {}
        self._lock = threading.Lock()

    def for_collection(self, collection: str, count: int = EXAMPLES) -> list[str]:
        """Up to `count` questions the collection's documents answer, checked; one search
        per collection version (concurrent callers wait for it)."""
        records = self._ledger.sources(collection)
        version = hashlib.sha256(
            "\n".join(sorted(f"{r.source_id}\0{r.content_hash}" for r in records)).encode()
        ).hexdigest()
        with self._lock:
            key = (collection, version)
            if key not in self._found:
                self._found = {k: v for k, v in self._found.items() if k[0] != collection}
                self._found[key] = self._find(collection, count)
            return self._found[key]

    def _find(self, collection: str, count: int) -> list[str]:
        found: list[str] = []
        for checked, candidate in enumerate(self._candidates(collection)):
            if len(found) == count or checked == MAX_CHECKED:
                break
            request = self._ask_request(candidate.question, collection)
            if answers_with_support(self._answers.ask(request), candidate.document_id):
                found.append(candidate.question)
        return found

    def _candidates(self, collection: str) -> Iterator[Candidate]:
        """Each document's candidates, taken in turn (one from each document, then the next
        one from each), so the examples cover several documents."""
        per_document = []
        for record in self._ledger.sources(collection):
            points = self._store.retrieve(collection, record.chunk_ids[:CHUNKS_READ])
            text = "\n".join(point.payload["text"] for point in points)
            per_document.append(
                [Candidate(q, record.document_id) for q in candidate_questions(text)]
            )
        for round_ in zip_longest(*per_document):
            yield from (candidate for candidate in round_ if candidate is not None)


def answers_with_support(result: AskResult, document_id: str | None = None) -> bool:
    """An answer (not an abstention), every sentence supported, citing `document_id` when one
    is given; quoted or generated with confident support, or read from a table by the table
    engine (its rows cited), never computed by a tool from numbers read into the question."""
    tools = {call.name for call in result.tool_calls}
    cited = {c.chunk.document_id for c in result.citations}
    return (
        not result.abstained
        and bool(result.sentences)
        and all(s.supported for s in result.sentences)
        and (document_id is None or document_id in cited)
        and (tools == {"table_query"} or (not tools and result.support >= CONFIDENT_SUPPORT))
    )
