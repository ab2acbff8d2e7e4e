"""Embedded Qdrant Edge: the Qdrant engine in-process, one shard folder per collection.

Segments are left unoptimised on the request path: an unindexed segment answers exactly, and
HNSW building (`optimize()`) is slow, so it never runs inside a user request.
"""

import json
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path

from qdrant_edge import (
    CountRequest,
    Distance,
    EdgeConfig,
    EdgeShard,
    EdgeSparseVectorParams,
    EdgeVectorParams,
    FieldCondition,
    Filter,
    Fusion,
    MatchAny,
    MatchValue,
    Modifier,
    PayloadSchemaType,
    Point,
    Prefetch,
    Query,
    QueryRequest,
    RangeDateTime,
    RangeFloat,
    ScrollRequest,
    UpdateOperation,
)
from qdrant_edge import SparseVector as EdgeSparse

from rag.errors import IndexLockedError, NotFoundError
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

_SCROLL_PAGE = 1024
_SCHEMA_TYPES = {
    "keyword": PayloadSchemaType.Keyword,
    "integer": PayloadSchemaType.Integer,
    "datetime": PayloadSchemaType.Datetime,
}


class EdgeStore:
    def __init__(self, root: Path) -> None:
        self._root = root
        self._shards: dict[str, EdgeShard] = {}
        self._lock = threading.Lock()

    def create_collection(self, name: str, dimension: int) -> None:
        with self._lock:
            if name in self._shards or self._meta_path(name).is_file():
                return
            # A shard folder without its metadata file is a creation cut short: start over.
            shutil.rmtree(self._path(name), ignore_errors=True)
            config = EdgeConfig(
                vectors={DENSE: EdgeVectorParams(size=dimension, distance=Distance.Cosine)},
                sparse_vectors={SPARSE: EdgeSparseVectorParams(modifier=Modifier.Idf)},
            )
            shard = EdgeShard.create(str(self._path(name)), config)
            for field, kind in INDEXED_FIELDS.items():
                shard.update(UpdateOperation.create_field_index(field, _SCHEMA_TYPES[kind]))
            shard.flush()
            self._shards[name] = shard
            self._meta_path(name).write_text(json.dumps({"dimension": dimension}))

    def collections(self) -> list[str]:
        if not self._root.is_dir():
            return []
        return sorted(p.name for p in self._root.iterdir() if self._meta_path(p.name).is_file())

    def drop_collection(self, name: str) -> None:
        with self._lock:
            shard = self._shards.pop(name, None)
            if shard is not None:
                shard.close()
            shutil.rmtree(self._path(name).parent, ignore_errors=True)

    def upsert(self, collection: str, points: Sequence[ChunkPoint]) -> None:
        if not points:
            return
        shard = self._shard(collection)
        validate_points(points, self._dimension(collection))
        shard.update(UpdateOperation.upsert_points([_to_point(p) for p in points]))
        shard.flush()

    def delete(self, collection: str, ids: Sequence[str]) -> None:
        if ids:
            shard = self._shard(collection)
            shard.update(UpdateOperation.delete_points(list(ids)))
            shard.flush()

    def retrieve(self, collection: str, ids: Sequence[str]) -> list[ChunkPoint]:
        records = self._shard(collection).retrieve(list(ids), with_payload=True, with_vector=True)
        return points_in_order(ids, [(str(r.id), r.vector, r.payload or {}) for r in records])

    def query(self, collection: str, query: StoreQuery) -> list[StoredHit]:
        shard = self._shard(collection)
        edge_filter = _to_filter(query.filters)
        dense = Query.Nearest(query.dense, using=DENSE) if query.dense is not None else None
        sparse = (
            Query.Nearest(EdgeSparse(query.sparse.indices, query.sparse.values), using=SPARSE)
            if query.sparse is not None and query.sparse.indices
            else None
        )
        common = dict(limit=query.limit, with_payload=True, with_vector=[DENSE], filter=edge_filter)
        if query.mode == "dense":
            request = QueryRequest(query=dense, **common)
        elif sparse is None:
            return []  # no query term is in the BM25 vocabulary: nothing matches lexically
        elif query.mode == "bm25":
            request = QueryRequest(query=sparse, **common)
        else:
            prefetches = [
                Prefetch(limit=query.prefetch_limit, query=q, filter=edge_filter)
                for q in (dense, sparse)
            ]
            request = QueryRequest(prefetches=prefetches, query=Fusion.Rrf(k=RRF_K), **common)
        return [_to_hit(p) for p in shard.query(request)]

    def point_sources(self, collection: str) -> dict[str, str]:
        shard, sources, offset = self._shard(collection), {}, None
        while True:
            records, offset = shard.scroll(
                ScrollRequest(offset=offset, limit=_SCROLL_PAGE, with_payload=True)
            )
            sources.update((str(r.id), (r.payload or {}).get("source", "")) for r in records)
            if offset is None:
                return sources

    def count(self, collection: str, filters: Filters | None = None) -> int:
        return self._shard(collection).count(CountRequest(exact=True, filter=_to_filter(filters)))

    def build_index(self, collection: str) -> None:
        # optimize() holds the GIL for the whole HNSW build (measured: no Python thread runs
        # meanwhile), so it belongs to the CLI's batch runs, never to the serving process.
        self._shard(collection).optimize()

    def close(self) -> None:
        with self._lock:
            for shard in self._shards.values():
                shard.close()
            self._shards.clear()

    def _path(self, name: str) -> Path:
        return self._root / name / "shard"

    def _meta_path(self, name: str) -> Path:
        return self._root / name / "collection.json"

    def _dimension(self, name: str) -> int:
        return int(json.loads(self._meta_path(name).read_text())["dimension"])

    def _shard(self, name: str) -> EdgeShard:
        with self._lock:
            shard = self._shards.get(name)
            if shard is not None:
                return shard
            path = self._path(name)
            if not path.is_dir():
                raise NotFoundError(f"collection {name!r} does not exist")
            try:
                shard = EdgeShard.load(str(path))
            except Exception as exc:
                if "WouldBlock" in str(exc):
                    raise IndexLockedError(
                        f"collection {name!r} at {path} is open in another process"
                    ) from None
                raise
            self._shards[name] = shard
            return shard


def _to_point(point: ChunkPoint) -> Point:
    sparse = EdgeSparse(point.sparse.indices, point.sparse.values)
    return Point(id=point.id, vector={DENSE: point.dense, SPARSE: sparse}, payload=point.payload)


def _to_hit(point) -> StoredHit:
    vector = point.vector or {}
    return StoredHit(
        id=str(point.id),
        score=float(point.score),
        payload=dict(point.payload or {}),
        dense=vector.get(DENSE),
    )


def _to_filter(filters: Filters | None) -> Filter | None:
    conditions = []
    for key, kind, value in filter_conditions(filters):
        if kind == "value":
            conditions.append(FieldCondition(key=key, match=MatchValue(value)))
        elif kind == "any":
            conditions.append(FieldCondition(key=key, match=MatchAny(value)))
        elif kind == "range":
            conditions.append(FieldCondition(key=key, range=RangeFloat(**value)))
        else:
            conditions.append(FieldCondition(key=key, range=RangeDateTime(**value)))
    return Filter(must=conditions) if conditions else None
