"""Collections under concurrent use: deleting one while a job ingests into it cancels the job
first, so the collection never comes back with the job's files; names that differ only by case
are one collection."""

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.settings import Settings
from tests.conftest import ReliabilityLog
from tests.fakes import HashEmbedder, ScriptedModel
from tests.hostile.clients import recorded_client
from tests.live import finished_job

ROW = "collections under concurrent jobs and case"
NOTES = (
    "DELETE during a 300-file job and with jobs queued behind it; names differing only by "
    "case on create, upload, ingest, query and delete"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(300):
        (folder / f"note-{n:03}.txt").write_text(f"Note {n}: shelf {n} holds spare batteries.\n")
    return folder


@pytest.fixture
def app(tmp_path: Path, docs: Path, folder: Path) -> Iterator[RagApp]:
    settings = Settings(data_dir=tmp_path / "data", api_ingest_roots=[folder])
    with RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel()) as app:
        app.indexer.sync([scan_path(docs, 10**6)], "default")
        yield app


@pytest.fixture
def client(app: RagApp, reliability: ReliabilityLog) -> Iterator[TestClient]:
    with recorded_client(app, reliability, ROW, NOTES) as client:
        yield client
    reliability.add(ROW, escapes=0)


def _slow_sources(app: RagApp, monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Each source of a sync takes 20 ms more; the event is set once the first is done."""
    sync, started = app.indexer.sync, threading.Event()

    def slow_sync(scans, collection, tags=None, on_source_done=None, *more, **options):
        def slowly(source_id: str) -> None:
            started.set()
            time.sleep(0.02)
            if on_source_done is not None:
                on_source_done(source_id)

        return sync(scans, collection, tags, slowly, *more, **options)

    monkeypatch.setattr(app.indexer, "sync", slow_sync)
    return started


def test_deleting_a_collection_cancels_its_running_and_queued_jobs_first(
    client: TestClient, app: RagApp, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = _slow_sources(app, monkeypatch)
    body = {"paths": [str(folder)], "collection": "default"}
    running = client.post("/v1/ingest", json=body).json()["id"]
    queued = client.post("/v1/ingest", json=body).json()["id"]
    other = client.post("/v1/ingest", json={**body, "collection": "other"}).json()["id"]
    assert started.wait(30)

    response = client.delete("/v1/collections/default")

    assert response.status_code == 200, response.text
    for job_id in (running, queued):
        job = finished_job(client, job_id)
        assert job["status"] == "cancelled", job
    assert finished_job(client, other, timeout_s=120)["status"] == "done"
    names = [c["name"] for c in client.get("/v1/collections").json()["collections"]]
    assert names == ["other"]  # `default` did not come back with the job's files
    assert app.ledger.sources("default") == []
    assert "default" not in app.store.collections()


@pytest.mark.parametrize("spelling", ["Default", "DEFAULT", "dEfAuLt"])
def test_names_that_differ_only_by_case_are_one_collection(
    client: TestClient, app: RagApp, spelling: str
) -> None:
    assert client.post("/v1/collections", json={"name": spelling}).json() == {"name": "default"}
    upload = client.post(
        "/v1/documents",
        files={"files": ("n.md", b"# Note\n\nBay C is next to the dock.\n")},
        data={"collection": spelling},
    )
    assert upload.status_code == 201 and upload.json()["collection"] == "default"
    listed = client.get("/v1/documents", params={"collection": spelling}).json()
    assert listed["total"] == len(app.ledger.sources("default"))
    names = [c["name"] for c in client.get("/v1/collections").json()["collections"]]
    assert names == ["default"]
    assert client.delete(f"/v1/collections/{spelling}").json() == {"deleted": "default"}
    assert client.get("/v1/collections").json()["collections"] == []


def test_a_new_collection_keeps_the_case_it_was_created_with(client: TestClient) -> None:
    assert client.post("/v1/collections", json={"name": "Handbook"}).json() == {"name": "Handbook"}
    assert client.post("/v1/collections", json={"name": "handbook"}).json() == {"name": "Handbook"}
    names = [c["name"] for c in client.get("/v1/collections").json()["collections"]]
    assert sorted(names) == ["Handbook", "default"]
