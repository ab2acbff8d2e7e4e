"""POST /v1/ingest runs a job over allowed server-side paths or public URLs."""

import json
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rag.api import create_app
from rag.app import RagApp
from tests.conftest import N_SAMPLE_DOCS
from tests.live import finished_job


@pytest.fixture
def client(rag_app: RagApp, docs: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(rag_app.settings, "api_ingest_roots", [docs])
    with TestClient(create_app(rag_app.settings, rag_app)) as client:
        yield client


def test_an_ingest_job_reports_progress_and_its_report(client: TestClient, docs: Path) -> None:
    response = client.post("/v1/ingest", json={"paths": [str(docs)], "collection": "docs"})
    assert response.status_code == 202
    job = finished_job(client, response.json()["id"])
    assert job["status"] == "done"
    assert len(job["report"]["added"]) == N_SAMPLE_DOCS
    assert job["progress"]["sources_done"] == N_SAMPLE_DOCS
    assert (
        client.get("/v1/documents", params={"collection": "docs"}).json()["total"] == N_SAMPLE_DOCS
    )


def test_a_refused_url_is_reported_in_the_job(client: TestClient) -> None:
    response = client.post("/v1/ingest", json={"urls": ["http://169.254.169.254/latest/meta-data"]})
    job = finished_job(client, response.json()["id"])
    assert job["status"] == "done" and job["report"]["chunks_written"] == 0
    assert "169.254.169.254" in job["report"]["failed"][0]["source"]


@pytest.mark.parametrize("escape", ["/etc", "{docs}/../..", "{docs}/link-out"])
def test_paths_outside_the_allowed_roots_are_refused(
    client: TestClient, docs: Path, tmp_path: Path, escape: str
) -> None:
    (tmp_path / "secret").mkdir()
    (docs / "link-out").symlink_to(tmp_path / "secret")
    response = client.post("/v1/ingest", json={"paths": [escape.format(docs=docs)]})
    assert response.status_code == 400
    assert "outside the allowed ingest roots" in response.json()["error"]["message"]


def test_server_side_paths_are_off_unless_roots_are_configured(
    client: TestClient, rag_app: RagApp, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rag_app.settings, "api_ingest_roots", [])
    response = client.post("/v1/ingest", json={"paths": [str(docs)]})
    assert response.status_code == 400
    assert "RAG_API_INGEST_ROOTS" in response.json()["error"]["message"]


def test_bad_ingest_bodies_and_unknown_jobs(client: TestClient) -> None:
    assert client.post("/v1/ingest", json={}).status_code == 422
    local_file = client.post("/v1/ingest", json={"urls": ["file:///etc/passwd"]}).json()
    job = finished_job(client, local_file["id"])
    assert job["report"]["failed"] and job["report"]["chunks_written"] == 0
    assert client.get("/v1/jobs/nope").status_code == 404


def test_the_server_builds_the_index_after_the_job_without_holding_it(
    client: TestClient, rag_app: RagApp, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rag.store import edge

    monkeypatch.setattr(rag_app.settings, "index_build_threshold", 1)
    release, real_optimize = threading.Event(), edge.optimize_in_child

    def held_build(folder: Path, children: set) -> None:
        assert release.wait(timeout=60)
        real_optimize(folder, children)

    monkeypatch.setattr(edge, "optimize_in_child", held_build)
    response = client.post("/v1/ingest", json={"paths": [str(docs)], "collection": "docs"})
    assert finished_job(client, response.json()["id"])["status"] == "done"  # build still held
    before = client.post("/v1/search", json={"query": "warranty", "collection": "docs"}).json()

    release.set()
    meta = rag_app.settings.data_dir / "collections" / "docs" / "collection.json"
    deadline = time.monotonic() + 60
    while json.loads(meta.read_text())["shard"] == "shard":
        assert time.monotonic() < deadline, "the index build never switched shards"
        time.sleep(0.2)
    after = client.post("/v1/search", json={"query": "warranty", "collection": "docs"}).json()
    assert after == before


def test_closing_stops_running_and_queued_jobs_before_the_index_closes() -> None:
    from rag.jobs import JobRunner

    started, closed = threading.Event(), threading.Event()
    seen_after_close: list[bool] = []

    def run(job):
        started.set()
        for source in job.sources:  # a source at a time, as the indexer reports them
            time.sleep(0.05)
            seen_after_close.append(closed.is_set())
            job.progress(source)

    runner = JobRunner(run)
    running = runner.submit("default", [f"s{n}" for n in range(1000)])
    queued = runner.submit("default", ["later"])
    assert started.wait(10)
    runner.close()
    closed.set()  # what the app closes next: the store and the ledger
    time.sleep(0.2)
    assert running.status == "cancelled" and "shutting down" in running.error
    assert queued.status == "cancelled" and not any(seen_after_close)
