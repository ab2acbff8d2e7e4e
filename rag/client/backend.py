"""What `Rag` asks of a client: the REST routes' calls, each returning the JSON its route sends.

Two clients implement it: `LocalClient` (the core in this process) and `ServerClient` (a
running API server over HTTP). `options` are the retrieval options every question takes:
`collection`, `top_k`, `mode` and `filters` (None: the settings' default); `ask`'s may also
name a `conversation_id` and an `adapter`, as the REST query does.
"""

from collections.abc import Generator
from typing import Any, Protocol

from rag.settings import RetrievalMode
from rag.store import Filters

JsonObject = dict[str, Any]


def retrieval_options(
    collection: str | None, top_k: int | None, mode: RetrievalMode | None, filters: Filters | None
) -> JsonObject:
    return {"collection": collection, "top_k": top_k, "mode": mode, "filters": filters}


class Backend(Protocol):
    url: str | None  # the server's, or None in-process

    def search(self, query: str, options: JsonObject) -> JsonObject: ...

    def ask(self, question: str, options: JsonObject) -> JsonObject: ...

    def stream(self, question: str, options: JsonObject) -> Generator[str | JsonObject, None, None]:
        """Text pieces of the answer as they are released, then the answer's whole JSON."""
        ...

    def ingest(self, sources: list[str], collection: str | None) -> JsonObject: ...

    def collections(self) -> JsonObject: ...

    def create_collection(self, name: str) -> JsonObject: ...

    def delete_collection(self, name: str) -> JsonObject: ...

    def documents(self, collection: str | None) -> JsonObject: ...

    def delete_document(self, document_id: str, collection: str | None) -> JsonObject: ...

    def tables(self, collection: str | None) -> JsonObject: ...

    def table(self, name: str, collection: str | None, offset: int, limit: int) -> JsonObject: ...

    def table_query(self, sql: str, collection: str | None, max_rows: int) -> JsonObject: ...

    def close(self) -> None: ...
