"""docs/PLUGINS.md, run: its pyproject and its four plugin modules, taken from the page as
written, installed as a distribution (a dist-info on sys.path, read by importlib.metadata as
pip's), then used as the page says: an Org file read, a zip archive synced, a percent change
routed to the tool, a "which documents mention" question answered with citations."""

import re
import tomllib
import zipfile
from pathlib import Path

import pytest

from rag.app import RagApp
from rag.ingest.readers import read_documents
from rag.ingest.sources import scans_for
from rag.plugins import RawSource
from rag.plugins.registry import load_plugins
from rag.settings import Settings
from tests.fakes import HashEmbedder, ScriptedModel
from tests.plugin_dists import install_distribution

DOC = (Path(__file__).resolve().parents[2] / "docs" / "PLUGINS.md").read_text()
ORG = """* Allotments
Plots are let for one year.
| Plot | Tenant | Rent |
|------+--------+------|
| A1   | Okafor | 42   |
| B7   | Lindqvist | 38 |
"""


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, re.S)


@pytest.fixture
def doc_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Settings:
    [project] = [tomllib.loads(b)["project"] for b in _blocks("toml") if "[project]" in b]
    modules = {
        match[1]: block
        for block in _blocks("python")
        if (match := re.match(r"# file: (\w+)\.py\n", block))
    }
    install_distribution(
        monkeypatch, tmp_path / "site", project["name"], modules, project["entry-points"]
    )
    return Settings(
        data_dir=tmp_path / "data",
        chunk_size=64,
        chunk_overlap=8,
        abstain_min_support=0.3,
        plugins=[project["name"]],
        plugin_options={project["name"]: {"digits": "2"}},
    )


def test_the_four_plugins_of_the_page_load(doc_settings: Settings) -> None:
    plugins = load_plugins(doc_settings)
    mine = [r for r in plugins.records if r.distribution == "my-rag-plugins"]
    assert sorted(r.kind for r in mine) == ["answerer", "connector", "reader", "tool"]
    assert all(r.active for r in mine), [r.error for r in mine]


def test_the_org_reader_keeps_table_rows_as_records(doc_settings: Settings) -> None:
    plugins = load_plugins(doc_settings)
    source = RawSource("/notes/plots.org", "org", read=ORG.encode)
    [page] = read_documents(source, ORG.encode(), readers=plugins.readers)
    assert page.text.startswith("Allotments\nPlots are let for one year.")
    record = page.metadata["records"][1]
    assert record["record"] == {"Plot": "B7", "Tenant": "Lindqvist", "Rent": "38"}
    assert page.text[record["start"] : record["end"]] == "Plot: B7; Tenant: Lindqvist; Rent: 38"


def test_the_zip_connector_syncs_an_archive_deletions_included(
    doc_settings: Settings, tmp_path: Path
) -> None:
    archive = tmp_path / "notes.zip"
    with zipfile.ZipFile(archive, "w") as file:
        file.writestr("plots.org", ORG)
        file.writestr("compost.md", "Compost bins are collected on Fridays.")
        file.writestr("logo.bin", b"\x00")  # no reader: not listed
    with RagApp(doc_settings, embedder=HashEmbedder(), model=ScriptedModel()) as app:
        uri = f"zip://{archive}"
        report = app.indexer.sync(scans_for([uri], doc_settings, app.plugins), "default")
        assert sorted(report.added) == [f"{uri}#compost.md", f"{uri}#plots.org"]
        with zipfile.ZipFile(archive, "w") as file:
            file.writestr("compost.md", "Compost bins are collected on Fridays.")
        report = app.indexer.sync(scans_for([uri], doc_settings, app.plugins), "default")
        assert report.deleted == [f"{uri}#plots.org"] and report.unchanged == 1


def test_the_percent_tool_answers_its_question_with_its_plugin_named(
    doc_settings: Settings,
) -> None:
    with RagApp(doc_settings, embedder=HashEmbedder(), model=ScriptedModel()) as app:
        request = app.ask_request("What is the percent change from 80 to 100?")
        result = app.answers.ask(request)
    [call] = [c.to_json() for c in result.tool_calls]
    assert call == {
        "name": "percent_change",
        "arguments": {"old": 80.0, "new": 100.0},
        "result": "+25.00%",  # digits=2 from the plugin's options
        "summary": "percent_change(old=80.0, new=100.0) → +25.00%",
        "plugin": "my-rag-plugins",
    }
    assert "+25.00%" in result.answer and "percent_change" in result.answer


def test_the_mentions_answerer_cites_the_passages(doc_settings: Settings, docs: Path) -> None:
    with RagApp(doc_settings, embedder=HashEmbedder(), model=ScriptedModel()) as app:
        app.indexer.sync(scans_for([str(docs)], doc_settings, app.plugins), "default")
        result = app.answers.ask(app.ask_request("Which documents mention warranty?"))
    assert result.answer.startswith("warranty is mentioned in:")
    assert result.citations and all("warranty" in c.text.lower() for c in result.citations)
    named = {Path(c.chunk.source).name for c in result.citations}
    assert all(name in result.answer for name in named)
