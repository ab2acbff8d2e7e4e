"""Answer evaluation: does the answer hold a gold answer, cite a gold source, resolve its quotes,
and abstain exactly when the documents do not contain the answer?

Each question is asked through the real orchestrator (`ChatOrchestrator.ask`), so the scores are
those of the answers users get. Citations are checked against the source file itself, re-read
from disk: `page_text[start:end] == text`.
"""

import statistics
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rag.answer.text import sentences_of
from rag.answer.types import ANSWER_STAGES, AskResult, Citation
from rag.connectors.files import scan_path
from rag.eval.retrieval import (
    EvalQuestion,
    answer_contains,
    eval_collection_name,
    evaluate_retrieval,
    load_dataset,
)
from rag.ingest.readers import read_documents
from rag.retrieve import Mode

if TYPE_CHECKING:
    from rag.app import RagApp

# A larger value is better for these; for the others (false abstention, latencies) smaller is.
HIGHER_IS_BETTER = frozenset(
    {"hit@1", "hit@5", "recall@5", "mrr", "ndcg@10", "contains_gold", "evidence_hit",
     "abstain_recall", "abstain_precision", "citations_resolve", "tool_accuracy", "faithfulness"}
)  # fmt: skip


@dataclass
class AnswerRecord:
    question: str
    answerable: bool
    abstained: bool
    answer: str
    support: float
    contains_gold: bool | None
    evidence_hit: bool | None
    citations: int
    citations_resolved: int
    tools: list[str] = field(default_factory=list)
    tool_ok: bool | None = None  # the expected tools were called (None: not labelled)
    faithful: bool | None = None  # the judge's verdict (None: not judged, or no verdict)
    timings: dict[str, float] = field(default_factory=dict)
    kind: str = ""  # the question's labelled class, if any


class SourceTexts:
    """Page texts of corpus files, read once each, to check citation spans against."""

    def __init__(self, max_file_bytes: int) -> None:
        self._max_file_bytes = max_file_bytes
        self._pages: dict[str, dict[int | None, str]] = {}

    def resolves(self, citation: Citation) -> bool:
        text = self._pages_of(citation.chunk.source).get(citation.chunk.page)
        return text is not None and text[citation.start : citation.end] == citation.text

    def text_of(self, source: str) -> str:
        """Every page of `source` as its reader gives it, one after another."""
        return "\n".join(self._pages_of(source).values())

    def _pages_of(self, source: str) -> dict[int | None, str]:
        if source not in self._pages:
            self._pages[source] = self._read(source)
        return self._pages[source]

    def _read(self, source: str) -> dict[int | None, str]:
        scan = scan_path(Path(source), self._max_file_bytes)
        pages: dict[int | None, str] = {}
        for raw in scan.sources:
            for document in read_documents(raw, raw.read()):
                pages[document.metadata["page"]] = document.text
        return pages


def record_answer(
    question: EvalQuestion, result: AskResult, corpus: Path, sources: SourceTexts
) -> AnswerRecord:
    cited = {Path(c.chunk.source).relative_to(corpus).as_posix() for c in result.citations}
    return AnswerRecord(
        question=question.question,
        kind=question.kind,
        answerable=question.answerable,
        abstained=result.abstained,
        answer=result.answer,
        support=round(result.support, 4),
        contains_gold=(
            answer_contains(result.answer, question.answers, question.all_answers)
            if question.answerable and question.answers
            else None
        ),
        evidence_hit=(
            bool(cited & set(question.gold_sources))
            if question.answerable and question.gold_sources
            else None
        ),
        citations=len(result.citations),
        citations_resolved=sum(sources.resolves(c) for c in result.citations),
        tools=[call.name for call in result.tool_calls],
        tool_ok=(
            None
            if question.expected_tools is None
            else tuple(call.name for call in result.tool_calls) == question.expected_tools
        ),
        timings=dict(result.timings),
    )


def sync_corpus(app: "RagApp", corpus: Path) -> tuple[str, list[str]]:
    """Index the (resolved) corpus folder into its own collection: (collection, warnings about
    files that could not be indexed)."""
    collection = eval_collection_name(corpus)
    synced = app.indexer.sync([scan_path(corpus, app.settings.max_file_bytes)], collection)
    return collection, [f"{f['source']}: {f['error']}" for f in synced.failed]


def evaluate_answers(
    app: "RagApp",
    questions: Iterable[EvalQuestion],
    collection: str,
    corpus: Path,
    mode: Mode,
    judge: bool = False,
) -> list[AnswerRecord]:
    """Ask every question through the orchestrator, as users do, and score the answer; with
    `judge`, the configured judge also rates each cited answer's faithfulness."""
    sources = SourceTexts(app.settings.max_file_bytes)
    records = []
    for question in questions:
        started = time.perf_counter()
        result = app.answers.ask(app.ask_request(question.question, collection, mode=mode))
        result.timings["total_ms"] = round((time.perf_counter() - started) * 1000, 1)
        record = record_answer(question, result, corpus, sources)
        if judge and result.citations and not result.abstained:
            passages = list(dict.fromkeys(c.chunk.text for c in result.citations))
            record.faithful = app.judge(result.answer, passages)
        records.append(record)
    return records


def answer_metrics(records: list[AnswerRecord]) -> dict[str, float | int | None]:
    answerable = [r for r in records if r.answerable]
    unanswerable = [r for r in records if not r.answerable]
    abstained = [r for r in records if r.abstained]
    citations = sum(r.citations for r in records)
    metrics: dict[str, float | int | None] = {
        "answered_n": len(answerable),
        "unanswerable_n": len(unanswerable),
        "contains_gold": _share(r.contains_gold for r in answerable),
        "evidence_hit": _share(r.evidence_hit for r in answerable),
        "false_abstain": _share(r.abstained for r in answerable),
        "abstain_recall": _share(r.abstained for r in unanswerable),
        "abstain_precision": _share(not r.answerable for r in abstained),
        "tool_accuracy": _share(r.tool_ok for r in records),
        "faithfulness": _share(r.faithful for r in records),
        "citations_resolve": round(sum(r.citations_resolved for r in records) / citations, 4)
        if citations
        else 1.0,
    }
    for stage in (*ANSWER_STAGES, "total"):
        values = [r.timings[f"{stage}_ms"] for r in records if f"{stage}_ms" in r.timings]
        if values:
            metrics[f"{stage}_ms_median"] = round(statistics.median(values), 1)
    prompts = [r.timings["prompt_tokens"] for r in records if r.timings.get("prompt_tokens")]
    if prompts:
        metrics["prompt_tokens_median"] = statistics.median(prompts)
    metrics["repeats_a_sentence"] = _share(_repeats(r.answer) for r in records)
    return metrics


def _repeats(answer: str) -> bool:
    sentences = [" ".join(s.lower().split()) for s in sentences_of(answer)]
    return len(sentences) != len(set(sentences))


def _share(flags: Iterable[bool | None]) -> float | None:
    """The share of true flags among known ones; None (JSON null) when none is known."""
    known = [flag for flag in flags if flag is not None]
    return round(sum(known) / len(known), 4) if known else None


def compare(
    old: dict[str, object], new: dict[str, object], tolerance: float
) -> list[tuple[str, float, float, float, bool]]:
    """(metric, old, new, delta, regressed) for every quality metric both reports have.

    A regression is a drop of more than `tolerance` in a higher-is-better metric, or a rise of
    more than `tolerance` in false abstention. Latencies are shown but never fail a run.
    """
    rows = []
    for key, before in old.items():
        after = new.get(key)
        if not isinstance(before, int | float) or not isinstance(after, int | float):
            continue
        delta = after - before
        if key in HIGHER_IS_BETTER:
            regressed = delta < -tolerance
        else:
            regressed = key == "false_abstain" and delta > tolerance
        rows.append((key, before, after, round(delta, 4), regressed))
    return rows


def records_json(records: list[AnswerRecord]) -> list[dict[str, object]]:
    return [asdict(r) for r in records]


def run_eval(
    app: "RagApp",
    dataset: Path,
    corpus: Path,
    mode: Mode,
    retrieval_only: bool,
    limit: int | None = None,
    judge: bool = False,
) -> tuple[dict[str, object], list[dict[str, object]]]:
    """Sync the corpus into its own collection, then measure the first `limit` questions (all
    when None); returns (report, per-question answer records). The report's `warnings` lists
    corpus files that could not be indexed."""
    questions = load_dataset(dataset)[:limit]
    corpus = corpus.expanduser().resolve()
    collection, warnings = sync_corpus(app, corpus)
    report: dict[str, object] = {"warnings": warnings}
    # A set without gold sources (tool routing, say) has answer metrics only.
    if retrieval_only or any(q.gold_sources for q in questions):
        report.update(evaluate_retrieval(app.retriever, questions, collection, corpus, mode))
    if retrieval_only:
        return report, []
    records = evaluate_answers(app, questions, collection, corpus, mode, judge)
    report.update(answer_metrics(records))
    return report, records_json(records)
