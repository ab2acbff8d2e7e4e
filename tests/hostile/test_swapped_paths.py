"""A path swapped for a symlink between its check and its read (CWE-367, CWE-59): API ingest jobs
(a file, a folder), uploads, `rag ingest`, `rag ingest --watch`, `rag reindex` and the content
route never read or serve what lies outside the allowed folders."""

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rag.app import RagApp
from rag.cli import cli, common
from tests.conftest import ReliabilityLog
from tests.fakes import HashEmbedder, ScriptedModel
from tests.hostile.clients import recorded_client
from tests.live import finished_job

ROW = "paths swapped for symlinks between check and read"
NOTES = (
    "API jobs (a file, a folder, a subfolder), upload, rag ingest, --watch and reindex, swapped "
    "after their check and before the read; the content route after a file or its folder became "
    "a symlink to /outside"
)
SECRET = "outside-secret-9931"
GOOD = "Visitors park in bay C next to the loading dock.\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """`root/sub/f.txt` and `root/ok.txt` inside the allowed root; `outside/` beside it holds
    files of the same names with a secret in them."""
    (tmp_path / "root" / "sub" / "inner").mkdir(parents=True)
    (tmp_path / "outside" / "inner").mkdir(parents=True)
    for folder in ("root/sub", "root/sub/inner", "root"):
        (tmp_path / folder / "f.txt").write_text(GOOD)
        (tmp_path / folder / "ok.txt").write_text(GOOD)
    for name in ("f.txt", "ok.txt", "inner/f.txt", "passwd"):
        (tmp_path / "outside" / name).write_text(f"The code is {SECRET}.\n")
    return tmp_path


def _swap_for_symlink(path: Path, target: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
    path.symlink_to(target)


def _indexed_text(app: RagApp, collection: str = "default") -> str:
    return " ".join(
        point.payload["text"]
        for record in app.ledger.sources(collection)
        for point in app.store.retrieve(collection, list(record.chunk_ids))
    )


def _swap_before_read(
    app: RagApp, monkeypatch: pytest.MonkeyPatch, swap: Callable[[], None]
) -> list[int]:
    """Run `swap` once, when the next sync starts: after every check, before any read."""
    sync, calls = app.indexer.sync, []

    def swapping_sync(*args, **kwargs):
        if not calls:
            swap()
        calls.append(1)
        return sync(*args, **kwargs)

    monkeypatch.setattr(app.indexer, "sync", swapping_sync)
    return calls


@pytest.fixture
def app(tmp_path: Path, tree: Path) -> Iterator[RagApp]:
    from rag.settings import Settings

    settings = Settings(data_dir=tmp_path / "data", api_ingest_roots=[tree / "root"])
    with RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel()) as app:
        yield app


@pytest.fixture
def client(app: RagApp, reliability: ReliabilityLog) -> Iterator[TestClient]:
    with recorded_client(app, reliability, ROW, NOTES) as client:
        yield client


@pytest.mark.parametrize(
    ("posted", "swapped", "target"),
    [
        ("sub/f.txt", "sub", "outside"),  # the case: a folder along the file's path
        ("sub/f.txt", "sub/f.txt", "outside/f.txt"),  # the file itself
        ("sub", "sub/inner", "outside/inner"),  # a folder inside a posted folder
        ("sub", "sub/f.txt", "outside/f.txt"),  # a file inside a posted folder
    ],
)
def test_an_ingest_job_never_reads_a_path_swapped_after_its_check(
    client: TestClient,
    app: RagApp,
    tree: Path,
    monkeypatch: pytest.MonkeyPatch,
    posted: str,
    swapped: str,
    target: str,
    reliability: ReliabilityLog,
) -> None:
    root = tree / "root"
    calls = _swap_before_read(
        app, monkeypatch, lambda: _swap_for_symlink(root / swapped, tree / target)
    )
    response = client.post("/v1/ingest", json={"paths": [str(root / posted)]})
    assert response.status_code == 202, response.text
    job = finished_job(client, response.json()["id"])
    assert calls and job["status"] == "done", job
    assert job["report"]["failed"], job["report"]
    assert SECRET not in _indexed_text(app)
    found = client.post("/v1/search", json={"query": f"code {SECRET}"})
    assert found.status_code in (200, 404) and SECRET not in found.text
    reliability.add(ROW, escapes=0)


@pytest.mark.parametrize("posted", ["teamA", "teamA/f9.txt"])
def test_a_listed_file_swapped_for_a_symlink_inside_the_roots_is_skipped(
    client: TestClient,
    app: RagApp,
    tree: Path,
    monkeypatch: pytest.MonkeyPatch,
    posted: str,
    reliability: ReliabilityLog,
) -> None:
    """Issue 39, item 1: the target of a symlink is never read, even where it lies under the
    roots; a job reads the file it listed or skips it."""
    root = tree / "root"
    (root / "teamA").mkdir()
    (root / "teamB").mkdir()
    (root / "teamA" / "f9.txt").write_text(GOOD)
    (root / "teamB" / "secret.md").write_text(f"The code is {SECRET}.\n")
    calls = _swap_before_read(
        app,
        monkeypatch,
        lambda: _swap_for_symlink(root / "teamA" / "f9.txt", root / "teamB" / "secret.md"),
    )
    response = client.post("/v1/ingest", json={"paths": [str(root / posted)]})
    assert response.status_code == 202, response.text
    job = finished_job(client, response.json()["id"])
    assert calls and job["status"] == "done", job
    assert [f["source"] for f in job["report"]["failed"]] == [str(root / "teamA" / "f9.txt")]
    assert SECRET not in _indexed_text(app)
    reliability.add(ROW, escapes=0)


def test_an_upload_swapped_before_its_read_is_not_indexed(
    client: TestClient, app: RagApp, tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = app.data_dir.root / "uploads" / "default" / "note.txt"
    calls = _swap_before_read(
        app, monkeypatch, lambda: _swap_for_symlink(stored, tree / "outside" / "f.txt")
    )
    response = client.post("/v1/documents", files={"files": ("note.txt", GOOD.encode())})
    assert calls and response.status_code == 422, response.text
    assert SECRET not in _indexed_text(app)


@pytest.mark.parametrize(("swapped", "target"), [("ok.txt", "outside/passwd"), ("sub", "outside")])
def test_the_content_route_never_serves_a_path_that_became_a_symlink(
    client: TestClient, app: RagApp, tree: Path, swapped: str, target: str
) -> None:
    path = tree / "root" / ("ok.txt" if swapped == "ok.txt" else "sub/ok.txt")
    job = finished_job(client, client.post("/v1/ingest", json={"paths": [str(path)]}).json()["id"])
    [document_id] = [document_id for document_id in _document_ids(client)]
    assert client.get(f"/v1/documents/{document_id}/content").text == GOOD
    _swap_for_symlink(tree / "root" / swapped, tree / target)
    response = client.get(f"/v1/documents/{document_id}/content")
    assert response.status_code == 404, (job, response.text)
    assert SECRET not in response.text
    assert response.json()["error"]["type"] == "NotFoundError"


def test_an_uploaded_file_that_became_a_symlink_is_not_served(
    client: TestClient, app: RagApp, tree: Path
) -> None:
    response = client.post("/v1/documents", files={"files": ("note.txt", GOOD.encode())})
    [(source, document_id)] = response.json()["document_ids"].items()
    _swap_for_symlink(Path(source), tree / "outside" / "passwd")
    served = client.get(f"/v1/documents/{document_id}/content")
    assert served.status_code == 404 and SECRET not in served.text


def _document_ids(client: TestClient) -> list[str]:
    return [d["id"] for d in client.get("/v1/documents").json()["documents"]]


@pytest.fixture
def cli_app(
    tmp_path: Path, tree: Path, monkeypatch: pytest.MonkeyPatch, reliability: ReliabilityLog
) -> Iterator[Callable[[Callable[[], None]], list[RagApp]]]:
    """The CLI on fakes; `arm(swap)` makes the next app it opens swap before its first read."""
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "data"))
    opened: list[RagApp] = []
    swaps: list[Callable[[], None]] = []

    def open_app(settings):
        app = RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel())
        if swaps:
            _swap_before_read(app, monkeypatch, swaps.pop())
        opened.append(app)
        return app

    monkeypatch.setattr(common, "open_app", open_app)

    def arm(swap: Callable[[], None]) -> list[RagApp]:
        swaps.append(swap)
        return opened

    yield arm
    reliability.add(ROW, inputs=1, crashes=0, escapes=0, notes=NOTES)


def _cli_index_text(tmp_path: Path) -> str:
    from rag.settings import Settings

    settings = Settings(data_dir=tmp_path / "data")
    with RagApp(settings, embedder=HashEmbedder()) as app:
        return _indexed_text(app)


@pytest.mark.parametrize("watch", [False, True])
def test_rag_ingest_and_watch_never_read_a_folder_swapped_after_the_scan(
    cli_app, tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, watch: bool
) -> None:
    def interrupted(_: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", interrupted)  # --watch: one round, then Ctrl-C
    cli_app(lambda: _swap_for_symlink(tree / "root" / "sub", tree / "outside"))
    args = ["ingest", str(tree / "root"), "--json", *(["--watch"] if watch else [])]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == (0 if watch else 1), result.output
    assert "refused" in result.output
    assert SECRET not in _cli_index_text(tmp_path)


def test_rag_reindex_never_reads_a_folder_swapped_after_the_scan(
    cli_app, tree: Path, tmp_path: Path
) -> None:
    assert CliRunner().invoke(cli, ["ingest", str(tree / "root" / "sub")]).exit_code == 0
    cli_app(lambda: _swap_for_symlink(tree / "root" / "sub", tree / "outside"))
    result = CliRunner().invoke(cli, ["reindex", "--json"])
    assert result.exit_code == 1, result.output
    assert "refused" in result.output
    assert SECRET not in _cli_index_text(tmp_path)
    assert os.path.islink(tree / "root" / "sub")
