"""Retrieval evaluation on a labelled folder: hit@k, recall@k, MRR and nDCG@10.

A dataset is JSONL rows `{"question", "gold_sources", "answers", "answerable"}` where
`gold_sources` are file names relative to the corpus folder. Results are ranked per document
(a document's rank is that of its best chunk), so several chunks of one file count once.
"""

import hashlib
import json
import math
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rag.errors import InvalidInputError
from rag.retrieve import Mode, Retriever

CHUNKS_PER_QUESTION = 30
RANKED_DOCUMENTS = 10


@dataclass(frozen=True)
class EvalQuestion:
    question: str
    gold_sources: tuple[str, ...]
    answers: tuple[str, ...]
    answerable: bool
    # The tools a right answer calls, when the row says (`"tool": "calculator"` or null).
    expected_tools: tuple[str, ...] | None = None
    kind: str = ""  # the row's class of question ("list", "definition", ...), when labelled
    all_answers: bool = False  # `"match": "all"`: a right answer states every gold string


def load_dataset(path: Path) -> list[EvalQuestion]:
    if not path.is_file():
        raise InvalidInputError(f"dataset {path} does not exist")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(_question(json.loads(line)))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InvalidInputError(f"{path}:{number}: not a dataset row ({exc})") from None
    if not rows:
        raise InvalidInputError(f"dataset {path} has no rows")
    return rows


def _question(row: dict) -> EvalQuestion:
    answers = row.get("answers") or ([row["answer"]] if row.get("answer") else [])
    tools = None
    if "tool" in row:  # labelled: null means no tool should be called
        tools = (str(row["tool"]),) if row["tool"] else ()
    return EvalQuestion(
        question=str(row["question"]),
        gold_sources=tuple(row.get("gold_sources") or ()),
        answers=tuple(str(a) for a in answers),
        answerable=bool(row.get("answerable", True)),
        expected_tools=tools,
        kind=str(row.get("kind") or ""),
        all_answers=row.get("match") == "all",
    )


def answer_contains(answer: str, golds: Iterable[str], every: bool = False) -> bool:
    """Whether the answer states a gold answer, or with `every` all of them (a list's items);
    case and thousands separators ignored."""
    text = _plain(answer)
    found = (_plain(gold) in text for gold in golds)
    return all(found) if every else any(found)


def _plain(text: str) -> str:
    return re.sub(r"(?<=\d),(?=\d{3})", "", text.lower())


def eval_collection_name(corpus: Path) -> str:
    digest = hashlib.sha256(str(corpus.resolve()).encode()).hexdigest()[:12]
    return f"eval-{digest}"


def ranked_documents(
    retriever: Retriever, question: str, collection: str, mode: Mode, corpus: Path
) -> list[str]:
    """Corpus-relative file names in rank order, each once."""
    chunks = retriever.search(question, collection, CHUNKS_PER_QUESTION, mode)
    ranked: list[str] = []
    for chunk in chunks:
        # Sources are stored resolved: a corpus reached through a symlink is compared resolved.
        name = Path(chunk.source).relative_to(corpus.resolve()).as_posix()
        if name not in ranked:
            ranked.append(name)
    return ranked[:RANKED_DOCUMENTS]


def retrieval_metrics(rankings: Iterable[tuple[list[str], tuple[str, ...]]]) -> dict[str, float]:
    """Mean metrics over (ranked documents, gold documents) pairs."""
    totals = {"hit@1": 0.0, "hit@5": 0.0, "recall@5": 0.0, "mrr": 0.0, "ndcg@10": 0.0}
    n = 0
    for ranked, gold in rankings:
        n += 1
        gold_set = set(gold)
        hits = [doc in gold_set for doc in ranked]
        totals["hit@1"] += float(any(hits[:1]))
        totals["hit@5"] += float(any(hits[:5]))
        totals["recall@5"] += sum(hits[:5]) / len(gold_set)
        first = next((rank for rank, hit in enumerate(hits, start=1) if hit), None)
        totals["mrr"] += 1.0 / first if first else 0.0
        dcg = sum(1.0 / math.log2(rank + 1) for rank, hit in enumerate(hits, start=1) if hit)
        ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(gold_set), 10) + 1))
        totals["ndcg@10"] += dcg / ideal
    if n == 0:
        raise InvalidInputError("the dataset has no answerable question with gold sources")
    return {"n": n, **{key: round(value / n, 4) for key, value in totals.items()}}


def evaluate_retrieval(
    retriever: Retriever,
    questions: list[EvalQuestion],
    collection: str,
    corpus: Path,
    mode: Mode,
) -> dict[str, float]:
    labelled = [q for q in questions if q.answerable and q.gold_sources]
    retriever.search("warm-up", collection, 1, mode)  # loads the embedder outside the timing
    started = time.perf_counter()
    rankings = [
        (ranked_documents(retriever, q.question, collection, mode, corpus), q.gold_sources)
        for q in labelled
    ]
    elapsed_ms = (time.perf_counter() - started) * 1000
    metrics = retrieval_metrics(rankings)
    return {**metrics, "mode": mode, "query_ms_mean": round(elapsed_ms / max(len(labelled), 1), 2)}
