"""Collections and documents: what is indexed, and removing it. Shared by CLI and API."""

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rag.datadir import check_collection_name
from rag.errors import NotFoundError
from rag.ingest.ledger import Ledger, SourceRecord, delete_pending
from rag.ingest.uploads import UploadArea
from rag.store import VectorStore

if TYPE_CHECKING:
    from rag.tables.store import TableStore


@dataclass(frozen=True)
class CollectionInfo:
    name: str
    documents: int
    chunks: int

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class DocumentInfo:
    """An indexed document as the API lists it."""

    id: str
    source: str
    file_type: str
    content_hash: str
    chunks: int
    indexed_at: float

    @classmethod
    def of(cls, record: SourceRecord) -> "DocumentInfo":
        return cls(
            record.document_id,
            record.source_id,
            record.file_type,
            record.content_hash,
            len(record.chunk_ids),
            record.indexed_at,
        )

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def document_json(record: SourceRecord) -> dict[str, object]:
    return DocumentInfo.of(record).to_json()


def documents_json(
    collection: str, records: list[SourceRecord], offset: int = 0, limit: int | None = None
) -> dict[str, object]:
    """A collection's documents as GET /v1/documents shows them: one page, and the total."""
    page = records[offset : None if limit is None else offset + limit]
    return {
        "collection": collection,
        "documents": [document_json(r) for r in page],
        "total": len(records),
    }


class Catalog:
    def __init__(
        self,
        ledger: Ledger,
        store: VectorStore,
        recipe: dict[str, object],
        uploads: UploadArea,
        dimension: Callable[[], int],
        tables: "TableStore | None" = None,
    ) -> None:
        self._ledger = ledger
        self._tables = tables  # the collection's tables, dropped with their documents
        self._dimension = dimension  # of the embedder's vectors; loading it takes a while
        self._uploads = uploads
        self._store = store
        self._recipe = recipe

    def collections(self) -> list[CollectionInfo]:
        stored = set(self._store.collections())
        return [
            CollectionInfo(
                name,
                len(self._ledger.sources(name)),
                self._store.count(name) if name in stored else 0,
            )
            for name in sorted(stored | set(self._ledger.collections()))
        ]

    def canonical(self, name: str) -> str:
        """`name` as the collection was first created when one differs only by case (they are
        one collection: folder names on some file systems ignore case too), else `name`."""
        check_collection_name(name)
        known = self._ledger.collections()
        if name in known:
            return name
        return next((k for k in known if k.casefold() == name.casefold()), name)

    def create(self, name: str) -> str:
        """Record the collection and its recipe, and make its (empty) shard, so that it can be
        searched and asked before anything is added to it."""
        name = self.canonical(name)
        self._ledger.check_recipe(name, self._recipe)
        self._store.create_collection(name, self._dimension())
        return name

    def delete(self, name: str) -> None:
        """Remove the collection; callers stop its writers first (`Indexer.exclusive`)."""
        name = self.canonical(name)
        if name not in {c.name for c in self.collections()}:
            raise NotFoundError(f"collection {name!r} does not exist")
        # Ledger first: an interrupted delete leaves an unreferenced shard, never a ledger that
        # claims chunks the store no longer has.
        self._ledger.forget_collection(name)
        if self._tables is not None:
            self._tables.drop_collection(name)
        self._store.drop_collection(name)

    def sources_to_reindex(
        self, collection: str, plan: Path
    ) -> list[tuple[dict[str, str], list[str]]]:
        """Empty `collection` for a rebuild under the current recipe; return its sources grouped
        by the ingest-time tags their chunks carry, so the rebuild writes the same tags.

        The groups are saved to `plan` first and read back on a rerun, so a rebuild that is
        interrupted resumes with every source instead of forgetting the ones not yet redone.
        """
        if plan.is_file():
            return [(tags, sources) for tags, sources in json.loads(plan.read_text())]
        records = self._ledger.sources(collection)
        # One chunk per source tells its tags: every chunk of a source carries the same ones.
        firsts = [r.chunk_ids[0] for r in records if r.chunk_ids]
        stored = {p.id: p for p in self._store.retrieve(collection, firsts)} if firsts else {}
        groups: dict[str, list[str]] = {}
        for record in records:
            first = stored.get(record.chunk_ids[0]) if record.chunk_ids else None
            tags = (first.payload.get("tags") or {}) if first else {}
            groups.setdefault(json.dumps(tags, sort_keys=True), []).append(record.source_id)
        plan_groups = [(json.loads(tags), sources) for tags, sources in groups.items()]
        temporary = plan.with_suffix(".tmp")
        temporary.write_text(json.dumps(plan_groups))
        temporary.replace(plan)
        if collection in {c.name for c in self.collections()}:
            self.delete(collection)
        return plan_groups

    def documents(self, collection: str) -> list[SourceRecord]:
        return self._ledger.sources(collection)

    def document(self, collection: str, document: str) -> SourceRecord:
        """A document by its id or its source (path or URL)."""
        record = next(
            (
                r
                for r in self._ledger.sources(collection)
                if document in (r.document_id, r.source_id)
            ),
            None,
        )
        if record is None:
            raise NotFoundError(f"no document {document!r} in collection {collection!r}")
        return record

    def document_text(self, collection: str, document: str) -> list[dict[str, object]]:
        """A document's indexed text, page by page, put back together from its chunks: each
        chunk is `extracted[start:end]`, so it goes back where it was taken from (overlaps
        agree; a gap no chunk covered is spaces, keeping the offsets true)."""
        record = self.document(collection, document)
        points = self._store.retrieve(collection, list(record.chunk_ids))
        pages: dict[object, str] = {}
        for point in sorted(points, key=lambda p: (p.payload.get("page") or 0, p.payload["start"])):
            page, start = point.payload.get("page"), int(point.payload["start"])
            text = pages.get(page, "")
            pages[page] = text[:start].ljust(start) + point.payload["text"]
        return [{"page": page, "text": text} for page, text in pages.items()]

    def delete_document(self, collection: str, document: str) -> SourceRecord:
        """Remove a document, its chunks, and its file when it was uploaded."""
        record = self.document(collection, document)
        self._ledger.remove_source(collection, record.source_id)
        if self._tables is not None:
            self._tables.drop_source(collection, record.source_id)
        delete_pending(self._ledger, self._store, collection)
        self._uploads.discard(record.source_id)
        return record
