"""A Qdrant server or cluster through qdrant-client: the same collection layout as Edge.

Use it when one machine is not enough: set `RAG_QDRANT_URL` (and `RAG_QDRANT_API_KEY`). Tests
run the shared contract suite against `QdrantClient(":memory:")`, which speaks the same API.
"""

import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import ResponseHandlingException, UnexpectedResponse

from rag.errors import NotFoundError, StoreError
from rag.store import (
    DENSE,
    INDEXED_FIELDS,
    RRF_K,
    SPARSE,
    ChunkPoint,
    Filters,
    StoredHit,
    StoreQuery,
    filter_conditions,
    points_in_order,
    validate_points,
)

T = TypeVar("T")
_SCROLL_PAGE = 1024
_SCHEMA_TYPES = {
    "keyword": models.PayloadSchemaType.KEYWORD,
    "integer": models.PayloadSchemaType.INTEGER,
    "datetime": models.PayloadSchemaType.DATETIME,
}
_TRANSIENT = (ResponseHandlingException, ConnectionError, TimeoutError)


class QdrantServerStore:
    def __init__(self, client: QdrantClient, retries: int = 3, backoff_s: float = 0.5) -> None:
        self._client = client
        self._retries = retries
        self._backoff_s = backoff_s

    def create_collection(self, name: str, dimension: int) -> None:
        if self._call(lambda: self._client.collection_exists(name)):
            return
        self._call(
            lambda: self._client.create_collection(
                name,
                vectors_config={
                    DENSE: models.VectorParams(size=dimension, distance=models.Distance.COSINE)
                },
                sparse_vectors_config={
                    SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)
                },
            )
        )
        for field, kind in INDEXED_FIELDS.items():
            self._call(
                lambda f=field, k=kind: self._client.create_payload_index(name, f, _SCHEMA_TYPES[k])
            )

    def collections(self) -> list[str]:
        response = self._call(self._client.get_collections)
        return sorted(c.name for c in response.collections)

    def drop_collection(self, name: str) -> None:
        self._call(lambda: self._client.delete_collection(name))

    def upsert(self, collection: str, points: Sequence[ChunkPoint]) -> None:
        if not points:
            return
        validate_points(points, self._dimension(collection))
        structs = [
            models.PointStruct(
                id=p.id,
                vector={
                    DENSE: p.dense,
                    SPARSE: models.SparseVector(indices=p.sparse.indices, values=p.sparse.values),
                },
                payload=p.payload,
            )
            for p in points
        ]
        self._call(lambda: self._client.upsert(collection, structs, wait=True))

    def delete(self, collection: str, ids: Sequence[str]) -> None:
        if ids:
            self._require(collection)
            selector = models.PointIdsList(points=list(ids))
            self._call(lambda: self._client.delete(collection, selector, wait=True))

    def retrieve(self, collection: str, ids: Sequence[str]) -> list[ChunkPoint]:
        self._require(collection)
        records = self._call(
            lambda: self._client.retrieve(
                collection, list(ids), with_payload=True, with_vectors=True
            )
        )
        return points_in_order(ids, [(str(r.id), r.vector, r.payload or {}) for r in records])

    def query(self, collection: str, query: StoreQuery) -> list[StoredHit]:
        self._require(collection)
        query_filter = _to_filter(query.filters)
        sparse = (
            models.SparseVector(indices=query.sparse.indices, values=query.sparse.values)
            if query.sparse is not None and query.sparse.indices
            else None
        )
        common = dict(
            limit=query.limit, query_filter=query_filter, with_payload=True, with_vectors=[DENSE]
        )
        if query.mode == "dense":
            request: dict[str, object] = {"query": query.dense, "using": DENSE}
        elif sparse is None:
            return []  # no query term is in the BM25 vocabulary: nothing matches lexically
        elif query.mode == "bm25":
            request = {"query": sparse, "using": SPARSE}
        else:
            request = {
                "prefetch": [
                    models.Prefetch(
                        query=vector, using=name, limit=query.prefetch_limit, filter=query_filter
                    )
                    for name, vector in ((DENSE, query.dense), (SPARSE, sparse))
                ],
                "query": models.RrfQuery(rrf=models.Rrf(k=RRF_K)),
            }
        points = self._call(
            lambda: self._client.query_points(collection, **request, **common)
        ).points
        return [
            StoredHit(
                id=str(p.id),
                score=float(p.score),
                payload=dict(p.payload or {}),
                dense=(p.vector or {}).get(DENSE) if isinstance(p.vector, dict) else None,
            )
            for p in points
        ]

    def point_sources(self, collection: str) -> dict[str, str]:
        self._require(collection)
        sources: dict[str, str] = {}
        offset = None
        while True:
            records, offset = self._call(
                lambda start=offset: self._client.scroll(
                    collection, limit=_SCROLL_PAGE, offset=start, with_payload=["source"]
                )
            )
            sources.update((str(r.id), (r.payload or {}).get("source", "")) for r in records)
            if offset is None:
                return sources

    def count(self, collection: str, filters: Filters | None = None) -> int:
        self._require(collection)
        result = self._call(
            lambda: self._client.count(collection, count_filter=_to_filter(filters), exact=True)
        )
        return result.count

    def build_index(self, collection: str) -> None:
        """A Qdrant server indexes in its own background optimizers."""

    def close(self) -> None:
        self._client.close()

    def _dimension(self, collection: str) -> int:
        self._require(collection)
        info = self._call(lambda: self._client.get_collection(collection))
        vectors = info.config.params.vectors
        if not isinstance(vectors, dict) or DENSE not in vectors:
            raise StoreError(f"Qdrant collection {collection!r} has no {DENSE!r} vector")
        return vectors[DENSE].size

    def _require(self, collection: str) -> None:
        if not self._call(lambda: self._client.collection_exists(collection)):
            raise NotFoundError.collection(collection)

    def _call(self, operation: Callable[[], T]) -> T:
        """Retry transient transport failures with exponential backoff; raise the rest."""
        for attempt in range(self._retries):
            try:
                return operation()
            except _TRANSIENT:
                if attempt == self._retries - 1:
                    raise
                time.sleep(self._backoff_s * 2**attempt)
            except UnexpectedResponse as exc:
                raise StoreError(f"the Qdrant server refused the request: {exc}") from None
        raise AssertionError("unreachable")


def _to_filter(filters: Filters | None) -> models.Filter | None:
    conditions = []
    for key, kind, value in filter_conditions(filters):
        if kind == "value":
            conditions.append(models.FieldCondition(key=key, match=models.MatchValue(value=value)))
        elif kind == "any":
            conditions.append(models.FieldCondition(key=key, match=models.MatchAny(any=value)))
        elif kind == "range":
            conditions.append(models.FieldCondition(key=key, range=models.Range(**value)))
        else:
            conditions.append(models.FieldCondition(key=key, range=models.DatetimeRange(**value)))
    return models.Filter(must=conditions) if conditions else None
