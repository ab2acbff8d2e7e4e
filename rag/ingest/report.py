"""What an ingest reports: its progress while it runs, then the sources added, updated, deleted,
moved, failed or kept unread and the chunks written. Light on purpose (no reader, embedder or
store is imported), so a client that only reads a server's report back (`Rag.ingest` over HTTP)
starts fast."""

from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    moved: list[dict[str, str]] = field(default_factory=list)
    unchanged: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    chunks_written: int = 0
    kept: list[dict[str, str]] = field(default_factory=list)  # indexed, found, not read: why

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    def extend(self, other: "IngestReport") -> None:
        """Add `other`'s outcomes to this report (one run made of several syncs)."""
        for name in ("added", "updated", "deleted", "moved", "failed", "kept"):
            getattr(self, name).extend(getattr(other, name))
        self.unchanged += other.unchanged
        self.chunks_written += other.chunks_written

    def summary(self) -> str:
        return (
            f"added {len(self.added)}, updated {len(self.updated)}, "
            f"deleted {len(self.deleted)}, moved {len(self.moved)}, "
            f"unchanged {self.unchanged}, failed {len(self.failed)}; "
            f"{self.chunks_written} chunks written"
        )


class IngestProgress:
    """What an ingest in this process tells whoever shows it; this one shows nothing (the CLI's
    progress bar is another)."""

    def syncing(self, sources: int) -> AbstractContextManager[None]:
        """Around the sync of `sources` sources."""
        return nullcontext()

    def source_done(self, source_id: str) -> None:
        """`source_id` is handled (indexed, unchanged or failed)."""

    def ocr_page(self, source_id: str, page: int, pages: int) -> None:
        """Tesseract reads `page` of the `pages` to OCR in `source_id` next."""

    def building_index(self, collection: str) -> None:
        """The collection's search index is built next."""
