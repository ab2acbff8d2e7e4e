"""The vector store: one small protocol, two backends (embedded Qdrant Edge, Qdrant server).

Each chunk is one point with a dense named vector `dense`, a sparse BM25 vector `bm25` (IDF
applied by the store) and a payload holding its text, source, page and character span.
"""

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from rag.embed import SparseVector
from rag.errors import InvalidInputError

DENSE = "dense"
SPARSE = "bm25"
RRF_K = 60

# One ranked list: nearest dense vectors, BM25, or both fused by rank in the engine (RRF).
StoreMode = Literal["dense", "bm25", "rrf"]
# Payload key → an exact value, a list meaning "any of these", or a range such as
# {"gte": 3, "lt": 7} (numbers) or {"gte": "2026-01-01"} (ISO 8601 dates). Nested keys use dots
# ("tags.team").
Scalar = str | int | bool
Range = Mapping[str, float | str]
Filters = Mapping[str, Scalar | Sequence[str] | Sequence[int] | Range]
RANGE_BOUNDS = ("gt", "gte", "lt", "lte")

# Payload fields with an index, so filters and deletes on them stay fast.
INDEXED_FIELDS: dict[str, str] = {
    "source": "keyword",
    "document_id": "keyword",
    "file_type": "keyword",
    "content_hash": "keyword",
    "page": "integer",
    "modified": "datetime",
}


@dataclass(frozen=True)
class ChunkPoint:
    id: str
    dense: list[float]
    sparse: SparseVector
    payload: dict[str, Any]


@dataclass(frozen=True)
class StoredHit:
    id: str
    score: float
    payload: dict[str, Any]
    dense: list[float] | None


@dataclass(frozen=True)
class StoreQuery:
    dense: list[float] | None
    sparse: SparseVector | None
    mode: StoreMode
    limit: int
    prefetch_limit: int
    filters: Filters | None = None


class VectorStore(Protocol):
    def create_collection(self, name: str, dimension: int) -> None: ...

    def collections(self) -> list[str]: ...

    def drop_collection(self, name: str) -> None: ...

    def upsert(self, collection: str, points: Sequence[ChunkPoint]) -> None: ...

    def delete(self, collection: str, ids: Sequence[str]) -> None: ...

    def retrieve(self, collection: str, ids: Sequence[str]) -> list[ChunkPoint]:
        """Stored points with their vectors, in the order of `ids` (missing ids are skipped)."""
        ...

    def query(self, collection: str, query: StoreQuery) -> list[StoredHit]: ...

    def point_sources(self, collection: str) -> dict[str, str]:
        """Every stored point's id → its `source` payload (for consistency checks)."""
        ...

    def count(self, collection: str, filters: Filters | None = None) -> int: ...

    def build_index(self, collection: str) -> None:
        """Build the ANN index now. It blocks its caller (the end of an ingest, or a thread of
        the server), never a query or a write."""
        ...

    def close(self) -> None: ...


def validate_points(points: Sequence[ChunkPoint], dimension: int) -> None:
    """Refuse the whole batch before any write if one vector is malformed."""
    for point in points:
        if len(point.dense) != dimension:
            raise InvalidInputError(
                f"chunk {point.id}: dense vector has {len(point.dense)} dimensions, "
                f"the collection expects {dimension}"
            )
        if not all(math.isfinite(x) for x in point.dense) or not all(
            math.isfinite(x) for x in point.sparse.values
        ):
            raise InvalidInputError(f"chunk {point.id}: vector contains NaN or infinity")
        if len(point.sparse.indices) != len(point.sparse.values):
            raise InvalidInputError(f"chunk {point.id}: sparse indices and values differ in length")


# A payload field, optionally nested with dots (tags.team); never a JSON path expression.
_FILTER_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}(?:\.[A-Za-z_][A-Za-z0-9_-]{0,63}){0,3}")


def filter_conditions(filters: Filters | None) -> list[tuple[str, str, object]]:
    """Check filters once, for every backend: (key, "value" | "any" | "range" | "date_range", x)."""
    conditions: list[tuple[str, str, object]] = []
    for key, value in (filters or {}).items():
        if not _FILTER_KEY.fullmatch(key):
            raise InvalidInputError(
                f"invalid filter key {key!r}: use a payload field name such as file_type, "
                "page or tags.team"
            )
        if isinstance(value, Mapping):
            unknown = set(value) - set(RANGE_BOUNDS)
            if unknown or not value:
                raise InvalidInputError(
                    f"filter {key!r}: a range takes the bounds {', '.join(RANGE_BOUNDS)}"
                )
            is_date = all(isinstance(v, str) for v in value.values())
            if not is_date and not all(isinstance(v, int | float) for v in value.values()):
                raise InvalidInputError(f"filter {key!r}: range bounds must be numbers or dates")
            if is_date and (bad := next((v for v in value.values() if not _is_date(v)), None)):
                raise InvalidInputError(
                    f"filter {key!r}: range bound {bad[:40]!r} is not an ISO 8601 date "
                    "(such as 2026-01-31 or 2026-01-31T09:00:00Z)"
                )
            conditions.append((key, "date_range" if is_date else "range", dict(value)))
        elif isinstance(value, list | tuple):
            conditions.append((key, "any", list(value)))
        else:
            conditions.append((key, "value", value))
    return conditions


def _is_date(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def points_in_order(
    ids: Sequence[str], records: Sequence[tuple[str, Mapping[str, Any], Mapping[str, Any]]]
) -> list[ChunkPoint]:
    """Backend records (id, vectors by name, payload) → ChunkPoints in the order of `ids`."""
    by_id = {point_id: (vectors, payload) for point_id, vectors, payload in records}
    points = []
    for point_id in ids:
        if point_id in by_id:
            vectors, payload = by_id[point_id]
            sparse = vectors[SPARSE]
            points.append(
                ChunkPoint(
                    point_id,
                    [float(x) for x in vectors[DENSE]],
                    SparseVector(list(sparse.indices), [float(v) for v in sparse.values]),
                    dict(payload),
                )
            )
    return points
