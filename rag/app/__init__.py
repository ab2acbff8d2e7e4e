"""The composition root: Settings → wired objects. The only place that builds the parts.

Front doors call `open_app(settings)` and use its services. Models load on first use, so
`rag ingest` never loads the language model and an all-unchanged re-ingest never loads torch.
Tests inject fakes through the keyword arguments.

`RagApp` opens the data directory, the ledger and the vector store; every other part is built
on first use by one of the services it is made of, one module per concern: `models` (chat
model, judge, support signal), `access` (catalog, conversations, feedback, uploads),
`indexing` (indexer, ingest jobs, index builds) and `answering` (requests, retrieval, answers).
"""

from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING

from rag.app.access import AccessServices
from rag.app.answering import AnsweringServices
from rag.app.indexing import IndexingServices
from rag.app.models import ModelServices
from rag.datadir import DataDir
from rag.embed import DenseEmbedder, SparseEncoder
from rag.llm import ChatModel
from rag.plugins.registry import Plugins, load_plugins
from rag.settings import Settings
from rag.store import VectorStore

if TYPE_CHECKING:
    from rag.tables.store import TableStore

__all__ = ["RagApp"]


class RagApp(AnsweringServices, IndexingServices, AccessServices, ModelServices):
    def __init__(
        self,
        settings: Settings,
        *,
        embedder: DenseEmbedder | None = None,
        model: ChatModel | None = None,
    ) -> None:
        from rag.embed import Bm25Encoder, SentenceTransformerEmbedder, resolve_embedder_path
        from rag.ingest.ledger import Ledger, delete_pending

        self.settings = settings
        self.data_dir = DataDir(settings.data_dir)
        self.embedder = embedder or SentenceTransformerEmbedder(
            resolve_embedder_path(settings.embed_model), settings.embed_batch_size
        )
        self.data_dir.acquire()
        try:
            self.ledger = Ledger(self.data_dir.ledger_path(settings.qdrant_url))
            self.store = _build_store(settings, self.data_dir)
            # A run killed half-way leaves chunks that are not current: remove them first.
            for collection in self.ledger.collections():
                delete_pending(self.ledger, self.store, collection)
        except BaseException:
            self.data_dir.release()
            raise
        self.sparse: SparseEncoder = Bm25Encoder()
        self._model = model

    @cached_property
    def tables(self) -> "TableStore":
        """Every ingested table as a typed table (rag/tables/store.py), beside the ledger it
        keeps in step with: one DuckDB file per ledger."""
        from rag.tables.store import TableStore

        ledger = self.data_dir.ledger_path(self.settings.qdrant_url)
        return TableStore(ledger.with_name(ledger.stem.replace("ledger", "tables", 1) + ".duckdb"))

    @cached_property
    def plugins(self) -> Plugins:
        """The built-in plugins and the third-party ones RAG_PLUGINS enables (rag/plugins/):
        readers, connectors, tools and answerers, each failure recorded, never raised."""
        return load_plugins(self.settings)

    def close(self) -> None:
        if "jobs" in self.__dict__:
            self.jobs.close()  # before what they write to
        for log in ("sources", "feedback", "conversations"):
            if log in self.__dict__:
                self.__dict__[log].close()
        if "tables" in self.__dict__:
            self.tables.close()
        self.store.close()
        self.ledger.close()
        self.data_dir.release()

    def __enter__(self) -> "RagApp":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _build_store(settings: Settings, data_dir: DataDir) -> VectorStore:
    if settings.qdrant_url is None:
        from rag.store.edge import EdgeStore

        return EdgeStore(data_dir.root / "collections")
    from qdrant_client import QdrantClient

    from rag.store.server import QdrantServerStore

    api_key = settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None
    client = QdrantClient(
        url=settings.qdrant_url, api_key=api_key, timeout=settings.qdrant_timeout_s
    )
    return QdrantServerStore(client)
