"""Retrieval: a question → the chunks that best support it (hybrid dense + BM25 by default)."""

from dataclasses import dataclass

from rag.embed import DenseEmbedder, SparseEncoder
from rag.errors import InvalidInputError
from rag.store import Filters, Mode, StoreQuery, VectorStore

MODES: tuple[Mode, ...] = ("hybrid", "dense", "bm25")


@dataclass(frozen=True)
class RetrievedChunk:
    id: str
    text: str
    source: str
    title: str
    document_id: str
    page: int | None
    start: int
    end: int
    score: float
    # Cosine similarity between question and chunk: comparable across modes, used to abstain.
    similarity: float

    def to_json(self) -> dict[str, object]:
        return {
            "document_id": self.document_id,
            "source": self.source,
            "page": self.page,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "score": round(self.score, 6),
        }


class Retriever:
    def __init__(
        self,
        store: VectorStore,
        embedder: DenseEmbedder,
        sparse: SparseEncoder,
        prefetch_limit: int,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._sparse = sparse
        self._prefetch_limit = prefetch_limit

    def search(
        self,
        query: str,
        collection: str,
        top_k: int,
        mode: Mode = "hybrid",
        filters: Filters | None = None,
    ) -> list[RetrievedChunk]:
        if not query.strip():
            raise InvalidInputError("the query is empty")
        if mode not in MODES:
            raise InvalidInputError(
                f"unknown retrieval mode {mode!r}; use one of {', '.join(MODES)}"
            )
        if top_k < 1:
            raise InvalidInputError(f"top_k must be at least 1, got {top_k}")
        dense = self._embedder.embed_query(query)
        hits = self._store.query(
            collection,
            StoreQuery(
                dense=dense,
                sparse=self._sparse.encode_query(query),
                mode=mode,
                limit=top_k,
                prefetch_limit=max(self._prefetch_limit, top_k),
                filters=filters,
            ),
        )
        return [
            RetrievedChunk(
                id=hit.id,
                text=hit.payload["text"],
                source=hit.payload["source"],
                title=hit.payload.get("title", hit.payload["source"]),
                document_id=hit.payload["document_id"],
                page=hit.payload.get("page"),
                start=hit.payload["start"],
                end=hit.payload["end"],
                score=hit.score,
                similarity=_dot(dense, hit.dense) if hit.dense else 0.0,
            )
            for hit in hits
        ]


def _dot(a: list[float], b: list[float]) -> float:
    # Both vectors are unit-normalised, so the dot product is the cosine similarity.
    return float(sum(x * y for x, y in zip(a, b, strict=True)))
