"""Issue 37: a folder, file or URL ingest (CLI, REST, Python API) is kept as a manual source whose
state is the ingest's; a re-ingest updates it, a sync after it finds nothing changed, removing
it deletes exactly what the ingest indexed; uploads, tagged ingests and rebuilds are no source."""

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rag import Rag, cli
from rag.api import create_app
from rag.app import RagApp
from rag.client.local import LocalClient
from tests.conftest import N_SAMPLE_DOCS
from tests.live import finished_job, free_port, serving
from tests.local_site import local_site

PAGE = b"<html><body><main><h1>Heat pumps</h1><p>They move heat outdoors.</p></main></body></html>"


def _ids(app: RagApp, collection: str = "default") -> set[str]:
    return {record.source_id for record in app.ledger.sources(collection)}


def _other_folder(tmp_path: Path, docs: Path) -> Path:
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(docs / "support-faq.txt", other / "faq.txt")
    return other


def test_python_api_ingest_records_a_source_and_a_reingest_updates_it(
    rag_app: RagApp, docs: Path
) -> None:
    rag = Rag(LocalClient(rag_app))
    rag.ingest(docs)
    (source,) = rag_app.sources.all()
    assert (source.uri, source.collection, source.schedule) == (str(docs), "default", "manual")
    assert (source.added, source.changed, source.removed, source.last_error) == (
        N_SAMPLE_DOCS,
        0,
        0,
        None,
    )
    assert source.last_sync is not None and source.next_sync is None

    (docs / "support-faq.txt").write_text("Support moved. Call +32 9 555 99 99.\n")
    (docs / "price-list.md").unlink()
    rag.ingest([f"{docs}/"])  # the same folder, named differently

    (again,) = rag_app.sources.all()
    assert again.id == source.id
    assert (again.added, again.changed, again.removed) == (0, 1, 1)


def test_a_sync_after_an_ingest_finds_nothing_changed(rag_app: RagApp, docs: Path) -> None:
    Rag(LocalClient(rag_app)).ingest(docs)
    (source,) = rag_app.sources.all()
    chunks = rag_app.store.count("default")

    synced = rag_app.sources.sync(source.id)

    assert (synced.added, synced.changed, synced.removed, synced.last_error) == (0, 0, 0, None)
    assert rag_app.store.count("default") == chunks and len(_ids(rag_app)) == N_SAMPLE_DOCS


def test_removing_an_ingested_source_deletes_exactly_its_documents(
    rag_app: RagApp, docs: Path, tmp_path: Path
) -> None:
    other = _other_folder(tmp_path, docs)
    rag = Rag(LocalClient(rag_app))
    rag.ingest([docs, other])
    by_uri = {s.uri: s for s in rag_app.sources.all()}
    assert set(by_uri) == {str(docs), str(other)}

    _, deleted = rag_app.sources.remove(by_uri[str(docs)].id)

    assert deleted == N_SAMPLE_DOCS
    assert _ids(rag_app) == {str(other / "faq.txt")}


def test_a_single_file_is_a_file_source_covering_that_file_only(
    rag_app: RagApp, docs: Path
) -> None:
    rag = Rag(LocalClient(rag_app))
    rag.ingest(docs / "support-faq.txt")
    rag.ingest(docs / "price-list.md")
    by_uri = {s.uri: s for s in rag_app.sources.all()}
    faq = by_uri[str(docs / "support-faq.txt")]
    assert faq.added == 1 and rag_app.sources.sync(faq.id).added == 0

    _, deleted = rag_app.sources.remove(faq.id)

    assert deleted == 1 and _ids(rag_app) == {str(docs / "price-list.md")}


def test_no_source_for_a_failed_path_a_tagged_ingest_a_rebuild_or_an_upload(
    rag_app: RagApp, docs: Path, tmp_path: Path
) -> None:
    rag = Rag(LocalClient(rag_app))
    report = rag.ingest(tmp_path / "missing")
    assert report.failed and rag_app.sources.all() == []
    LocalClient(rag_app).ingest([str(docs)], None, tags={"team": "support"})
    LocalClient(rag_app).ingest([str(docs)], "other", include=["*.md"])
    assert rag_app.sources.all() == []

    with TestClient(create_app(rag_app.settings, rag_app)) as client:
        files = [("files", ("notes.txt", b"The office opens at 9.", "text/plain"))]
        assert client.post("/v1/documents", files=files).status_code < 300
    assert rag_app.sources.all() == []


def test_an_existing_source_takes_the_ingest_state_even_when_it_fails(
    rag_app: RagApp, docs: Path
) -> None:
    rag = Rag(LocalClient(rag_app))
    rag.ingest(docs)
    shutil.rmtree(docs)
    rag.ingest(docs)
    (source,) = rag_app.sources.all()
    assert source.last_error and "no such file or folder" in source.last_error
    assert source.failures == 1


def test_adding_the_uri_of_an_ingest_sets_its_schedule_instead_of_a_second_source(
    rag_app: RagApp, docs: Path
) -> None:
    Rag(LocalClient(rag_app)).ingest(docs)
    (ingested,) = rag_app.sources.all()

    scheduled = rag_app.sources.add(str(docs), schedule="every 15m")

    assert scheduled.id == ingested.id and scheduled.schedule == "every 15m"
    assert scheduled.next_sync is not None and scheduled.added == N_SAMPLE_DOCS
    assert len(rag_app.sources.all()) == 1
    assert rag_app.sources.add(str(docs), collection="other", schedule="manual").id != ingested.id


def test_a_url_ingest_is_a_web_source(rag_app: RagApp, monkeypatch: pytest.MonkeyPatch) -> None:
    with local_site() as (base, routes):
        routes["/a"] = (200, "text/html", PAGE, {})
        monkeypatch.setattr(rag_app.settings, "web_allowed_hosts", [base.removeprefix("http://")])
        rag = Rag(LocalClient(rag_app))
        rag.ingest([f"{base}/a", "http://169.254.169.254/"])
        (source,) = rag_app.sources.all()  # the refused URL is no source
        assert (source.uri, source.added) == (f"{base}/a", 1)
        assert rag_app.sources.sync(source.id).changed == 0

        assert rag_app.sources.remove(source.id)[1] == 1
    assert _ids(rag_app) == set()


def test_rest_ingest_jobs_record_and_update_one_source(
    rag_app: RagApp, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rag_app.settings, "api_ingest_roots", [docs.parent])
    with TestClient(create_app(rag_app.settings, rag_app)) as client:

        def ingest() -> None:
            body = {"paths": [str(docs)], "collection": "docs"}
            job = finished_job(client, client.post("/v1/ingest", json=body).json()["id"])
            assert job["status"] == "done"

        ingest()
        (source,) = client.get("/v1/sources").json()["sources"]
        assert (source["uri"], source["collection"], source["schedule"]) == (
            str(docs),
            "docs",
            "manual",
        )
        assert (source["added"], source["status"]) == (N_SAMPLE_DOCS, "ok")
        ingest()
        (again,) = client.get("/v1/sources").json()["sources"]
        assert again["id"] == source["id"] and again["added"] == 0

        synced = client.post(f"/v1/sources/{source['id']}/sync").json()
        assert (synced["added"], synced["changed"], synced["removed"]) == (0, 0, 0)
        removed = client.delete(f"/v1/sources/{source['id']}").json()
        assert removed["documents_deleted"] == N_SAMPLE_DOCS
    assert _ids(rag_app, "docs") == set()


def test_cli_ingest_then_sources_list_sync_and_remove(cli_on_fakes: Path, docs: Path) -> None:
    runner = CliRunner()

    def rag(*args: str) -> str:
        result = runner.invoke(cli.cli, list(args))
        assert result.exit_code == 0, result.output
        return result.output

    rag("ingest", str(docs), "--json")
    rag("ingest", str(docs), "--json")
    rag("reindex", "--json")  # the ledger's documents one by one: no source each
    (source,) = json.loads(rag("sources", "list", "--json"))["sources"]
    assert (source["uri"], source["schedule"], source["added"]) == (str(docs), "manual", 0)

    synced = json.loads(rag("sources", "sync", source["id"], "--json"))
    assert (synced["added"], synced["changed"], synced["removed"]) == (0, 0, 0)
    assert f"({N_SAMPLE_DOCS} documents deleted)" in rag("sources", "remove", source["id"])
    assert json.loads(rag("docs", "list", "--json"))["documents"] == []


def test_a_watch_keeps_one_source_at_its_latest_pass(
    cli_on_fakes: Path, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rag.cli.ingest

    passes = iter([None])

    def between_passes(_seconds: float) -> None:
        (docs / "price-list.md").unlink(missing_ok=True)
        if next(passes, "stop") == "stop":
            raise KeyboardInterrupt

    monkeypatch.setattr(rag.cli.ingest.time, "sleep", between_passes)
    assert CliRunner().invoke(cli.cli, ["ingest", str(docs), "--watch"]).exit_code == 0
    listed = CliRunner().invoke(cli.cli, ["sources", "list", "--json"]).output
    (source,) = json.loads(listed)["sources"]
    assert (source["added"], source["removed"]) == (0, 1)  # the second pass


def test_python_api_over_http_records_the_source_on_the_server(
    rag_app: RagApp, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rag_app.settings, "api_ingest_roots", [docs])
    api = create_app(rag_app.settings, rag_app)
    with serving(api, free_port()) as url, Rag.open(url=url) as remote:
        remote.ingest(docs, collection="manuals")
        remote.ingest(docs, collection="manuals")
    (source,) = rag_app.sources.all()
    assert (source.uri, source.collection, source.added) == (str(docs), "manuals", 0)
