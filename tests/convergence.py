"""What the kill tests compare: a folder that changes between runs, and an index's state."""

import shutil
from pathlib import Path

from rag.app import RagApp
from rag.ingest.doctor import check
from rag.settings import Settings
from tests.conftest import SAMPLE_DOCS
from tests.fakes import HashEmbedder


def write_versioned_corpus(folder: Path, version: int, generated: int = 30) -> None:
    """Sample docs plus generated files; `version` changes half of the generated ones."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(SAMPLE_DOCS, folder)
    for n in range(generated):
        edition = version if n % 2 else 0
        lines = [
            f"Record {n} edition {edition} line {i} about topic {n * i % 7}." for i in range(40)
        ]
        (folder / f"generated-{n:02d}.txt").write_text("\n".join(lines))


def index_state(data_dir: Path) -> tuple[set[str], int, set[tuple[str, str]]]:
    """(chunk ids in the ledger, points in the store, (source, hash) of stored points), after
    checking that the ledger and the store agree as `rag doctor` does."""
    with RagApp(Settings(data_dir=data_dir), embedder=HashEmbedder()) as app:
        health = check(app.ledger, app.store, "default")
        assert health.healthy, health
        ids = {cid for r in app.ledger.sources("default") for cid in r.chunk_ids}
        stored = app.store.retrieve("default", sorted(ids))
        versions = {(p.payload["source"], p.payload["content_hash"]) for p in stored}
        return ids, app.store.count("default"), versions
