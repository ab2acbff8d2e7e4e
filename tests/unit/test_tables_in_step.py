"""Tables in step with the ledger through the app (fake embedder, real DuckDB): re-ingest,
folder sync deletions, document and collection delete, `rag doctor`; and the front doors
(`rag tables`, /v1/tables) scoped by keys like documents."""

import json
import shutil
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rag.access.keys import KeyStore, Role
from rag.api import create_app
from rag.app import RagApp
from rag.cli import cli
from rag.connectors.files import scan_path
from rag.errors import TableQueryError
from rag.ingest.doctor import check, repair
from rag.ingest.sources import scans_for

PRICES = 'product,price\nK2,"7,450"\nG3,"1,290"\n'


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir(parents=True)
    (folder / "prices.csv").write_text(PRICES)
    (folder / "notes.md").write_text("# Notes\n\n| Day | Visits |\n|---|---|\n| Mon | 3 |\n")
    return folder


def _sync(app: RagApp, folder: Path, collection: str = "default"):
    return app.indexer.sync([scan_path(folder, app.settings.max_file_bytes)], collection)


def _total(app: RagApp, collection: str = "default") -> int:
    return app.tables.select(collection, "SELECT sum(price) FROM prices").rows[0][0]


def test_reingest_sync_and_deletes_keep_tables_in_step(rag_app: RagApp, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    _sync(rag_app, folder)
    assert {t.name for t in rag_app.tables.schemas("default")} == {"prices", "notes"}
    assert _total(rag_app) == 8740

    (folder / "prices.csv").write_text(PRICES + "Bracket,180\n")
    report = _sync(rag_app, folder)
    assert report.updated == [str((folder / "prices.csv").resolve())]
    assert _total(rag_app) == 8920

    (folder / "notes.md").unlink()
    _sync(rag_app, folder)
    assert [t.name for t in rag_app.tables.schemas("default")] == ["prices"]

    (folder / "prices.csv").rename(folder / "renamed.csv")
    report = _sync(rag_app, folder)
    assert report.moved and rag_app.tables.schema("default", "prices").source.endswith(
        "renamed.csv"
    )

    rag_app.catalog.delete_document("default", str((folder / "renamed.csv").resolve()))
    assert rag_app.tables.schemas("default") == []

    _sync(rag_app, folder, "other")
    _sync(rag_app, _folder(tmp_path / "more"), "default")
    rag_app.catalog.delete("other")
    assert rag_app.tables.schemas("other") == [] and rag_app.tables.schemas("default")


def test_doctor_finds_and_repairs_stale_and_orphan_tables(rag_app: RagApp, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    _sync(rag_app, folder)
    prices = str((folder / "prices.csv").resolve())
    assert check(rag_app.ledger, rag_app.store, "default", rag_app.tables).healthy
    rag_app.tables.drop_source("default", prices)  # as a crash between the two writes would
    rag_app.tables.replace_source("default", "/gone.csv", "d", "h", [])
    health = check(rag_app.ledger, rag_app.store, "default", rag_app.tables)
    assert health.stale_tables == [prices] and health.orphan_tables == ["/gone.csv"]
    reindexed: list[str] = []

    def reingest(ids):
        reindexed.extend(ids)
        return rag_app.indexer.sync(scans_for(ids, rag_app.settings, rag_app.plugins), "default")

    def retable(ids):
        return rag_app.indexer.register_tables(
            scans_for(ids, rag_app.settings, rag_app.plugins), "default"
        )

    repair(
        health,
        rag_app.ledger,
        rag_app.store,
        reingest,
        lambda source: None,
        rag_app.tables,
        retable,
    )
    assert f"registered the tables of {prices} again" in health.repairs and not reindexed
    assert check(rag_app.ledger, rag_app.store, "default", rag_app.tables).healthy
    assert _total(rag_app) == 8740

    (folder / "prices.csv").write_text(PRICES + "Bracket,180\n")  # not the indexed version
    rag_app.tables.drop_source("default", prices)
    health = check(rag_app.ledger, rag_app.store, "default", rag_app.tables)
    repair(health, rag_app.ledger, rag_app.store, reingest, lambda s: None, rag_app.tables, retable)
    assert reindexed == [prices] and _total(rag_app) == 8920


def test_rest_tables_are_scoped_by_keys_like_documents(rag_app: RagApp, tmp_path: Path) -> None:
    _sync(rag_app, _folder(tmp_path))
    keys = KeyStore(rag_app.data_dir.root)
    outsider = keys.create("outsider", Role.reader, ("other",))
    reader = keys.create("reader", Role.reader, ("default",))
    with TestClient(create_app(rag_app.settings, rag_app)) as client:

        def get(path: str, key: str):
            return client.get(path, headers={"Authorization": f"Bearer {key}"})

        listed = get("/v1/tables?collection=default", reader).json()
        [prices] = [t for t in listed["tables"] if t["name"] == "prices"]
        assert prices["rows"] == 2 and prices["columns"][1] == {
            "name": "price",
            "sql_name": "price",
            "type": "BIGINT",
            "unit": None,
        }
        shown = get("/v1/tables/prices?collection=default&limit=1&offset=1", reader).json()
        assert shown["preview"]["rows"] == [[3, "G3", 1290]]
        for path in ("/v1/tables?collection=default", "/v1/tables/prices?collection=default"):
            refused = get(path, outsider)
            assert refused.status_code == 404
            assert refused.json()["error"]["type"] == "NotFoundError"
        query = {"sql": "SELECT max(price) FROM prices", "collection": "default"}
        assert client.post(
            "/v1/tables/query", json=query, headers={"Authorization": f"Bearer {reader}"}
        ).json()["rows"] == [[7450]]
        assert (
            client.post(
                "/v1/tables/query", json=query, headers={"Authorization": f"Bearer {outsider}"}
            ).status_code
            == 404
        )
        dropped = client.post(
            "/v1/tables/query",
            json={"sql": "DROP TABLE prices", "collection": "default"},
            headers={"Authorization": f"Bearer {reader}"},
        )
        assert dropped.status_code == 400 and dropped.json()["error"]["type"] == "TableQueryError"
        assert get("/v1/tables/nope?collection=default", reader).status_code == 404


def test_the_cli_lists_shows_and_queries(cli_on_fakes: Path, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(folder)]).exit_code == 0
    listed = runner.invoke(cli, ["tables", "list", "--json"])
    assert {t["name"] for t in json.loads(listed.stdout)["tables"]} == {"prices", "notes"}
    shown = runner.invoke(cli, ["tables", "show", "prices"])
    assert "price BIGINT" in shown.stdout and "G3" in shown.stdout
    total = runner.invoke(cli, ["tables", "query", "SELECT sum(price) AS t FROM prices", "--json"])
    assert json.loads(total.stdout)["rows"] == [[8740]]
    refused = runner.invoke(cli, ["tables", "query", "COPY prices TO 'x.csv'"])
    assert isinstance(refused.exception, TableQueryError)  # main() exits 2 on it
    assert not (Path.cwd() / "x.csv").exists()
    shutil.rmtree(folder)


def test_a_source_that_fails_to_embed_keeps_no_new_tables(settings, tmp_path: Path) -> None:
    from rag.errors import ModelError
    from tests.fakes import HashEmbedder

    class Failing(HashEmbedder):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            raise ModelError("embedder down")

    with RagApp(settings, embedder=Failing()) as app:
        report = _sync(app, _folder(tmp_path))
        assert len(report.failed) == 2 and not report.added
        assert app.tables.schemas("default") == [] and app.tables.sources("default") == {}
