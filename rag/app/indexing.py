"""The app's indexing: the indexer and its recipe, the ingest every front door runs (each path
or URL kept as a source), the API's background ingest jobs, and the search index built off to
the side once a collection is large enough."""

import logging
import threading
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rag.datadir import DataDir
from rag.embed import DenseEmbedder, SparseEncoder
from rag.ingest.report import IngestProgress, IngestReport
from rag.settings import Settings
from rag.store import VectorStore

if TYPE_CHECKING:
    from rag.ingest.ledger import Ledger
    from rag.jobs import IngestJob
    from rag.plugins.registry import Plugins
    from rag.sources.service import SourceService
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
    def sources(self) -> "SourceService":
        """Sources kept in sync (rag/sources/); the server's schedule runs them."""
        from rag.sources.service import SourceService

        return SourceService(self)

    def ingest(
        self,
        sources: Sequence[str],
        collection: str,
        *,
        tags: Mapping[str, str] | None = None,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        roots: Sequence[Path] | None = None,
        progress: IngestProgress | None = None,
        as_sources: bool = True,
    ) -> IngestReport:
        """Sync each path or URL (through its connector) into `collection`, each one then kept
        as a source (rag/sources/): a new one with the manual schedule, or the one recorded for
        it before, so `rag sources` lists, re-syncs and removes what the ingest indexed. Not
        when `as_sources` is off (a rebuild) or with tags or patterns a source's sync would
        not repeat. `roots`: the folders files may be read from (None: each path named)."""
        from rag.ingest.sources import scans_for

        progress = progress or IngestProgress()
        scans = scans_for(sources, self.settings, self.plugins, include, exclude, roots)
        as_sources = as_sources and not (tags or include or exclude)
        report = IngestReport()
        with progress.syncing(sum(len(scan.sources) for scan in scans)):
            # One sync per argument, as its source syncs: its report is that source's state.
            for source, scan in zip(sources, scans, strict=True):
                synced = self.indexer.sync(
                    [scan], collection, tags, progress.source_done, progress.ocr_page
                )
                report.extend(synced)
                if as_sources:
                    self.sources.record_ingest(source, collection, scan, synced)
        return report

    @cached_property
    def jobs(self):
        from rag.jobs import JobRunner

        def run(job: "IngestJob") -> IngestReport:
            roots = self.settings.api_ingest_roots
            report = self.ingest(job.sources, job.collection, roots=roots, progress=_Job(job))
            self.build_index_if_due(job.collection, report)
            return report

        return JobRunner(run)

    def index_is_due(self, collection: str, report) -> bool:
        """An ingest that wrote chunks into a collection past `index_build_threshold` chunks."""
        threshold = self.settings.index_build_threshold
        return bool(report.chunks_written and threshold) and (
            self.store.count(collection) >= threshold
        )

    def build_index_if_due(self, collection: str, report) -> None:
        """When `index_is_due`, build the collection's search index off to the side: the
        ingest (a job, a source's sync) is done, and the exact search answers meanwhile (see
        rag/store/edge.py)."""
        if self.index_is_due(collection, report):
            threading.Thread(
                target=self._build_index_quietly, args=(collection,), daemon=True
            ).start()

    def _build_index_quietly(self, collection: str) -> None:
        try:
            self.store.build_index(collection)
        except Exception:  # the exact search still answers; the next ingest tries again
            log.exception("building the search index of %s failed", collection)


class _Job(IngestProgress):
    """An API job told each source handled (where a cancelled job stops)."""

    def __init__(self, job: "IngestJob") -> None:
        self._job = job

    def source_done(self, source_id: str) -> None:
        self._job.progress(source_id)
