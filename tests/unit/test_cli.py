"""The CLI front door with the core's models faked; exit codes and JSON shapes are contracts."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag import cli
from tests.conftest import N_SAMPLE_DOCS
from tests.fakes import ScriptedModel

runner = CliRunner()


@pytest.fixture
def fake_core(
    monkeypatch: pytest.MonkeyPatch, cli_on_fakes: Path, model: ScriptedModel
) -> ScriptedModel:
    # The hash embedder's similarities run lower than MiniLM's (see tests/conftest.py).
    return model


def _run(*args: str):
    return runner.invoke(cli.cli, list(args))


def test_ingest_json_report_and_idempotent_rerun(fake_core: ScriptedModel, docs: Path) -> None:
    first = _run("ingest", str(docs), "--json")
    second = _run("ingest", str(docs), "--json")

    assert first.exit_code == 0, first.output
    report = json.loads(first.output)
    assert set(report) == {
        "added",
        "updated",
        "deleted",
        "moved",
        "unchanged",
        "failed",
        "chunks_written",
        "kept",
    }
    assert len(report["added"]) == N_SAMPLE_DOCS
    again = json.loads(second.output)
    assert (
        again["added"] == []
        and again["chunks_written"] == 0
        and again["unchanged"] == N_SAMPLE_DOCS
    )


def test_ingest_exits_1_when_a_source_fails_but_indexes_the_rest(
    fake_core: ScriptedModel, docs: Path
) -> None:
    result = _run("ingest", str(docs), str(docs / "missing.md"), "file:///etc/passwd", "--json")

    assert result.exit_code == 1
    report = json.loads(result.output)
    assert len(report["added"]) == N_SAMPLE_DOCS
    assert {f["source"] for f in report["failed"]} == {
        str(docs / "missing.md"),
        "file:///etc/passwd",
    }


def test_ingest_include_and_exclude_pick_a_folders_files(
    fake_core: ScriptedModel, docs: Path
) -> None:
    result = _run("ingest", str(docs), "--include", "*.md", "--exclude", "employee-*", "--json")

    assert result.exit_code == 0, result.output
    added = {Path(source).name for source in json.loads(result.output)["added"]}
    assert added == {"aurora-k2-manual.md", "price-list.md"}


def test_ask_json_has_every_contract_field(fake_core: ScriptedModel, docs: Path) -> None:
    _run("ingest", str(docs))
    fake_core.replies.append("An installation takes about five hours.")

    result = _run("ask", "--json", "How long does an installation take?")

    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["citations"][0]["source"].endswith("support-faq.txt")
    assert body["tool_calls"] == [] and body["closest_sources"] == []
    for key in ("id", "document_id", "source", "page", "start", "end", "text", "score"):
        assert key in body["citations"][0]


def test_a_tool_answer_prints_no_sources_heading(fake_core: ScriptedModel) -> None:
    result = _run("ask", "What is 40366 / 439?")

    assert result.exit_code == 0, result.output
    assert "91.9499" in result.output and "Sources:" not in result.output


def test_an_abstention_lists_each_closest_file_and_page_once(
    fake_core: ScriptedModel, docs: Path
) -> None:
    _run("ingest", str(docs))

    result = _run("ask", "--top-k", "8", "What is the boiling point of zorblium?")

    assert result.exit_code == 0, result.output
    places = [line for line in result.output.splitlines() if line.startswith("  - ")]
    assert places and len(places) == len(set(places))
    assert any(line.endswith("warranty-claims.pdf p.2") for line in places), result.output


def test_search_json_shape(fake_core: ScriptedModel, docs: Path) -> None:
    _run("ingest", str(docs))
    result = _run("search", "warranty cycles", "--json", "--top-k", "2", "--mode", "bm25")
    results = json.loads(result.output)["results"]
    assert len(results) == 2
    assert results[0]["source"].endswith("aurora-k2-manual.md")


def test_usage_errors_exit_2(fake_core: ScriptedModel) -> None:
    assert _run("ask").exit_code == 2
    assert _run("search", "x", "--mode", "fuzzy").exit_code == 2
    assert _run("search", "x", "--top-k", "0").exit_code == 2


def test_ingest_builds_the_index_past_the_threshold(
    fake_core: ScriptedModel, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    monkeypatch.setenv("RAG_INDEX_BUILD_THRESHOLD", "1")
    monkeypatch.setattr("rag.store.edge.EdgeStore.build_index", lambda self, c: built.append(c))

    assert _run("ingest", str(docs)).exit_code == 0
    assert _run("ingest", str(docs)).exit_code == 0  # nothing written: no rebuild

    assert built == ["default"]


def test_watch_resyncs_until_interrupted(
    fake_core: ScriptedModel, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    naps: list[float] = []

    def nap(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 1:
            (docs / "new-note.md").write_text("# Note\nThe lab opens at 07:30.\n")
        elif len(naps) == 2:
            pass  # nothing changed: the watch stays quiet
        else:
            raise KeyboardInterrupt

    monkeypatch.setattr("rag.cli.ingest.time.sleep", nap)

    result = _run("ingest", str(docs), "--watch")

    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("added 1,")
