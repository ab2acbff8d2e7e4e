"""Embedded store: Qdrant Edge vs qdrant-client's local mode, same synthetic data, one run.

Each (backend, size) scenario runs in its own process so peak RSS is its own.
Run: .venv/bin/python -m bench.store          (10,000 chunks: the "Embedded store" section)
     .venv/bin/python -m bench.store --long   (100,000 on both; 1,000,000 on Edge alone, which
     qdrant-client's local mode cannot hold: the "Embedded store, long" section)
"""

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.harness import table, write_section

DIM = 384
QUERIES = 50
SOURCES = 100


def _points(n: int, seed: int = 0):
    from rag.embed import SparseVector
    from rag.store import ChunkPoint

    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((n, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    for i in range(n):
        terms = sorted({int(t) for t in rng.integers(0, 5000, 12)})
        yield ChunkPoint(
            id=f"00000000-0000-4000-8000-{i:012d}",
            dense=vectors[i].tolist(),
            sparse=SparseVector(terms, [1.0] * len(terms)),
            payload={
                "text": f"chunk {i}",
                "source": f"/docs/{i % SOURCES}.md",
                "start": 0,
                "end": 8,
            },
        )


def _open(backend: str, path: Path):
    if backend == "edge":
        from rag.store.edge import EdgeStore

        return EdgeStore(path)
    from qdrant_client import QdrantClient

    from rag.store.server import QdrantServerStore

    return QdrantServerStore(QdrantClient(path=str(path)))


def _latencies(store, filtered: bool, mode: str) -> list[float]:
    from rag.embed import SparseVector
    from rag.store import StoreQuery

    rng = np.random.default_rng(1)
    times = []
    for i in range(QUERIES):
        dense = rng.standard_normal(DIM)
        dense = (dense / np.linalg.norm(dense)).tolist()
        sparse = SparseVector(sorted({int(t) for t in rng.integers(0, 5000, 4)}), [1.0] * 4)
        filters = {"source": f"/docs/{i % SOURCES}.md"} if filtered else None
        started = time.perf_counter()
        store.query("bench", StoreQuery(dense, sparse, mode, 10, 50, filters))
        times.append((time.perf_counter() - started) * 1000)
    return times


def scenario(backend: str, n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        store = _open(backend, path)
        store.create_collection("bench", DIM)
        batch, started = [], time.perf_counter()
        for point in _points(n):
            batch.append(point)
            if len(batch) == 1000:
                store.upsert("bench", batch)
                batch = []
        store.upsert("bench", batch)
        upsert_s = time.perf_counter() - started
        result = {"upsert_per_s": round(n / upsert_s)}
        for label, filtered, mode in (
            ("dense", False, "dense"),
            ("dense filtered", True, "dense"),
            ("hybrid rrf filtered", True, "rrf"),
        ):
            lat = _latencies(store, filtered, mode)
            result[f"{label} p50 ms"] = round(statistics.median(lat), 2)
            result[f"{label} p95 ms"] = round(float(np.percentile(lat, 95)), 2)
        store.close()
        started = time.perf_counter()
        reopened = _open(backend, path)
        reopened.count("bench")
        result["reopen s"] = round(time.perf_counter() - started, 2)
        reopened.close()
    result["peak RSS MiB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


BOTH = ("edge", "qdrant-client local")


def main(scenarios: list[tuple[int, tuple[str, ...]]], section: str) -> None:
    rows, columns = [], None
    for n, backends in scenarios:
        for backend in backends:
            out = subprocess.run(
                [sys.executable, "-m", "bench.store", "--scenario", backend, str(n)],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(out.stdout.strip().splitlines()[-1])
            columns = columns or list(result)
            rows.append([f"{n:,}", backend, *result.values()])
            print(rows[-1], flush=True)
    body = table(["chunks", "backend", *columns], rows) + (
        f"\n\nSynthetic unit vectors ({DIM} dims) with 12-term sparse vectors, {SOURCES} sources,"
        f" {QUERIES} queries each; filtered = one source. Neither store has built an HNSW"
        " index (exact search): Edge's `optimize()` holds the GIL for the whole build, so the"
        " serving process never runs it."
    )
    write_section(section, "python -m bench.store", body)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--scenario"]:
        print(json.dumps(scenario(sys.argv[2], int(sys.argv[3]))))
    elif sys.argv[1:2] == ["--long"]:
        main([(100_000, BOTH), (1_000_000, ("edge",))], "Embedded store, long")
    else:
        main([(10_000, BOTH)], "Embedded store")
