"""The contract every VectorStore backend passes. Subclass it with a `store` fixture."""

import math
import uuid

import pytest

from rag.embed import SparseVector
from rag.errors import InvalidInputError, NotFoundError
from rag.store import ChunkPoint, StoreQuery, VectorStore

DIM = 4


def point(n: int, source: str = "/a.md", dense: list[float] | None = None) -> ChunkPoint:
    vector = dense or [1.0 if i == n % DIM else 0.01 * (n + 1) for i in range(DIM)]
    return ChunkPoint(
        id=str(uuid.UUID(int=n + 1)),
        dense=vector,
        sparse=SparseVector([n, 100], [1.0, 0.5]),
        payload={
            "text": f"chunk {n}",
            "source": source,
            "page": n % 3,
            "start": 0,
            "end": 7,
            "modified": f"2026-01-{n + 1:02d}T00:00:00+00:00",
            "tags": {"team": "even" if n % 2 == 0 else "odd"},
        },
    )


def query(mode: str, n: int = 0, limit: int = 10, filters=None) -> StoreQuery:
    return StoreQuery(point(n).dense, SparseVector([n, 100], [1.0, 0.1]), mode, limit, 20, filters)


class StoreContract:
    @pytest.fixture
    def store(self) -> VectorStore:
        raise NotImplementedError

    @pytest.fixture
    def filled(self, store: VectorStore) -> VectorStore:
        store.create_collection("docs", DIM)
        store.upsert("docs", [point(n, "/a.md" if n < 5 else "/b.md") for n in range(8)])
        return store

    def test_collections_are_created_listed_and_dropped(self, store: VectorStore) -> None:
        store.create_collection("one", DIM)
        store.create_collection("two", DIM)
        store.create_collection("one", DIM)  # idempotent
        assert {"one", "two"} <= set(store.collections())
        store.drop_collection("one")
        assert "one" not in store.collections()

    def test_upsert_twice_keeps_one_copy(self, filled: VectorStore) -> None:
        filled.upsert("docs", [point(1), point(2)])
        assert filled.count("docs") == 8

    def test_delete_by_ids(self, filled: VectorStore) -> None:
        filled.delete("docs", [point(0).id, point(7).id])
        assert filled.count("docs") == 6

    def test_point_sources_lists_every_point_across_pages(self, store: VectorStore) -> None:
        store.create_collection("many", DIM)
        # point(100)'s sparse vector repeats index 100, which Qdrant refuses.
        store.upsert("many", [point(n, f"/{n % 3}.md") for n in range(1501) if n != 100])
        sources = store.point_sources("many")
        assert len(sources) == 1500
        assert sources[point(1).id] == "/1.md" and sources[point(1499).id] == "/2.md"

    @pytest.mark.parametrize("mode", ["dense", "bm25", "rrf"])
    def test_each_mode_ranks_the_matching_point_first(self, filled: VectorStore, mode: str):
        hits = filled.query("docs", query(mode, n=6))
        assert hits[0].id == point(6).id
        assert hits[0].payload["text"] == "chunk 6"
        assert hits[0].dense is not None and len(hits[0].dense) == DIM

    @pytest.mark.parametrize("mode", ["dense", "bm25", "rrf"])
    def test_filters_apply_in_every_mode(self, filled: VectorStore, mode: str) -> None:
        hits = filled.query("docs", query(mode, n=6, filters={"source": "/a.md"}))
        assert hits and {h.payload["source"] for h in hits} == {"/a.md"}
        assert filled.count("docs", {"page": [0, 1]}) == 6

    def test_range_date_and_nested_filters(self, filled: VectorStore) -> None:
        assert filled.count("docs", {"page": {"gte": 1, "lte": 2}}) == 5
        assert filled.count("docs", {"modified": {"gte": "2026-01-05T00:00:00Z"}}) == 4
        assert filled.count("docs", {"tags.team": "odd", "source": "/a.md"}) == 2

    def test_limit_is_respected(self, filled: VectorStore) -> None:
        assert len(filled.query("docs", query("dense", limit=3))) == 3

    def test_bm25_with_no_known_term_finds_nothing(self, filled: VectorStore) -> None:
        empty = StoreQuery([1.0, 0, 0, 0], SparseVector([], []), "bm25", 5, 10)
        assert filled.query("docs", empty) == []

    @pytest.mark.parametrize(
        "bad",
        [[math.nan, 0, 0, 1], [math.inf, 0, 0, 1], [1.0, 0.0]],
        ids=["nan", "inf", "wrong-dimension"],
    )
    def test_a_bad_vector_rejects_the_whole_batch(self, filled: VectorStore, bad) -> None:
        batch = [point(20), point(21, dense=bad), point(22)]
        with pytest.raises(InvalidInputError):
            filled.upsert("docs", batch)
        assert filled.count("docs") == 8

    def test_unknown_collection_is_not_found(self, store: VectorStore) -> None:
        with pytest.raises(NotFoundError):
            store.query("missing", query("dense"))
        with pytest.raises(NotFoundError):
            store.count("missing")

    def test_search_is_unchanged_by_building_the_index(self, filled: VectorStore) -> None:
        before = [h.id for h in filled.query("docs", query("dense", n=3))]
        filled.build_index("docs")
        assert [h.id for h in filled.query("docs", query("dense", n=3))] == before
        assert filled.count("docs") == 8

    def test_retrieve_returns_vectors_and_payload_in_order(self, filled: VectorStore) -> None:
        wanted = [point(5, "/b.md"), point(1)]
        got = filled.retrieve("docs", [p.id for p in wanted] + [str(uuid.UUID(int=999))])
        assert [p.id for p in got] == [p.id for p in wanted]
        for stored, original in zip(got, wanted, strict=True):
            assert stored.payload == original.payload
            assert stored.sparse.indices == original.sparse.indices
            assert stored.dense == pytest.approx(
                [x / math.sqrt(sum(v * v for v in original.dense)) for x in original.dense],
                abs=1e-5,
            )
