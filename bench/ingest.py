"""Ingestion speed: our pipeline vs the raw embedder vs llama-index + qdrant-client local mode.

For each corpus, in one run and with the same chunking (200 tokens, overlap 30) and the same
bundled MiniLM:
- raw embedder: `embed_documents` over exactly the texts our pipeline embeds (the upper bound);
- our pipeline: `Indexer.sync` on the folder (read, chunk, embed, BM25, upsert, ledger);
- llama-index: `SimpleDirectoryReader` + `SentenceSplitter` + `VectorStoreIndex` over
  `QdrantVectorStore` on `QdrantClient(path=...)`, with `HuggingFaceEmbedding` on the same model.
Models are loaded and warmed before any clock starts. Tokens are MiniLM tokens of the embedded
texts. Needs the `bench` extra (`pip install -e .[bench]`).

Run: .venv/bin/python -m bench.ingest   (writes the "Ingestion speed" section)
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import table, write_section
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.embed import bundled_embedder_path
from rag.ingest.sync import embedding_text
from rag.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
# corpus name → (folder, whether llama-index's default readers can read every file in it: its
# DOCX and PPTX readers need extra packages and, for PPTX, a captioning model from a hub).
CORPORA = {
    "PhantomWiki (506 articles)": (ROOT.parent / "shared/eval/phantomwiki/corpus", True),
    "sample_docs (11 files)": (ROOT / "sample_docs", False),
}


def _embedded_texts(app: RagApp, collection: str) -> list[str]:
    """The texts the pipeline embedded, read back from the store."""
    ids = [i for record in app.catalog.documents(collection) for i in record.chunk_ids]
    points = app.store.retrieve(collection, ids)
    return [
        embedding_text(p.payload["title"], p.payload["headings"], p.payload["text"]) for p in points
    ]


def _ours(corpus: Path) -> tuple[float, list[str], RagApp, Path]:
    data_dir = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    app = RagApp(Settings(data_dir=data_dir))
    # Warm every part (model, sentence splitter, store) on another collection.
    app.indexer.sync([scan_path(ROOT / "sample_docs" / "support-faq.txt", 10**6)], "warm-up")
    started = time.perf_counter()
    report = app.indexer.sync([scan_path(corpus, app.settings.max_file_bytes)], "bench")
    seconds = time.perf_counter() - started
    assert not report.failed, report.failed
    return seconds, _embedded_texts(app, "bench"), app, data_dir


def _llama_index(corpus: Path, embed_model: object, tokenizer: object) -> tuple[float, int]:
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.vector_stores.qdrant import QdrantVectorStore
    from qdrant_client import QdrantClient

    with tempfile.TemporaryDirectory() as path:
        client = QdrantClient(path=path)
        store = QdrantVectorStore(client=client, collection_name="bench")
        splitter = SentenceSplitter(chunk_size=200, chunk_overlap=30, tokenizer=tokenizer)
        started = time.perf_counter()
        documents = SimpleDirectoryReader(str(corpus), recursive=True).load_data()
        index = VectorStoreIndex.from_documents(
            documents,
            storage_context=StorageContext.from_defaults(vector_store=store),
            embed_model=embed_model,
            transformations=[splitter],
        )
        seconds = time.perf_counter() - started
        chunks = client.count("bench").count
        del index
        client.close()
    return seconds, chunks


def main() -> None:
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    li_embed = HuggingFaceEmbedding(model_name=str(bundled_embedder_path()), device="cpu")
    li_embed.get_text_embedding_batch(["warm-up"])
    rows = []
    for name, (corpus, comparable) in CORPORA.items():
        if not corpus.is_dir():
            print(f"skipping {name}: {corpus} is missing", file=sys.stderr)
            continue
        ours_s, texts, app, data_dir = _ours(corpus)
        tokens = sum(len(app.embedder.tokenize(t)) for t in texts)
        started = time.perf_counter()
        app.embedder.embed_documents(sorted(texts, key=len))
        raw_s = time.perf_counter() - started
        if comparable:
            li_s, li_chunks = _llama_index(corpus, li_embed, app.embedder.tokenize)
            li_cells = [f"{tokens / li_s:,.0f} ({li_chunks} chunks)", f"{li_s / ours_s:.2f}x"]
        else:
            li_cells = ["n/a (DOCX/PPTX readers)", ""]
        app.close()
        rows.append(
            [
                name,
                len(texts),
                f"{tokens:,}",
                f"{tokens / raw_s:,.0f}",
                f"{tokens / ours_s:,.0f}",
                f"{raw_s / ours_s:.0%}",
                *li_cells,
            ]
        )
        print(rows[-1])
        shutil.rmtree(data_dir, ignore_errors=True)
    headers = [
        "corpus",
        "chunks",
        "tokens",
        "raw embedder tok/s",
        "our pipeline tok/s",
        "pipeline / raw",
        "llama-index + qdrant local tok/s",
        "ours faster by",
    ]
    threads = os.cpu_count()
    body = (
        f"Bundled all-MiniLM-L6-v2 on CPU ({threads} threads), chunks of 200 tokens with 30 "
        "overlap, fresh data directory per run, models warmed before timing. `tok/s` = MiniLM "
        "tokens of the embedded texts per wall-clock second. Goals: pipeline >= 80% of the raw "
        "embedder, faster than llama-index + qdrant-client local mode.\n\n" + table(headers, rows)
    )
    write_section("Ingestion speed", "python -m bench.ingest", body)


if __name__ == "__main__":
    main()
