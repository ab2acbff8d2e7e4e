"""Retrieval quality per mode on every labelled set: hit@1, hit@5, recall@5, MRR, nDCG@10.

Run: .venv/bin/python -m bench.retrieval   (writes the "Retrieval quality" section)
"""

import tempfile
from pathlib import Path

from bench.harness import table, write_section
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.eval.retrieval import eval_collection_name, evaluate_retrieval, load_dataset
from rag.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DATASETS = {
    "PhantomWiki (506 articles, 150 q)": (
        ROOT.parent / "shared" / "eval" / "phantomwiki" / "questions.jsonl",
        ROOT.parent / "shared" / "eval" / "phantomwiki" / "corpus",
    ),
    "sample_docs QA (paraphrased, 44 q)": (
        ROOT / "eval" / "sample_docs_qa.jsonl",
        ROOT / "sample_docs",
    ),
}
MODES = ("dense", "bm25", "rrf", "hybrid")
METRICS = ("hit@1", "hit@5", "recall@5", "mrr", "ndcg@10", "query_ms_mean")


def main() -> None:
    rows = []
    with (
        tempfile.TemporaryDirectory() as data_dir,
        RagApp(Settings(data_dir=Path(data_dir))) as app,
    ):
        for name, (dataset, corpus) in DATASETS.items():
            if not dataset.is_file():
                print(f"skipping {name}: {dataset} not found")
                continue
            collection = eval_collection_name(corpus)
            app.indexer.sync([scan_path(corpus, app.settings.max_file_bytes)], collection)
            questions = load_dataset(dataset)
            for mode in MODES:
                metrics = evaluate_retrieval(app.retriever, questions, collection, corpus, mode)
                rows.append([name, mode, *(metrics[m] for m in METRICS)])
                print(rows[-1])
    body = (
        table(["set", "mode", *METRICS], rows)
        + "\n\n`hybrid` (the default) = 0.3 x dense + 0.7 x BM25, each min-max normalised over its"
        " own top 50; `rrf` = Qdrant's reciprocal rank fusion (k=60) of the same two lists."
        " Documents are ranked by their best chunk. The dense embedder sees each chunk with its"
        " file name and Markdown heading path in front."
    )
    write_section("Retrieval quality", "python -m bench.retrieval", body)


if __name__ == "__main__":
    main()
