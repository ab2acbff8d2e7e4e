"""Which retrieval-side signal tells an answerable question from an unanswerable one?

Over the sample_docs QA set (`eval/sample_docs_qa.jsonl`), each signal's AUC: the chance that a
random answerable question scores above a random unanswerable one (0.5 = no signal, 1.0 =
perfect). Abstention thresholds can only be as good as the signal they cut.
Run: .venv/bin/python -m bench.abstention   (the "Abstention signals" section)
"""

import math
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench.harness import table, write_section
from rag.answer.text import split_sentences
from rag.app import RagApp
from rag.eval.answers import sync_corpus
from rag.eval.retrieval import load_dataset
from rag.retrieve import RetrievedChunk
from rag.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DATASET, CORPUS = ROOT / "eval" / "sample_docs_qa.jsonl", ROOT / "sample_docs"


def _auc(answerable: list[float], unanswerable: list[float]) -> float:
    pairs = [(a > u) + 0.5 * (a == u) for a in answerable for u in unanswerable]
    return round(float(np.mean(pairs)), 3)


def _signals(app: RagApp, collection: str) -> dict[str, Callable[[str, list], float]]:
    ids = list(app.store.point_sources(collection))
    texts = [point.payload["text"] for point in app.store.retrieve(collection, ids)]
    frequency: dict[int, int] = {}
    for text in texts:
        for term in set(app.sparse.encode_document(text).indices):
            frequency[term] = frequency.get(term, 0) + 1

    def best_sentence(question: str, chunks: list[RetrievedChunk]) -> float:
        sentences = [s for c in chunks for _, s in split_sentences(c.text)]
        if not sentences:
            return 0.0
        vectors = np.array(app.embedder.embed_documents(sentences))
        return float((vectors @ np.array(app.embedder.embed_query(question))).max())

    def term_coverage(question: str, chunks: list[RetrievedChunk]) -> float:
        found = {t for c in chunks for t in app.sparse.encode_document(c.text).indices}
        idf = {
            term: math.log(1 + len(texts) / (frequency.get(term, 0) + 0.5))
            for term in set(app.sparse.encode_query(question).indices)
        }
        total = sum(idf.values())
        return sum(w for term, w in idf.items() if term in found) / total if total else 0.0

    return {
        "question ~ best chunk cosine (the abstention threshold's signal)": lambda q, chunks: max(
            (c.similarity for c in chunks), default=0.0
        ),
        "question ~ best sentence of the top chunks, cosine": best_sentence,
        "question terms found in the top chunks, IDF-weighted share": term_coverage,
    }


def main() -> None:
    questions = load_dataset(DATASET)
    with tempfile.TemporaryDirectory() as tmp, RagApp(Settings(data_dir=Path(tmp))) as app:
        collection, _ = sync_corpus(app, CORPUS.resolve())
        top_k = app.settings.top_k
        retrieved = [(q, app.retriever.search(q.question, collection, top_k)) for q in questions]
        rows = []
        for name, signal in _signals(app, collection).items():
            scores = [(q.answerable, signal(q.question, chunks)) for q, chunks in retrieved]
            rows.append([name, _auc([s for a, s in scores if a], [s for a, s in scores if not a])])
    answerable = sum(q.answerable for q in questions)
    body = table(["signal", "AUC answerable > unanswerable"], rows) + (
        f"\n\n{answerable} answerable and {len(questions) - answerable} unanswerable questions,"
        f" top {top_k} chunks of the default hybrid retrieval, bundled MiniLM. The unanswerable"
        " questions name products, people and places the documents do talk about (their facts"
        " are absent, not their topics), so similarity ranks them as high as, or higher than,"
        " the answerable ones, which are worded unlike their sources. Telling them apart takes"
        " reading the passage for the asked fact: an NLI or QA reader model, which the offline"
        " install does not ship."
    )
    print(body)
    write_section("Abstention signals", "python -m bench.abstention", body)


if __name__ == "__main__":
    main()
