"""A folder synced while the plugin that reads some of its files is not enabled: those files are
still there, so their documents are kept and reported, never deleted (issue 34's plugin trial:
`rag ingest cards/` without RAG_PLUGINS deleted every .vcf document). Only files really gone
from the folder lose their documents."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag import cli
from rag.app import RagApp
from rag.ingest.report import IngestReport
from rag.ingest.sources import scans_for
from rag.settings import Settings
from tests.fakes import HashEmbedder, ScriptedModel
from tests.plugin_dists import install_distribution

VCARD_READER = """
from rag.plugins import Page


class VcardReader:
    file_type = "vcard"
    extensions = (".vcf",)

    def read(self, data, context):
        return [Page(data.decode())]
"""

KEPT_REASON = "no enabled reader handles .vcf files (is its plugin in RAG_PLUGINS?)"


@pytest.fixture
def cards(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A folder of two .vcf cards and a note; the `rag-vcard-reader` distribution installed."""
    install_distribution(
        monkeypatch,
        tmp_path / "site",
        "rag-vcard-reader",
        {"vcard_reader": VCARD_READER},
        {"rag.readers": {"vcard": "vcard_reader:VcardReader"}},
    )
    folder = tmp_path / "cards"
    folder.mkdir()
    (folder / "ada.vcf").write_text("Ada Lovelace writes programs for the Analytical Engine.\n")
    (folder / "alan.vcf").write_text("Alan Turing breaks codes at Bletchley Park.\n")
    (folder / "notes.md").write_text("# Notes\n\nThe cards name two people.\n")
    return folder.resolve()


def _sync(settings: Settings, folder: Path) -> IngestReport:
    app = RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel())
    try:
        return app.indexer.sync(scans_for([str(folder)], settings, app.plugins), "default")
    finally:
        app.close()


def test_files_without_an_enabled_reader_keep_their_documents(
    settings: Settings, cards: Path
) -> None:
    enabled = settings.model_copy(update={"plugins": ["rag-vcard-reader"]})
    vcards = [str(cards / "ada.vcf"), str(cards / "alan.vcf")]
    assert sorted(_sync(enabled, cards).added) == [*vcards, str(cards / "notes.md")]

    disabled = _sync(settings, cards)

    assert disabled.deleted == [] and disabled.failed == [] and disabled.unchanged == 1
    assert disabled.kept == [{"source": s, "reason": KEPT_REASON} for s in vcards]

    (cards / "ada.vcf").unlink()
    gone = _sync(settings, cards)

    assert gone.deleted == [vcards[0]]
    assert gone.kept == [{"source": vcards[1], "reason": KEPT_REASON}]
    assert _sync(enabled, cards).unchanged == 2  # the kept card was never re-read or re-written


def test_rag_ingest_without_the_plugin_keeps_the_documents_and_says_why(
    monkeypatch: pytest.MonkeyPatch, cli_on_fakes: Path, cards: Path
) -> None:
    runner = CliRunner()
    monkeypatch.setenv("RAG_PLUGINS", "rag-vcard-reader")
    first = runner.invoke(cli.cli, ["ingest", str(cards), "--json"])
    assert first.exit_code == 0 and len(json.loads(first.output)["added"]) == 3, first.output
    monkeypatch.delenv("RAG_PLUGINS")

    result = runner.invoke(cli.cli, ["ingest", str(cards)])

    assert result.exit_code == 0, result.output
    assert "deleted 0," in result.stdout and "failed 0;" in result.stdout
    assert result.stderr.splitlines() == [f"kept 2 documents: {KEPT_REASON}"]
    listed = runner.invoke(cli.cli, ["docs", "list", "--json"])
    assert {d["source"] for d in json.loads(listed.output)["documents"]} >= {
        str(cards / "ada.vcf"),
        str(cards / "alan.vcf"),
    }


def test_doctor_repair_leaves_a_damaged_document_whose_reader_is_off(
    monkeypatch: pytest.MonkeyPatch, cli_on_fakes: Path, cards: Path
) -> None:
    runner = CliRunner()
    monkeypatch.setenv("RAG_PLUGINS", "rag-vcard-reader")
    assert runner.invoke(cli.cli, ["ingest", str(cards)]).exit_code == 0
    ada = str(cards / "ada.vcf")
    with RagApp(Settings(data_dir=cli_on_fakes), embedder=HashEmbedder()) as app:
        app.store.delete("default", [app.ledger.get("default", ada).chunk_ids[0]])
    monkeypatch.delenv("RAG_PLUGINS")

    result = runner.invoke(cli.cli, ["doctor", "--repair", "--json"])

    (health,) = json.loads(result.output)
    assert result.exit_code == 1 and health["lost"] == {ada: 1}  # still damaged, not dropped
    assert health["repairs"] == [f"left {ada}: {KEPT_REASON}"]
    monkeypatch.setenv("RAG_PLUGINS", "rag-vcard-reader")
    repaired = runner.invoke(cli.cli, ["doctor", "--repair", "--json"])
    assert repaired.exit_code == 0 and json.loads(repaired.output)[0]["repairs"] == [
        f"indexed {ada} again"
    ]
