"""Regression gate on retrieval quality with the real embedder (thresholds just under measured).

Measured figures and their history: docs/BENCHMARKS.md ("Retrieval quality").
"""

from pathlib import Path

import pytest

from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.eval.retrieval import eval_collection_name, evaluate_retrieval, load_dataset
from rag.settings import Settings
from tests.conftest import SAMPLE_DOCS

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
PHANTOMWIKI = ROOT.parent / "shared" / "eval" / "phantomwiki"

GATES = {
    # set: (dataset, corpus, minimum hit@1, minimum hit@5, minimum MRR)
    "sample_docs": (ROOT / "eval" / "sample_docs_qa.jsonl", SAMPLE_DOCS, 0.75, 0.95, 0.85),
    "phantomwiki": (PHANTOMWIKI / "questions.jsonl", PHANTOMWIKI / "corpus", 0.96, 0.98, 0.97),
}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    with RagApp(Settings(data_dir=tmp_path_factory.mktemp("data"))) as app:
        yield app


@pytest.mark.parametrize("name", sorted(GATES))
def test_default_retrieval_meets_its_gate(app: RagApp, name: str) -> None:
    dataset, corpus, min_hit1, min_hit5, min_mrr = GATES[name]
    if not dataset.is_file():
        pytest.skip(f"{dataset} is not in this checkout")
    collection = eval_collection_name(corpus)
    app.indexer.sync([scan_path(corpus, 10**7)], collection)

    metrics = evaluate_retrieval(app.retriever, load_dataset(dataset), collection, corpus, "hybrid")

    assert metrics["hit@1"] >= min_hit1, metrics
    assert metrics["hit@5"] >= min_hit5, metrics
    assert metrics["mrr"] >= min_mrr, metrics
