"""Embedded store: Qdrant Edge vs qdrant-client's local mode, same synthetic data, one run.

Each (backend, size) scenario runs in its own process so peak RSS is its own; the synthetic
vectors are made a batch at a time, so that RSS is the store's. Queries run on the fresh index
(exact search), then while Edge builds its HNSW index (`build_index`: a child process optimises a
copy), then on the built index. qdrant-client's local mode never builds one.
Run: .venv/bin/python -m bench.store          (10,000 chunks: the "Embedded store" section)
     .venv/bin/python -m bench.store --long   (100,000 on both; 1,000,000 on Edge alone, which
     qdrant-client's local mode cannot hold: the "Embedded store, long" section)
"""

import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from bench.harness import table, write_section

DIM = 384
QUERIES = 50
SOURCES = 100


def _batches(n: int, size: int = 1000):
    from rag.embed import SparseVector
    from rag.store import ChunkPoint

    rng = np.random.default_rng(0)
    for first in range(0, n, size):
        vectors = rng.standard_normal((min(size, n - first), DIM)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        yield [
            ChunkPoint(
                id=f"00000000-0000-4000-8000-{first + i:012d}",
                dense=vector.tolist(),
                sparse=SparseVector(terms, [1.0] * len(terms)),
                payload={
                    "text": f"chunk {first + i}",
                    "source": f"/docs/{(first + i) % SOURCES}.md",
                    "start": 0,
                    "end": 8,
                },
            )
            for i, vector in enumerate(vectors)
            for terms in [sorted({int(t) for t in rng.integers(0, 5000, 12)})]
        ]


def _open(backend: str, path: Path):
    if backend == "edge":
        from rag.store.edge import EdgeStore

        return EdgeStore(path)
    from qdrant_client import QdrantClient

    from rag.store.server import QdrantServerStore

    return QdrantServerStore(QdrantClient(path=str(path)))


def _latencies(store, filtered: bool, mode: str, queries: int = QUERIES) -> list[float]:
    from rag.embed import SparseVector
    from rag.store import StoreQuery

    rng = np.random.default_rng(1)
    times = []
    for i in range(queries):
        dense = rng.standard_normal(DIM)
        dense = (dense / np.linalg.norm(dense)).tolist()
        sparse = SparseVector(sorted({int(t) for t in rng.integers(0, 5000, 4)}), [1.0] * 4)
        filters = {"source": f"/docs/{i % SOURCES}.md"} if filtered else None
        started = time.perf_counter()
        store.query("bench", StoreQuery(dense, sparse, mode, 10, 50, filters))
        times.append((time.perf_counter() - started) * 1000)
    return times


def _p(latencies: list[float], q: int) -> float:
    return round(float(np.percentile(latencies, q)), 2)


def _while_building(store) -> tuple[float, list[float]]:
    """(build seconds, dense query latencies measured while the build ran)."""
    build = threading.Thread(target=store.build_index, args=("bench",))
    started = time.perf_counter()
    build.start()
    latencies = []
    while build.is_alive():
        latencies += _latencies(store, False, "dense", queries=5)
    build.join()
    return time.perf_counter() - started, latencies


def scenario(backend: str, n: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        store = _open(backend, path)
        store.create_collection("bench", DIM)
        started = time.perf_counter()
        for batch in _batches(n):
            store.upsert("bench", batch)
        result: dict[str, object] = {"upsert_per_s": round(n / (time.perf_counter() - started))}
        dense = _latencies(store, False, "dense")
        hybrid = _latencies(store, True, "rrf")
        result |= {
            "exact dense p95 ms": _p(dense, 95),
            "exact hybrid filtered p50 / p95 ms": f"{_p(hybrid, 50)} / {_p(hybrid, 95)}",
        }
        if backend == "edge":
            build_s, during = _while_building(store)
            dense = _latencies(store, False, "dense")
            hybrid = _latencies(store, True, "rrf")
            result |= {
                "index build s": round(build_s),
                "dense p95 during build ms": _p(during, 95),
                "indexed dense p50 / p95 ms": f"{_p(dense, 50)} / {_p(dense, 95)}",
                "indexed hybrid filtered p50 / p95 ms": f"{_p(hybrid, 50)} / {_p(hybrid, 95)}",
            }
        else:
            result |= dict.fromkeys(
                ["index build s", "dense p95 during build ms", "indexed dense p50 / p95 ms",
                 "indexed hybrid filtered p50 / p95 ms"], "—",
            )  # fmt: skip
        store.close()
        started = time.perf_counter()
        reopened = _open(backend, path)
        reopened.count("bench")
        result["reopen s"] = round(time.perf_counter() - started, 2)
        reopened.close()
    result["peak RSS MiB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result["build child peak RSS MiB"] = round(children / 1024) if children else "—"
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
        f" {QUERIES} queries each; filtered = one source. `exact`: the fresh index, before any"
        " HNSW build. Edge then builds its index with `build_index` (a child process optimises a"
        " copy of the shard, so queries keep running: `during build`), and the queries run"
        " again on the built index. qdrant-client's local mode never builds one."
    )
    write_section(section, "python -m bench.store", body)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--scenario"]:
        print(json.dumps(scenario(sys.argv[2], int(sys.argv[3]))))
    elif sys.argv[1:2] == ["--long"]:
        main([(100_000, BOTH), (1_000_000, ("edge",))], "Embedded store, long")
    else:
        main([(10_000, BOTH)], "Embedded store")
