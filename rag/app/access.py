"""The app's stores beside the index: the collection catalog, conversations, feedback and the
upload area, each opened on first use in the data directory."""

from functools import cached_property
from typing import TYPE_CHECKING

from rag.datadir import DataDir
from rag.embed import DenseEmbedder
from rag.settings import Settings
from rag.store import VectorStore

if TYPE_CHECKING:
    from rag.ingest.ledger import Ledger
    from rag.plugins.registry import Plugins
    from rag.tables.store import TableStore


class AccessServices:
    settings: Settings
    data_dir: DataDir
    embedder: DenseEmbedder
    ledger: "Ledger"
    store: VectorStore
    plugins: "Plugins"
    tables: "TableStore"

    def collection(self, name: str | None) -> str:
        """A collection's name as first created: names that differ only by case are one."""
        return self.catalog.canonical(name or self.settings.default_collection)

    @cached_property
    def catalog(self):
        from rag.catalog import Catalog

        return Catalog(
            self.ledger,
            self.store,
            self.recipe,
            self.uploads,
            lambda: self.embedder.dimension,
            tables=self.tables,
        )

    @cached_property
    def feedback(self):
        from rag.feedback import FeedbackLog

        return FeedbackLog(self.data_dir.root / "feedback.sqlite3")

    @cached_property
    def conversations(self):
        from rag.conversations import ConversationStore

        return ConversationStore(self.data_dir.root / "conversations.sqlite3")

    @cached_property
    def viewer(self):
        """Cited places drawn with their span marked (rag/view/)."""
        from rag.ingest.ocr import OcrConfig
        from rag.view.viewer import SourceViewer

        ocr = OcrConfig.from_settings(self.settings)
        return SourceViewer(self.catalog, self.store, ocr, self.settings.max_file_bytes)

    @cached_property
    def uploads(self):
        from rag.ingest.uploads import UploadArea

        root = self.data_dir.root / "uploads"
        return UploadArea(root, self.settings.max_file_bytes, self.plugins.file_types)
