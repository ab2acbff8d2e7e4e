"""Embedded store: Qdrant Edge vs qdrant-client's local mode, same synthetic data, one run.

Each (backend, size) scenario runs in its own process so peak RSS is its own; the synthetic
vectors are made a batch at a time, so that RSS is the store's. They are clustered like text
embeddings (cosine ~0.7 to their cluster's centre), not uniform noise, on which no ANN index
works as it does on real data. Queries run on the fresh index (exact search), then while Edge
builds its HNSW index (`build_index`: a child process optimises a copy), then on the built index,
whose dense top 10 is compared with the exact one (recall@10). A fresh process then reopens the
store and queries it: its reopen time and RSS are what a restarted server pays.
Run: .venv/bin/python -m bench.store          (10,000 chunks: the "Embedded store" section)
     .venv/bin/python -m bench.store --long   (100,000 on both; 1,000,000 on Edge alone, which
     qdrant-client's local mode cannot hold: the "Embedded store, long" section)
"""

import contextlib
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
CLUSTERS = 2000


def _clustered(rng: np.random.Generator, k: int) -> np.ndarray:
    centres = np.random.default_rng(7).standard_normal((CLUSTERS, DIM)).astype(np.float32)
    vectors = centres[rng.integers(0, CLUSTERS, k)] + rng.standard_normal((k, DIM))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def _batches(n: int, size: int = 1000):
    from rag.embed import SparseVector
    from rag.store import ChunkPoint

    rng = np.random.default_rng(0)
    for first in range(0, n, size):
        vectors = _clustered(rng, min(size, n - first))
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


def _queries(store, filtered: bool, mode: str, n: int = QUERIES) -> tuple[list, list[set]]:
    """(latencies in ms, the ids of each query's hits)."""
    from rag.embed import SparseVector
    from rag.store import StoreQuery

    rng = np.random.default_rng(1)
    times, found = [], []
    for i, dense in enumerate(_clustered(rng, n)):
        terms = sorted({int(t) for t in rng.integers(0, 5000, 4)})
        sparse = SparseVector(terms, [1.0] * len(terms))
        filters = {"source": f"/docs/{i % SOURCES}.md"} if filtered else None
        started = time.perf_counter()
        hits = store.query("bench", StoreQuery(dense.tolist(), sparse, mode, 10, 50, filters))
        times.append((time.perf_counter() - started) * 1000)
        found.append({h.id for h in hits})
    return times, found


def _latencies(store, filtered: bool, mode: str, n: int = QUERIES) -> list[float]:
    return _queries(store, filtered, mode, n)[0]


def _p(latencies: list[float], q: int) -> float:
    return round(float(np.percentile(latencies, q)), 2)


def _while_building(store) -> tuple[float, list[float]]:
    """(build seconds, dense query latencies measured while the build ran, at ~10 queries/s:
    a closed loop of exact queries would leave the niced build child no CPU on 2 cores)."""
    build = threading.Thread(target=store.build_index, args=("bench",))
    started = time.perf_counter()
    build.start()
    latencies = []
    while build.is_alive():
        latencies += _latencies(store, False, "dense", n=1)
        time.sleep(0.1)
    build.join()
    return time.perf_counter() - started, latencies


def _status_mib(pid: str, key: str) -> int:
    try:
        return int(Path(f"/proc/{pid}/status").read_text().split(f"{key}:")[1].split()[0]) // 1024
    except (OSError, IndexError):
        return 0  # the process has just ended


def _children() -> list[str]:
    pids = []
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):  # the thread has just ended
            pids += (task / "children").read_text().split()
    return pids


class _AnonPeaks:
    """Peak anonymous RSS in MiB of this process (`own`) and of its children, sampled every
    0.1 s. Peak RSS also counts the file pages of Edge's mmaps, which the kernel takes back
    under memory pressure; anonymous memory is what the process really holds."""

    def __init__(self) -> None:
        self.own = self.children = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "_AnonPeaks":
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            self.own = max(self.own, _status_mib("self", "RssAnon"))
            for pid in _children():
                self.children = max(self.children, _status_mib(pid, "RssAnon"))


def scenario(backend: str, n: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp, _AnonPeaks() as anon:
        path = Path(tmp)
        store = _open(backend, path)
        store.create_collection("bench", DIM)
        started = time.perf_counter()
        for batch in _batches(n):
            store.upsert("bench", batch)
        result: dict[str, object] = {"upsert_per_s": round(n / (time.perf_counter() - started))}
        dense, exact_hits = _queries(store, False, "dense")
        hybrid = _latencies(store, True, "rrf")
        result |= {
            "exact dense p95 ms": _p(dense, 95),
            "exact hybrid filtered p50 / p95 ms": f"{_p(hybrid, 50)} / {_p(hybrid, 95)}",
        }
        if backend == "edge":
            build_s, during = _while_building(store)
            dense, hits = _queries(store, False, "dense")
            hybrid = _latencies(store, True, "rrf")
            recall = np.mean([len(a & b) / 10 for a, b in zip(exact_hits, hits, strict=True)])
            result |= {
                "index build s": round(build_s),
                "dense p95 during build ms": _p(during, 95),
                "indexed dense p50 / p95 ms": f"{_p(dense, 50)} / {_p(dense, 95)}",
                "recall@10 vs exact": round(float(recall), 3),
                "indexed hybrid filtered p50 / p95 ms": f"{_p(hybrid, 50)} / {_p(hybrid, 95)}",
            }
        else:
            result |= dict.fromkeys(
                ["index build s", "dense p95 during build ms", "indexed dense p50 / p95 ms",
                 "recall@10 vs exact", "indexed hybrid filtered p50 / p95 ms"], "—",
            )  # fmt: skip
        store.close()
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the build's, if any
        children_anon = anon.children
        result |= _run("--reopen", backend, str(path))
    peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    result["peak RSS / anon MiB"] = f"{peak} / {anon.own}"
    result["build child peak RSS / anon MiB"] = (
        f"{round(children / 1024)} / {children_anon}" if children else "—"
    )
    return result


def reopen(backend: str, path: Path) -> dict[str, object]:
    started = time.perf_counter()
    store = _open(backend, path)
    store.count("bench")
    reopen_s = time.perf_counter() - started
    _latencies(store, True, "rrf")
    rss = f"{_status_mib('self', 'VmRSS')} / {_status_mib('self', 'RssAnon')}"
    store.close()
    return {"reopen s": round(reopen_s, 2), "reopened RSS / anon MiB": rss}


def _run(*args: str) -> dict:
    command = [sys.executable, "-m", "bench.store", *args]
    out = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return json.loads(out.stdout.strip().splitlines()[-1])


BOTH = ("edge", "qdrant-client local")


def main(scenarios: list[tuple[int, tuple[str, ...]]], section: str, script: str) -> None:
    rows, columns = [], None
    for n, backends in scenarios:
        for backend in backends:
            result = _run("--scenario", backend, str(n))
            columns = columns or list(result)
            rows.append([f"{n:,}", backend, *result.values()])
            print(rows[-1], flush=True)
    body = table(["chunks", "backend", *columns], rows) + (
        f"\n\nSynthetic unit vectors ({DIM} dims, {CLUSTERS:,} clusters, cosine ~0.7 to their"
        f" centre) with 12-term sparse vectors, {SOURCES} sources, {QUERIES} queries each;"
        " filtered = one source. `exact`: the fresh index, before any HNSW build. Edge then"
        " builds its index with `build_index` (a child process optimises a copy of the shard, so"
        " queries keep running: `during build`, one every ~0.1 s): HNSW over int8 vectors,"
        " rescored with the originals; recall@10 compares its dense top 10 with the exact one"
        " (at 10,000 chunks a cluster holds ~5 points, so the end of each exact top 10 is"
        " near-ties from other clusters, cosines ~0.19 to 0.17, which an approximate index"
        " orders differently)."
        " `reopen` and `reopened RSS` come from a fresh process that opens the store and runs"
        " the filtered hybrid queries; `peak RSS` is the whole scenario's, ingest included."
        " `anon`: anonymous memory (peaks sampled every 0.1 s); the rest of RSS is file pages"
        " of the store's mmaps, which the kernel reclaims under memory pressure."
        " qdrant-client's local mode never builds an index."
    )
    write_section(section, script, body)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--scenario"]:
        print(json.dumps(scenario(sys.argv[2], int(sys.argv[3]))))
    elif sys.argv[1:2] == ["--reopen"]:
        print(json.dumps(reopen(sys.argv[2], Path(sys.argv[3]))))
    elif sys.argv[1:2] == ["--long"]:
        scenarios = [(100_000, BOTH), (1_000_000, ("edge",))]
        main(scenarios, "Embedded store, long", "python -m bench.store --long")
    else:
        main([(10_000, BOTH)], "Embedded store", "python -m bench.store")
