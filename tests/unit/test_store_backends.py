import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from qdrant_client import QdrantClient

from rag.embed import SparseVector
from rag.store import ChunkPoint, StoreQuery, edge
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

    def test_writes_made_while_the_index_builds_are_kept(
        self, filled: EdgeStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def build_while_writing(folder: Path, children: set) -> None:
            # Another thread writes while the child builds: neither lock may be held meanwhile.
            writer = threading.Thread(
                target=lambda: (filled.upsert("docs", [point(20)]), filled.delete("docs", [ids[0]]))
            )
            writer.start()
            writer.join(timeout=30)
            assert not writer.is_alive(), "a write waited for the index build"
            assert filled.count("docs") == 8  # the old shard answers, with the write in it
            real_optimize(folder, children)

        ids = [point(n).id for n in range(8)]
        real_optimize = edge.optimize_in_child
        monkeypatch.setattr(edge, "optimize_in_child", build_while_writing)
        filled.build_index("docs")

        expected = {*ids[1:], point(20).id}
        assert set(filled.point_sources("docs")) == expected
        folders = sorted(p.name for p in (tmp_path / "collections" / "docs").iterdir())
        assert folders[0] == "collection.json" and len(folders) == 2  # the old shard is gone
        filled.close()
        reopened = EdgeStore(tmp_path / "collections")
        assert set(reopened.point_sources("docs")) == expected
        reopened.close()

    def test_a_collection_dropped_during_its_build_stays_dropped(
        self, filled: EdgeStore, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(edge, "optimize_in_child", lambda f, c: filled.drop_collection("docs"))
        with pytest.raises(RuntimeError, match="dropped"):
            filled.build_index("docs")
        assert filled.collections() == []

    def test_a_build_cut_short_leaves_the_old_shard_in_force(
        self, filled: EdgeStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def killed(folder: Path, children: set) -> None:
            raise RuntimeError("the child was killed")

        monkeypatch.setattr(edge, "optimize_in_child", killed)
        with pytest.raises(RuntimeError):
            filled.build_index("docs")
        filled.upsert("docs", [point(20)])
        assert filled.count("docs") == 9
        filled.close()
        # A process killed mid-build leaves its copy behind: removed when the collection opens.
        (tmp_path / "collections" / "docs" / "shard-left-by-a-kill").mkdir()
        reopened = EdgeStore(tmp_path / "collections")
        assert reopened.count("docs") == 9
        folders = sorted(p.name for p in (tmp_path / "collections" / "docs").iterdir())
        assert folders == ["collection.json", "shard"]
        reopened.close()


def test_the_built_quantized_index_finds_what_exact_search_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Enough clustered 384-dim points for a real HNSW index over int8 vectors: without the
    # rescoring by original vectors, about 6% of these top-10 hits differ.
    rng = np.random.default_rng(0)
    centers = rng.standard_normal((50, 384))
    vectors = centers[rng.integers(0, 50, 8000)] + rng.standard_normal((8000, 384))
    queries = centers[rng.integers(0, 50, 40)] + rng.standard_normal((40, 384))
    store = EdgeStore(tmp_path)
    store.create_collection("big", 384)
    store.upsert(
        "big",
        [
            ChunkPoint(f"{n:032x}", vector.tolist(), SparseVector([n % 7], [1.0]), {"source": "a"})
            for n, vector in enumerate(vectors)
        ],
    )

    def top10() -> list[set[str]]:
        return [
            {h.id for h in store.query("big", StoreQuery(q.tolist(), None, "dense", 10, 50, None))}
            for q in queries
        ]

    exact = top10()
    read: list[str] = []
    monkeypatch.setattr(edge, "_read_through", lambda files: read.extend(f.name for f in files))
    store.build_index("big")
    for thread in threading.enumerate():
        if thread.name.startswith("warm "):
            thread.join(timeout=10)
    # The build warms the new shard once, before it switches: not again in the background.
    assert read.count("matrix.dat") == 1
    assert store._shard("big").info().indexed_vectors_count >= 8000
    # What a reopen reads ahead is what the built shard keeps in RAM, not its original vectors.
    read_ahead = {p.name for p in edge.files_read_at_open(store._path("big"))}
    assert {"quantized.data", "links_compressed.bin", "inverted_index.dat"} <= read_ahead
    assert "matrix.dat" not in read_ahead
    # The rest, which queries read from disk (the originals they rescore with), is read after the
    # open when it fits in the memory available, and never when it does not.
    warmed = edge.files_to_warm(store._path("big"))
    assert "matrix.dat" in {p.name for p in warmed}
    assert not set(edge.files_read_at_open(store._path("big"))) & set(warmed)
    monkeypatch.setattr(edge, "available_memory", lambda: 0)
    assert edge.files_to_warm(store._path("big")) == []
    overlap = np.mean([len(a & b) for a, b in zip(exact, top10(), strict=True)])
    store.close()
    assert overlap >= 9.9


# A parent that starts a child which calls die_with_parent and then would sleep for a minute.
_SERVER = """
import os, subprocess, sys, time
code = "import os, sys, time; from rag.store.optimize import die_with_parent; "
code += "die_with_parent(int(sys.argv[1])); print(os.getpid(), flush=True); time.sleep(60)"
subprocess.Popen([sys.executable, "-c", code, str(os.getpid())])
time.sleep(60)
"""


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux's")
def test_an_index_build_dies_with_the_process_that_started_it() -> None:
    # A killed server must not leave its build running for minutes on a copy nobody will use.
    server = subprocess.Popen([sys.executable, "-c", _SERVER], stdout=subprocess.PIPE, text=True)
    build = int(server.stdout.readline())
    assert _running(build)
    server.kill()
    server.wait()
    deadline = time.monotonic() + 10
    while _running(build) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(build)


class TestQdrantServerStore(StoreContract):
    @pytest.fixture
    def store(self):
        store = QdrantServerStore(QdrantClient(":memory:"))
        yield store
        store.close()


def test_warming_a_shard_dropped_meanwhile_is_quiet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warm thread lists a shard's files while a delete may be removing them (seen as a
    FileNotFoundError in the thread when `rag collections delete` followed an ingest)."""
    import errno

    from rag.store import edge

    shard = tmp_path / "shard"
    shard.mkdir()
    (shard / "payload.dat").write_bytes(b"x" * 10)
    real_stat, seen = Path.stat, []

    def vanishing(path: Path, *args, **kwargs):
        if path.name == "payload.dat":
            seen.append(path)
            if len(seen) > 1:  # listed as a file, gone when its size is read
                raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", vanishing)
    assert edge.files_to_warm(shard) == []
    edge._warm(tmp_path / "gone")  # nothing there at all: no error either
