"""The core in this process: what the REST routes do, without HTTP.

Each call returns the JSON its route sends, so `Rag` reads one shape from either client and an
in-process result equals the server's. This process owns the data directory while it is open.
"""

from collections.abc import Generator, Mapping, Sequence
from typing import TYPE_CHECKING

from rag.catalog import document_json, documents_json
from rag.client.backend import JsonObject
from rag.ingest.report import IngestProgress
from rag.settings import Settings

if TYPE_CHECKING:
    from rag.app import RagApp


class LocalClient:
    url: str | None = None

    def __init__(self, app: "RagApp") -> None:
        self._app = app

    @classmethod
    def open(cls, settings: Settings) -> "LocalClient":
        """Take the data directory (IndexLockedError names whoever holds it)."""
        from rag.app import RagApp

        return cls(RagApp(settings))

    def search(self, query: str, options: JsonObject) -> JsonObject:
        request = self._app.ask_request(query, **options)
        return {"results": [chunk.to_json() for chunk in self._app.search(request)]}

    def ask(self, question: str, options: JsonObject) -> JsonObject:
        request = self._app.ask_request(question, **options)
        return self._app.answer_json(request, self._app.answers.ask(request))

    def stream(self, question: str, options: JsonObject) -> Generator[str | JsonObject, None, None]:
        request = self._app.ask_request(question, **options)
        stream = self._app.answers.stream(request)
        try:
            yield from stream
        finally:  # also when the caller leaves the loop early: the model stops
            stream.cancel()
        yield self._app.answer_json(request, stream.result)

    def ingest(
        self,
        sources: list[str],
        collection: str | None,
        *,
        tags: Mapping[str, str] | None = None,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        progress: IngestProgress | None = None,
        as_sources: bool = True,
    ) -> JsonObject:
        """The REST ingest's sync, with what only this process offers: `tags` stored on every
        chunk, `include`/`exclude` patterns for a folder's files, a display told the progress,
        `as_sources` off for a rebuild (see RagApp.ingest)."""
        app = self._app
        name = app.collection(collection)
        progress = progress or IngestProgress()
        report = app.ingest(
            sources,
            name,
            tags=tags,
            include=include,
            exclude=exclude,
            progress=progress,
            as_sources=as_sources,
        )
        if app.index_is_due(name, report):
            progress.building_index(name)
            app.store.build_index(name)
        return report.to_json()

    def collections(self) -> JsonObject:
        return {"collections": [c.to_json() for c in self._app.catalog.collections()]}

    def create_collection(self, name: str) -> JsonObject:
        return {"name": self._app.catalog.create(self._app.collection(name))}

    def delete_collection(self, name: str) -> JsonObject:
        name = self._app.collection(name)
        with self._app.indexer.exclusive():
            self._app.catalog.delete(name)
        return {"deleted": name}

    def documents(self, collection: str | None) -> JsonObject:
        name = self._app.collection(collection)
        return documents_json(name, self._app.catalog.documents(name))

    def delete_document(self, document_id: str, collection: str | None) -> JsonObject:
        record = self._app.catalog.delete_document(self._app.collection(collection), document_id)
        return {"deleted": document_json(record)}

    def tables(self, collection: str | None) -> JsonObject:
        from rag.tables.schema import tables_json

        name = self._app.collection(collection)
        return tables_json(name, self._app.tables.schemas(name))

    def table(self, name: str, collection: str | None, offset: int, limit: int) -> JsonObject:
        from rag.tables.schema import table_page_json

        collection = self._app.collection(collection)
        schema = self._app.tables.schema(collection, name)
        preview = self._app.tables.preview(collection, schema.name, limit=limit, offset=offset)
        return table_page_json(schema, preview, offset, limit)

    def table_query(self, sql: str, collection: str | None, max_rows: int) -> JsonObject:
        name = self._app.collection(collection)
        return {
            "collection": name,
            **self._app.tables.select(name, sql, max_rows=max_rows).to_json(),
        }

    def close(self) -> None:
        self._app.close()
