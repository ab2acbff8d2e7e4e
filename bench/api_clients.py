"""What the REST API benchmarks share: the questions they ask, client threads that loop over
operations (waiting a capped Retry-After on 429), a real `rag serve` on sample_docs, percentiles.
"""

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.live import running

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    json.loads(line)["question"]
    for line in (ROOT / "eval" / "sample_docs_qa.jsonl").read_text().splitlines()
    if line.strip()
]
MAX_WAIT_S = 2.0


Step = Callable[[httpx.Client, str, int], float]


def run_clients(
    base_url: str, clients: int, deadline: float, names: list[str], step: Step
) -> list[threading.Thread]:
    """Start `clients` threads, each running the named operations in turn (the i-th starting at
    the i-th operation) until `deadline`; join them to wait for the end."""

    def client(start: int) -> None:
        with httpx.Client(base_url=base_url, timeout=300) as http:
            n = start
            while time.monotonic() < deadline:
                time.sleep(step(http, names[n % len(names)], n))
                n += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    return threads


def retry_after(response: httpx.Response) -> float:
    """How long a well-behaved client waits after a 429 (capped)."""
    return min(float(response.headers.get("retry-after", 1)), MAX_WAIT_S)


def percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def rag_server(data_dir: Path, port: int, log: Path, settings: dict[str, str] | None = None):
    env = {**os.environ, **(settings or {}), "RAG_DATA_DIR": str(data_dir)}
    rag = str(Path(sys.executable).with_name("rag"))
    subprocess.run(
        [rag, "ingest", str(ROOT / "sample_docs")], env=env, check=True, capture_output=True
    )
    command = [rag, "serve", "--port", str(port)]
    return running(command, env, f"http://127.0.0.1:{port}/health", log)
