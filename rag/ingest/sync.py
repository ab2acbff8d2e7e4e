"""The sync run: scans from connectors → ledger decisions → chunks written, replaced or deleted.

Per source: unchanged content (same hash) writes nothing; new or modified content is chunked,
embedded and written before its old chunks are deleted (the ledger's two-phase replace). A
source that fails is reported with its reason and the rest of the batch goes on.
"""

import hashlib
import json
import logging
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath

from rag.connectors import RawSource, Scan
from rag.embed import DenseEmbedder, SparseEncoder
from rag.errors import RagError
from rag.ingest.chunking import Chunker, document_id
from rag.ingest.ledger import Ledger, SourceRecord, delete_pending
from rag.ingest.readers import read_documents
from rag.store import ChunkPoint, VectorStore

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    moved: list[dict[str, str]] = field(default_factory=list)
    unchanged: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    chunks_written: int = 0

    def to_json(self) -> dict[str, object]:
        return asdict(self)


class Indexer:
    def __init__(
        self,
        ledger: Ledger,
        store: VectorStore,
        embedder: DenseEmbedder,
        sparse: SparseEncoder,
        chunker: Chunker,
        recipe: dict[str, object],
    ) -> None:
        self._ledger = ledger
        self._store = store
        self._embedder = embedder
        self._sparse = sparse
        self._chunker = chunker
        self._recipe = recipe
        self._run_lock = threading.Lock()

    def sync(
        self, scans: Sequence[Scan], collection: str, tags: Mapping[str, str] | None = None
    ) -> IngestReport:
        """Bring `collection` in line with the scans. `tags` go into every chunk's payload."""
        tags = dict(tags or {})
        with self._run_lock:
            self._ledger.check_recipe(collection, self._recipe)
            delete_pending(self._ledger, self._store, collection)
            report = IngestReport()
            for scan in scans:
                report.failed.extend(
                    {"source": f.source_id, "error": f.error} for f in scan.failures
                )
                for source in scan.sources:
                    self._sync_source(source, collection, tags, report)
                if scan.scope is not None:
                    self._delete_gone(scan, collection, report)
            return report

    def _sync_source(
        self, source: RawSource, collection: str, tags: dict[str, str], report: IngestReport
    ) -> None:
        try:
            data = source.read()
            content_hash = _version_hash(data, tags)
            previous = self._ledger.get(collection, source.source_id)
            if previous is not None and previous.content_hash == content_hash:
                report.unchanged += 1
                return
            written = self._write(source, data, content_hash, collection, tags)
        except (RagError, OSError, ValueError) as exc:
            delete_pending(self._ledger, self._store, collection)
            message = str(exc) if isinstance(exc, RagError) else f"{type(exc).__name__}: {exc}"
            report.failed.append({"source": source.source_id, "error": message})
            log.warning("ingest failed for a source: %s", message)
            return
        report.chunks_written += written
        (report.added if previous is None else report.updated).append(source.source_id)

    def _write(
        self,
        source: RawSource,
        data: bytes,
        content_hash: str,
        collection: str,
        tags: dict[str, str],
    ) -> int:
        pages = read_documents(source, data)
        chunks = self._chunker.chunk(source.source_id, content_hash, pages)
        dense = self._embedder.embed_documents([c.text for c in chunks])
        doc_id = document_id(source.source_id)
        title = PurePath(source.source_id).name or source.source_id
        modified = (
            datetime.fromtimestamp(source.modified, UTC).isoformat()
            if source.modified is not None
            else None
        )
        points = [
            ChunkPoint(
                id=chunk.id,
                dense=vector,
                sparse=self._sparse.encode_document(chunk.text),
                payload={
                    "text": chunk.text,
                    "source": source.source_id,
                    "title": title,
                    "document_id": doc_id,
                    "file_type": source.file_type,
                    "page": chunk.page,
                    "start": chunk.start,
                    "end": chunk.end,
                    "chunk_index": chunk.index,
                    "content_hash": content_hash,
                    "modified": modified,
                    "tags": tags,
                },
            )
            for chunk, vector in zip(chunks, dense, strict=True)
        ]
        ids = [p.id for p in points]
        self._store.create_collection(collection, self._embedder.dimension)
        self._ledger.stage(collection, ids)
        self._store.upsert(collection, points)
        self._ledger.commit_source(
            collection,
            SourceRecord(
                source_id=source.source_id,
                document_id=doc_id,
                content_hash=content_hash,
                chunk_ids=tuple(ids),
                file_type=source.file_type,
                indexed_at=time.time(),
            ),
        )
        delete_pending(self._ledger, self._store, collection)
        return len(points)

    def _delete_gone(self, scan: Scan, collection: str, report: IngestReport) -> None:
        assert scan.scope is not None
        present = {s.source_id for s in scan.sources} | {f.source_id for f in scan.failures}
        for record in self._ledger.sources(collection):
            if record.source_id.startswith(scan.scope) and record.source_id not in present:
                self._ledger.remove_source(collection, record.source_id)
                report.deleted.append(record.source_id)
        delete_pending(self._ledger, self._store, collection)


def _version_hash(data: bytes, tags: dict[str, str]) -> str:
    """The content's hash; ingest-time tags count too, so changing them rewrites the chunks."""
    digest = hashlib.sha256(data)
    if tags:
        digest.update(json.dumps(tags, sort_keys=True).encode())
    return digest.hexdigest()
