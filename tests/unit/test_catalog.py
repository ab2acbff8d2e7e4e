import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag import cli
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.errors import NotFoundError
from tests.conftest import N_SAMPLE_DOCS


@pytest.fixture
def indexed(rag_app: RagApp, docs: Path) -> RagApp:
    rag_app.indexer.sync([scan_path(docs, 10**6)], "default")
    return rag_app


def test_collections_list_counts_documents_and_chunks(indexed: RagApp) -> None:
    indexed.catalog.create("empty")
    infos = {i.name: i for i in indexed.catalog.collections()}
    assert infos["default"].documents == N_SAMPLE_DOCS
    assert infos["default"].chunks == indexed.store.count("default")
    assert (infos["empty"].documents, infos["empty"].chunks) == (0, 0)


def test_deleting_a_collection_removes_index_and_ledger(indexed: RagApp, docs: Path) -> None:
    indexed.catalog.delete("default")
    assert indexed.catalog.collections() == []
    # Re-ingesting afterwards writes everything again: nothing claims stale chunks.
    report = indexed.indexer.sync([scan_path(docs, 10**6)], "default")
    assert len(report.added) == N_SAMPLE_DOCS


def test_delete_document_by_source_or_id(indexed: RagApp, docs: Path) -> None:
    faq = indexed.ledger.get("default", str(docs / "support-faq.txt"))
    indexed.catalog.delete_document("default", faq.document_id)
    assert indexed.store.count("default", {"source": faq.source_id}) == 0
    indexed.catalog.delete_document("default", str(docs / "price-list.md"))
    assert len(indexed.catalog.documents("default")) == N_SAMPLE_DOCS - 2
    with pytest.raises(NotFoundError):
        indexed.catalog.delete_document("default", "nope")


def test_cli_collections_and_docs(cli_on_fakes: Path, docs: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli.cli, ["ingest", str(docs), "-c", "handbook"]).exit_code == 0

    listed = json.loads(runner.invoke(cli.cli, ["collections", "list", "--json"]).output)
    documents = json.loads(
        runner.invoke(cli.cli, ["docs", "list", "-c", "handbook", "--json"]).output
    )

    assert [c["name"] for c in listed["collections"]] == ["handbook"]
    assert len(documents["documents"]) == N_SAMPLE_DOCS
    assert runner.invoke(cli.cli, ["collections", "delete", "handbook", "--yes"]).exit_code == 0
    assert runner.invoke(cli.cli, ["collections", "delete", "handbook", "--yes"]).exit_code == 1


def test_reindex_rebuilds_under_a_new_recipe_and_resumes_after_a_crash(
    monkeypatch: pytest.MonkeyPatch, cli_on_fakes: Path, docs: Path
) -> None:
    runner = CliRunner()
    assert runner.invoke(cli.cli, ["ingest", str(docs)]).exit_code == 0

    monkeypatch.setenv("RAG_CHUNK_SIZE", "90")
    refused = runner.invoke(cli.cli, ["ingest", str(docs)])
    assert "rag reindex" in str(refused.exception)

    # A first rebuild dies right after emptying the collection...
    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    sync = cli.ingest._sync
    monkeypatch.setattr(cli.ingest, "_sync", crash)
    assert runner.invoke(cli.cli, ["reindex"]).exit_code != 0
    monkeypatch.setattr(cli.ingest, "_sync", sync)

    # ...and the rerun still knows every source.
    result = runner.invoke(cli.cli, ["reindex", "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["added"]) == N_SAMPLE_DOCS
    assert runner.invoke(cli.cli, ["ingest", str(docs), "--json"]).exit_code == 0
    assert not (cli_on_fakes / "reindex-default.json").exists()


def test_reindex_keeps_each_sources_ingest_tags(
    monkeypatch: pytest.MonkeyPatch, cli_on_fakes: Path, docs: Path
) -> None:
    runner = CliRunner()
    runner.invoke(cli.cli, ["ingest", str(docs / "price-list.md"), "--tag", "team=sales"])
    runner.invoke(cli.cli, ["ingest", str(docs / "support-faq.txt")])
    monkeypatch.setenv("RAG_CHUNK_SIZE", "90")
    assert runner.invoke(cli.cli, ["reindex"]).exit_code == 0

    found = runner.invoke(
        cli.cli, ["search", "battery price", "--filter", "tags.team=sales", "--json"]
    )
    sources = {Path(r["source"]).name for r in json.loads(found.output)["results"]}
    assert sources == {"price-list.md"}
