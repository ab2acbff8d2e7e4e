"""The public Python API: `Rag`, the same calls in-process and against a running API server.

Each client (`LocalClient` in this process, `ServerClient` over HTTP) returns the JSON the REST
route sends, and `Rag` reads it back into the types that JSON is made from (`AskResult`,
`RetrievedChunk`, `IngestReport`, ...): one reading, so both give equal results. docs/API.md
shows it in use.
"""

import os
from collections.abc import Iterator, Sequence
from contextlib import closing
from types import TracebackType
from typing import TYPE_CHECKING

from rag.client.backend import Backend, retrieval_options
from rag.client.resources import Collections, Documents, Tables
from rag.errors import InvalidInputError
from rag.settings import RetrievalMode, Settings, load_settings
from rag.store import Filters

if TYPE_CHECKING:
    from rag.answer.types import AskResult
    from rag.ingest.report import IngestReport
    from rag.retrieve import RetrievedChunk

Source = str | os.PathLike[str]


class Rag:
    """Ingest, search and ask over one data directory: here, or through the server owning it.

    `rag.collections` and `rag.documents` list and delete what is indexed, `rag.tables` lists
    and queries its tables. Close it (or use it as a context manager) to release the data
    directory or the connection.
    """

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self.collections = Collections(backend)
        self.documents = Documents(backend)
        self.tables = Tables(backend)

    @classmethod
    def open(
        cls,
        settings: Settings | None = None,
        *,
        url: str | None = None,
        api_key: str | None = None,
    ) -> "Rag":
        """`url`: the API server there (with `api_key`, default RAG_API_KEY, else the data
        directory's local token for a server on this machine). Else the server RAG_API_URL
        names, else the one that owns the settings' data directory when one runs (its
        `server.json`), else the index and models in this process (`settings`: default, the
        RAG_* environment)."""
        from rag.client.http import ServerClient, client_key

        settings = settings or load_settings()
        if url is not None:
            return cls(ServerClient.connect(url, api_key or client_key(settings, url)))
        server = ServerClient.for_settings(settings)
        if server is not None:
            return cls(server)
        from rag.client.local import LocalClient

        return cls(LocalClient.open(settings))

    @property
    def url(self) -> str | None:
        """The API server this talks to, or None when the index is open in this process."""
        return self._backend.url

    def ingest(
        self, sources: Source | Sequence[Source], collection: str | None = None
    ) -> "IngestReport":
        """Index files, folders and URIs (http(s) web pages, or a connector plugin's scheme); a
        folder is synced (files gone from it lose their chunks). Over HTTP the server reads
        local paths only under its RAG_API_INGEST_ROOTS."""
        from rag.ingest.report import IngestReport

        named = [sources] if isinstance(sources, str | os.PathLike) else list(sources)
        if not named:
            raise InvalidInputError("nothing to ingest: name files, folders or URLs")
        report = self._backend.ingest([os.fspath(s) for s in named], collection)
        return IngestReport(**report)

    def search(
        self,
        query: str,
        *,
        collection: str | None = None,
        top_k: int | None = None,
        mode: RetrievalMode | None = None,
        filters: Filters | None = None,
    ) -> "list[RetrievedChunk]":
        """Retrieval only: the chunks that best match `query`, best first."""
        from rag.retrieve import RetrievedChunk

        options = retrieval_options(collection, top_k, mode, filters)
        shown = self._backend.search(_checked(query), options)
        return [RetrievedChunk.from_json(chunk) for chunk in shown["results"]]

    def ask(
        self,
        question: str,
        *,
        collection: str | None = None,
        top_k: int | None = None,
        mode: RetrievalMode | None = None,
        filters: Filters | None = None,
    ) -> "AskResult":
        """A grounded answer with citations, or an abstention when the documents lack one."""
        from rag.answer.types import AskResult

        options = retrieval_options(collection, top_k, mode, filters)
        return AskResult.from_json(self._backend.ask(_checked(question), options))

    def stream(
        self,
        question: str,
        *,
        collection: str | None = None,
        top_k: int | None = None,
        mode: RetrievalMode | None = None,
        filters: Filters | None = None,
    ) -> "Iterator[str | AskResult]":
        """The answer as `ask` gives it, its text first: each verified sentence (a str) as soon
        as it is released, then the finished `AskResult`. Leaving the loop stops the model."""
        from rag.answer.types import AskResult

        options = retrieval_options(collection, top_k, mode, filters)
        with closing(self._backend.stream(_checked(question), options)) as events:
            for event in events:
                yield event if isinstance(event, str) else AskResult.from_json(event)

    def close(self) -> None:
        """Release the data directory (in-process) or the connection; a second open works."""
        self._backend.close()

    def __enter__(self) -> "Rag":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _checked(question: str) -> str:
    from rag.answer.types import checked_question

    return checked_question(question)
