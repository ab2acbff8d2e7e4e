"""SIGKILL the real `rag serve` (bundled models) at random moments of an ingest job or of a
streamed answer, many times over a changing folder; each restart must come up, and after a last
complete ingest the index equals a clean run's: no lost, duplicate or orphan chunk."""

import json
import os
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import ReliabilityLog
from tests.convergence import index_state, write_versioned_corpus
from tests.live import finished_job, free_port, run_measured, running

pytestmark = pytest.mark.integration
GENERATED = 10  # files; half change between rounds, so every ingest has work to cut short
RAG = [sys.executable, "-c", "from rag.cli import main; main()"]


@contextmanager
def _server(data_dir: Path, folder: Path, log: Path) -> Iterator[tuple[object, str]]:
    port = free_port()
    env = {
        **os.environ,
        "RAG_DATA_DIR": str(data_dir),
        "RAG_API_PORT": str(port),
        "RAG_API_INGEST_ROOTS": json.dumps([str(folder)]),
    }
    url = f"http://127.0.0.1:{port}"
    with running([*RAG, "serve"], env, f"{url}/health", log) as process:
        yield process, url


def _client(url: str, statuses: list[int]) -> httpx.Client:
    """A client that keeps each answer's status, for the 5xx count."""

    def record(response: httpx.Response) -> None:
        statuses.append(response.status_code)

    return httpx.Client(base_url=url, timeout=30, event_hooks={"response": [record]})


def _interrupt(url: str, folder: Path, action: str, delay_s: float, statuses: list[int]) -> None:
    """Start `action` and return after `delay_s`, leaving it running for the kill."""
    with _client(url, statuses) as client:
        if action == "ingest":
            assert client.post("/v1/ingest", json={"paths": [str(folder)]}).status_code == 202
            time.sleep(delay_s)
            return
        question = {"role": "user", "content": "What does the Aurora K2 manual say about charging?"}
        body = {"model": "rag", "stream": True, "messages": [question]}
        with client.stream("POST", "/v1/chat/completions", json=body) as response:
            assert response.status_code == 200
            time.sleep(delay_s)


def _ingest_to_the_end(url: str, folder: Path, statuses: list[int]) -> None:
    with _client(url, statuses) as client:
        job = client.post("/v1/ingest", json={"paths": [str(folder)]}).json()
        state = finished_job(client, job["id"], timeout_s=300)
    assert state["status"] == "done", state


@pytest.mark.parametrize(
    "kills", [pytest.param(4, id="4-kills"), pytest.param(50, marks=pytest.mark.long, id="50")]
)
def test_server_killed_during_ingest_and_generation_converges(
    tmp_path: Path, kills: int, reliability: ReliabilityLog
) -> None:
    folder, data_dir, log = tmp_path / "docs", tmp_path / "killed", tmp_path / "serve.log"
    rng = random.Random(kills)
    actions = []
    statuses: list[int] = []  # every answer's, for the 5xx count
    write_versioned_corpus(folder, version=0, generated=GENERATED)
    with _server(data_dir, folder, log) as (_, url):
        _ingest_to_the_end(url, folder, statuses)  # there is an index to answer from
    for n in range(kills):
        write_versioned_corpus(folder, version=n % 3 + 1, generated=GENERATED)
        action = "ingest" if n % 2 == 0 else "generate"
        with _server(data_dir, folder, log) as (process, url):
            delay_s = rng.uniform(0.0, 6.0 if action == "ingest" else 3.0)
            _interrupt(url, folder, action, delay_s, statuses)
            process.kill()
            process.wait(timeout=30)
        actions.append(action)

    write_versioned_corpus(folder, version=kills % 3 + 1, generated=GENERATED)
    with _server(data_dir, folder, log) as (_, url):
        _ingest_to_the_end(url, folder, statuses)
    clean_dir = tmp_path / "clean"
    clean = run_measured(
        [*RAG, "ingest", str(folder)], {**os.environ, "RAG_DATA_DIR": str(clean_dir)}, 300
    )
    assert clean.returncode == 0

    killed_ids, killed_count, killed_versions = index_state(data_dir)
    clean_ids, clean_count, clean_versions = index_state(clean_dir)
    assert killed_ids == clean_ids  # no lost or duplicate chunk
    assert killed_count == clean_count == len(clean_ids)  # no orphan in the store
    assert killed_versions == clean_versions  # one version per source, the current one
    assert actions.count("ingest") == actions.count("generate") == kills // 2
    server_errors = sum(status >= 500 for status in statuses)
    assert server_errors == 0
    reliability.add(
        f"SIGKILL of rag serve ({kills} kills)",
        inputs=kills,
        crashes=0,
        server_errors=server_errors,
        kills_survived=kills,
        chunks_lost=0,
        duplicates=0,
        notes=f"half during ingest jobs, half during streamed answers; {len(clean_ids)} chunks "
        "equal a clean run's, doctor finds no orphan",
    )
