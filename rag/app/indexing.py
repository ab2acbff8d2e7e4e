"""The app's indexing: the indexer and its recipe, the API's background ingest jobs, and the
search index built off to the side once a collection is large enough."""

import logging
import threading
from functools import cached_property
from typing import TYPE_CHECKING

from rag.datadir import DataDir
from rag.embed import DenseEmbedder, SparseEncoder
from rag.settings import Settings
from rag.store import VectorStore

if TYPE_CHECKING:
    from rag.ingest.ledger import Ledger
    from rag.plugins.registry import Plugins
    from rag.tables.store import TableStore

log = logging.getLogger(__name__)


class IndexingServices:
    settings: Settings
    data_dir: DataDir
    embedder: DenseEmbedder
    sparse: SparseEncoder
    ledger: "Ledger"
    store: VectorStore
    plugins: "Plugins"
    tables: "TableStore"

    @property
    def recipe(self) -> dict[str, object]:
        """What a collection's vectors depend on; a change must not mix old and new vectors."""
        from rag.ingest.ledger import SCHEMA_VERSION

        return {
            "embedder": self.embedder.model_id,
            "chunk_size": self.settings.chunk_size,
            "chunk_overlap": self.settings.chunk_overlap,
            "schema_version": SCHEMA_VERSION,
        }

    @cached_property
    def indexer(self):
        from rag.ingest.chunking import Chunker
        from rag.ingest.ocr import OcrConfig
        from rag.ingest.ocr_cache import OcrCache
        from rag.ingest.sync import Indexer

        chunker = Chunker(
            self.settings.chunk_size, self.settings.chunk_overlap, self.embedder.tokenize
        )
        cache = OcrCache(self.data_dir.ocr_cache_path) if self.settings.ocr_cache else None
        ocr = OcrConfig.from_settings(self.settings, cache)
        return Indexer(
            self.ledger,
            self.store,
            self.embedder,
            self.sparse,
            chunker,
            self.recipe,
            ocr,
            readers=self.plugins.readers,
            tables=self.tables,
        )

    @cached_property
    def jobs(self):
        from rag.ingest.sources import scans_for
        from rag.jobs import IngestJob, JobRunner

        def run(job: IngestJob):
            roots = self.settings.api_ingest_roots
            scans = scans_for(job.sources, self.settings, self.plugins, roots=roots)
            report = self.indexer.sync(scans, job.collection, on_source_done=job.progress)
            if self.index_is_due(job.collection, report):
                # The job is done now; the index builds off to the side (see rag/store/edge.py).
                threading.Thread(
                    target=self._build_index_quietly, args=(job.collection,), daemon=True
                ).start()
            return report

        return JobRunner(run)

    def index_is_due(self, collection: str, report) -> bool:
        """An ingest that wrote chunks into a collection past `index_build_threshold` chunks."""
        threshold = self.settings.index_build_threshold
        return bool(report.chunks_written and threshold) and (
            self.store.count(collection) >= threshold
        )

    def _build_index_quietly(self, collection: str) -> None:
        try:
            self.store.build_index(collection)
        except Exception:  # the exact search still answers; the next ingest tries again
            log.exception("building the search index of %s failed", collection)
