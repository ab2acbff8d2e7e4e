"""Retrieval: a question → the chunks that best support it.

The default `hybrid` mode runs a dense and a BM25 search and fuses their *scores*: each list is
min-max normalised over its own candidates and the two are mixed with a fixed weight. Plain rank
fusion (RRF, kept as mode `rrf`) lets a weak dense list drag good BM25 hits down; measured in
docs/BENCHMARKS.md.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, get_args

from rag.embed import DenseEmbedder, SparseEncoder
from rag.errors import InvalidInputError
from rag.ingest.ids import chunk_id
from rag.rerank import Reranker
from rag.settings import RetrievalMode as Mode
from rag.store import Filters, StoredHit, StoreMode, StoreQuery, VectorStore

MODES: tuple[str, ...] = get_args(Mode)
_FILE_EXTENSION = re.compile(r"\.[a-z0-9]{1,5}$", re.I)


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
    ocr_confidence: float | None = None  # set when the chunk's text came from OCR
    # Table rows within the chunk: {"start", "end"} in page offsets, "record": {column: value}.
    records: tuple[dict[str, Any], ...] = field(default=(), compare=False)
    # Where it stands in its document's chunks, to find the one after it (`Retriever.following`).
    index: int | None = field(default=None, compare=False)
    content_hash: str | None = field(default=None, compare=False)

    @property
    def title_words(self) -> str:
        """Its title as words: "parks_bylaw_2019.txt" names the year 2019."""
        return _FILE_EXTENSION.sub("", self.title).replace("_", " ")

    @property
    def passage(self) -> str:
        """Its title (file name, heading path) with its text: all the chunk names."""
        return f"{self.title_words}\n{self.text}"

    def to_json(self) -> dict[str, object]:
        """The REST shape of a chunk; `from_json` reads it back whole."""
        shown: dict[str, object] = {
            "id": self.id,
            "document_id": self.document_id,
            "source": self.source,
            "title": self.title,
            "page": self.page,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "score": round(self.score, 6),
            "similarity": round(self.similarity, 6),
            **self.span_fields(self.start, self.end),
        }
        if self.records:
            shown["records"] = list(self.records)
        return shown

    @classmethod
    def from_json(cls, shown: dict[str, Any]) -> "RetrievedChunk":
        return cls(
            id=shown["id"],
            text=shown["text"],
            source=shown["source"],
            title=shown["title"],
            document_id=shown["document_id"],
            page=shown["page"],
            start=shown["start"],
            end=shown["end"],
            score=shown["score"],
            similarity=shown["similarity"],
            ocr_confidence=shown.get("ocr_confidence"),
            records=tuple(shown.get("records", ())),
        )

    def span_fields(self, start: int, end: int) -> dict[str, object]:
        """DESIGN.md's optional citation fields for a quote of this chunk at page offsets
        [start, end): `ocr` and `ocr_confidence`, and the `record` of the table row it quotes."""
        fields: dict[str, object] = {}
        if self.ocr_confidence is not None:
            fields |= {"ocr": True, "ocr_confidence": self.ocr_confidence}
        rows = [r["record"] for r in self.records if r["start"] < end and start < r["end"]]
        if len(rows) == 1:
            fields["record"] = rows[0]
        return fields


class Retriever:
    def __init__(
        self,
        store: VectorStore,
        embedder: DenseEmbedder,
        sparse: SparseEncoder,
        prefetch_limit: int,
        dense_weight: float,
        *,
        reranker: Reranker | None = None,
        rerank_candidates: int = 20,
        mmr_lambda: float | None = None,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._sparse = sparse
        self._prefetch_limit = prefetch_limit
        self._dense_weight = dense_weight
        self._reranker = reranker
        self._rerank_candidates = rerank_candidates
        self._mmr_lambda = mmr_lambda

    def is_empty(self, collection: str) -> bool:
        return self._store.count(collection) == 0

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
        second_stage = self._reranker is not None or self._mmr_lambda is not None
        candidates = max(top_k, self._rerank_candidates) if second_stage else top_k

        def run(store_mode: StoreMode, limit: int) -> list[StoredHit]:
            request = StoreQuery(dense, sparse, store_mode, limit, prefetch, filters)
            return self._store.query(collection, request)

        if mode == "hybrid":
            scored = fuse_scores(run("dense", prefetch), run("bm25", prefetch), self._dense_weight)
        else:
            scored = [(hit, hit.score) for hit in run(mode, candidates)]
        scored = scored[:candidates]
        if self._reranker is not None and scored:
            texts = [hit.payload["text"] for hit, _ in scored]
            rescored = zip((h for h, _ in scored), self._reranker.scores(query, texts), strict=True)
            scored = sorted(rescored, key=lambda item: -item[1])
        if self._mmr_lambda is not None:
            scored = mmr(scored, self._mmr_lambda, top_k)
        return [_to_chunk(hit, score, dense) for hit, score in scored[:top_k]]

    def following(self, collection: str, chunk: RetrievedChunk) -> RetrievedChunk | None:
        """The chunk after `chunk` in its document, scored as `chunk` is; None at the end or
        for a chunk that does not know its place."""
        if chunk.index is None or chunk.content_hash is None:
            return None
        after = chunk_id(chunk.source, chunk.content_hash, chunk.index + 1)
        points = self._store.retrieve(collection, [after])
        if not points:
            return None
        hit = StoredHit(points[0].id, chunk.score, points[0].payload, None)
        return replace(_to_chunk(hit, chunk.score, []), similarity=chunk.similarity)


def joined(first: RetrievedChunk, second: RetrievedChunk) -> RetrievedChunk:
    """`first` running on into `second`, the chunk after it on the same page (chunks overlap):
    one passage, so a list cut by the chunk boundary reads whole. `first` when they do not
    meet."""
    if second.page != first.page or not first.start <= second.start <= first.end < second.end:
        return first
    text = first.text + second.text[first.end - second.start :]
    return replace(first, text=text, end=second.end, records=first.records + second.records)


def fuse_scores(
    dense: list[StoredHit], lexical: list[StoredHit], dense_weight: float
) -> list[tuple[StoredHit, float]]:
    """Convex mix of min-max normalised scores; a hit missing from one list scores 0 there."""
    dense_norm = _min_max((h.id, h.score) for h in dense)
    lexical_norm = _min_max((h.id, h.score) for h in lexical)
    hits = {hit.id: hit for hit in [*lexical, *dense]}
    fused = {
        hit_id: dense_weight * dense_norm.get(hit_id, 0.0)
        + (1.0 - dense_weight) * lexical_norm.get(hit_id, 0.0)
        for hit_id in hits
    }
    ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
    return [(hits[hit_id], score) for hit_id, score in ranked]


def mmr(
    scored: list[tuple[StoredHit, float]], lambda_: float, k: int
) -> list[tuple[StoredHit, float]]:
    """Maximal marginal relevance: trade relevance against similarity to chunks already picked."""
    relevance = _min_max((hit.id, score) for hit, score in scored)
    remaining, picked = list(scored), []
    while remaining and len(picked) < k:

        def marginal(item: tuple[StoredHit, float]) -> float:
            hit = item[0]
            redundancy = max(
                (_dot(hit.dense, p.dense) for p, _ in picked if hit.dense and p.dense), default=0.0
            )
            return lambda_ * relevance[hit.id] - (1 - lambda_) * redundancy

        best = max(remaining, key=marginal)
        remaining.remove(best)
        picked.append(best)
    return picked


def _min_max(scores: Iterable[tuple[str, float]]) -> dict[str, float]:
    pairs = list(scores)
    if not pairs:
        return {}
    low, high = min(s for _, s in pairs), max(s for _, s in pairs)
    span = high - low
    return {key: (score - low) / span if span > 0 else 1.0 for key, score in pairs}


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
        ocr_confidence=payload.get("ocr_confidence"),
        records=tuple(payload.get("records", ())),
        index=payload.get("chunk_index"),
        content_hash=payload.get("content_hash"),
    )


def _dot(a: list[float], b: list[float]) -> float:
    # Both vectors are unit-normalised, so the dot product is the cosine similarity.
    return float(sum(x * y for x, y in zip(a, b, strict=True)))
