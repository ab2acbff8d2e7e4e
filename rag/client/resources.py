"""`rag.collections` and `rag.documents`: list, create and delete, as the REST API allows."""

from typing import TYPE_CHECKING

from rag.client.backend import Backend
from rag.datadir import check_collection_name

if TYPE_CHECKING:
    from rag.catalog import CollectionInfo, DocumentInfo


class Collections:
    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def list(self) -> "list[CollectionInfo]":
        """Every collection (over HTTP: those the key may read), by name."""
        from rag.catalog import CollectionInfo

        return [CollectionInfo(**c) for c in self._backend.collections()["collections"]]

    def create(self, name: str) -> str:
        """An empty collection, searchable at once; its name as stored (a name differing from an
        existing one only by case names that one)."""
        return self._backend.create_collection(check_collection_name(name))["name"]

    def delete(self, name: str) -> str:
        """Remove the collection, its chunks and its record; its name as stored."""
        return self._backend.delete_collection(check_collection_name(name))["deleted"]


class Documents:
    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def list(self, collection: str | None = None) -> "list[DocumentInfo]":
        """The documents indexed in `collection` (None: the default collection)."""
        from rag.catalog import DocumentInfo

        listed = self._backend.documents(collection)["documents"]
        return [DocumentInfo(**d) for d in listed]

    def delete(self, document_id: str, collection: str | None = None) -> "DocumentInfo":
        """Remove a document (by its id, as `list` gives it) and its chunks from the index."""
        from rag.catalog import DocumentInfo

        shown = self._backend.delete_document(document_id, collection)
        return DocumentInfo(**shown["deleted"])


class Tables:
    """The tables registered from a collection's documents (the REST /v1/tables shapes)."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def list(self, collection: str | None = None) -> list[dict[str, object]]:
        """Each table's name, source, sheet/page, columns with types and row count."""
        return self._backend.tables(collection)["tables"]

    def show(
        self, name: str, collection: str | None = None, offset: int = 0, limit: int = 20
    ) -> dict[str, object]:
        """`{"table": schema, "preview": {"columns", "rows", ...}}`: a page of rows in source
        order, each starting with its row number."""
        return self._backend.table(name, collection, offset, limit)

    def query(
        self, sql: str, collection: str | None = None, max_rows: int = 100
    ) -> dict[str, object]:
        """Run one SELECT over the collection's tables: `{"columns", "rows", "truncated"}`;
        anything else is refused with TableQueryError."""
        return self._backend.table_query(sql, collection, max_rows)
