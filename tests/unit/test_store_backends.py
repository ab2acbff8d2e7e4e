from pathlib import Path

import pytest
from qdrant_client import QdrantClient

from rag.store.edge import EdgeStore
from rag.store.server import QdrantServerStore
from tests.unit.store_contract import DIM, StoreContract, point


class TestEdgeStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path):
        store = EdgeStore(tmp_path / "collections")
        yield store
        store.close()

    def test_data_survives_reopen(self, tmp_path: Path) -> None:
        first = EdgeStore(tmp_path / "c")
        first.create_collection("docs", DIM)
        first.upsert("docs", [point(1), point(2)])
        first.close()
        second = EdgeStore(tmp_path / "c")
        assert second.count("docs") == 2
        assert second.collections() == ["docs"]
        second.close()


class TestQdrantServerStore(StoreContract):
    @pytest.fixture
    def store(self):
        store = QdrantServerStore(QdrantClient(":memory:"))
        yield store
        store.close()
