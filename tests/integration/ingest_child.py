"""A folder ingest in its own process, for the kill test: prints READY once imports are done."""

import sys
import time
from pathlib import Path

from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.settings import Settings
from tests.fakes import HashEmbedder


class SlowHashEmbedder(HashEmbedder):
    """Slow enough that a kill lands in the middle of a run, not only between runs."""

    def embed_documents(self, texts):
        time.sleep(0.01 * len(texts))
        return super().embed_documents(texts)


if __name__ == "__main__":
    data_dir, folder = Path(sys.argv[1]), Path(sys.argv[2])
    settings = Settings(data_dir=data_dir, chunk_size=48, chunk_overlap=8)
    print("READY", flush=True)
    with RagApp(settings, embedder=SlowHashEmbedder()) as app:
        app.indexer.sync([scan_path(folder, 10**7)], "default")
    print("DONE", flush=True)
