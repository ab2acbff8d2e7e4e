"""Retrieval: a question → the chunks that best support it.

The default `hybrid` mode runs a dense and a BM25 search and fuses their *scores*: each list is
min-max normalised over its own candidates and the two are mixed with a fixed weight. Plain rank
fusion (RRF, kept as mode `rrf`) lets a weak dense list drag good BM25 hits down; measured in
docs/BENCHMARKS.md.
"""

from dataclasses import dataclass
from typing import get_args

from rag.embed import DenseEmbedder, SparseEncoder
from rag.errors import InvalidInputError
from rag.settings import RetrievalMode as Mode
from rag.store import Filters, StoredHit, StoreMode, StoreQuery, VectorStore

MODES: tuple[str, ...] = get_args(Mode)


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
        dense_weight: float,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._sparse = sparse
        self._prefetch_limit = prefetch_limit
        self._dense_weight = dense_weight

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
            raise InvalidInputError(f"unknown retrieval mode {mode!r}; use one of {MODES}")
        if top_k < 1:
            raise InvalidInputError(f"top_k must be at least 1, got {top_k}")
        dense = self._embedder.embed_query(query)
        sparse = self._sparse.encode_query(query)
        prefetch = max(self._prefetch_limit, top_k)

        def run(store_mode: StoreMode, limit: int) -> list[StoredHit]:
            request = StoreQuery(dense, sparse, store_mode, limit, prefetch, filters)
            return self._store.query(collection, request)

        if mode == "hybrid":
            scored = fuse_scores(run("dense", prefetch), run("bm25", prefetch), self._dense_weight)
        else:
            scored = [(hit, hit.score) for hit in run(mode, top_k)]
        return [_to_chunk(hit, score, dense) for hit, score in scored[:top_k]]


def fuse_scores(
    dense: list[StoredHit], lexical: list[StoredHit], dense_weight: float
) -> list[tuple[StoredHit, float]]:
    """Convex mix of min-max normalised scores; a hit missing from one list scores 0 there."""
    dense_norm, lexical_norm = _min_max(dense), _min_max(lexical)
    hits = {hit.id: hit for hit in [*lexical, *dense]}
    fused = {
        hit_id: dense_weight * dense_norm.get(hit_id, 0.0)
        + (1.0 - dense_weight) * lexical_norm.get(hit_id, 0.0)
        for hit_id in hits
    }
    ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
    return [(hits[hit_id], score) for hit_id, score in ranked]


def _min_max(hits: list[StoredHit]) -> dict[str, float]:
    if not hits:
        return {}
    low, high = min(h.score for h in hits), max(h.score for h in hits)
    span = high - low
    return {h.id: (h.score - low) / span if span > 0 else 1.0 for h in hits}


def _to_chunk(hit: StoredHit, score: float, query_vector: list[float]) -> RetrievedChunk:
    payload = hit.payload
    return RetrievedChunk(
        id=hit.id,
        text=payload["text"],
        source=payload["source"],
        title=payload.get("title", payload["source"]),
        document_id=payload["document_id"],
        page=payload.get("page"),
        start=payload["start"],
        end=payload["end"],
        score=score,
        similarity=_dot(query_vector, hit.dense) if hit.dense else 0.0,
    )


def _dot(a: list[float], b: list[float]) -> float:
    # Both vectors are unit-normalised, so the dot product is the cosine similarity.
    return float(sum(x * y for x, y in zip(a, b, strict=True)))
