"""While the API server owns a data directory, the CLI goes through it (or says who owns it)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag import cli
from rag.access.keys import KeyStore, Role, new_key
from rag.api import create_app
from rag.app import RagApp
from rag.client.http import read_server_record
from rag.connectors.files import scan_path
from rag.settings import Settings
from tests.fakes import HashEmbedder, ScriptedModel
from tests.live import free_port, serving


@pytest.fixture
def live_server(tmp_path: Path, docs: Path, monkeypatch: pytest.MonkeyPatch):
    port = free_port()
    settings = Settings(
        data_dir=tmp_path / "data",
        api_url=f"http://127.0.0.1:{port}",
        api_ingest_roots=[tmp_path / "shared"],
    )
    core = RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel())
    core.indexer.sync([scan_path(docs, 10**6)], "default")
    monkeypatch.setenv("RAG_DATA_DIR", str(settings.data_dir))
    with serving(create_app(settings, core), port):
        yield settings
    core.close()


def test_cli_search_goes_through_the_live_server(live_server: Settings) -> None:
    result = CliRunner().invoke(cli.cli, ["search", "warranty cycles", "--json", "--mode", "bm25"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["results"][0]["source"].endswith("aurora-k2-manual.md")


def test_cli_command_that_needs_the_index_names_the_owning_server(
    live_server: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _run_main(["reindex"])

    assert exit_info.value.code == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert f"owned by the API server at {live_server.api_url}" in lines[0]


def test_cli_ingest_runs_on_the_live_server(live_server: Settings, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "heat-pump.md").write_text("The Zephyr heat pump defrosts every 40 minutes.\n")

    result = CliRunner().invoke(cli.cli, ["ingest", str(shared), "--json"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["added"] == [str((shared / "heat-pump.md").resolve())]
    found = CliRunner().invoke(cli.cli, ["search", "Zephyr defrosts", "--json", "--mode", "bm25"])
    assert json.loads(found.output)["results"][0]["source"].endswith("heat-pump.md")


def test_cli_ingest_the_server_may_not_read_is_one_line_naming_it(
    live_server: Settings, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _run_main(["ingest", str(docs)])

    assert exit_info.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert f"API server at {live_server.api_url}" in lines[0]
    assert "outside the allowed ingest roots" in lines[0]


@pytest.mark.parametrize(
    ("role", "command", "code", "line"),
    [  # a key the server does not know is bad input; one whose role may not act, an error
        (None, ["search", "warranty cycles"], 2, "unknown API key"),
        (None, ["ask", "How long is the warranty?"], 2, "unknown API key"),
        (None, ["ingest"], 2, "the API server at {url} refused the ingest: unknown API key"),
        (Role.reader, ["ingest"], 1, "key 'someone' has role reader; this needs writer"),
    ],
)
def test_cli_a_key_the_server_refuses_is_one_line_and_its_exit_code(
    live_server: Settings,
    role: Role | None,
    command: list[str],
    code: int,
    line: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = KeyStore(live_server.data_dir).create("someone", role or Role.reader, ("default",))
    monkeypatch.setenv("RAG_API_KEY", key if role else new_key())
    with pytest.raises(SystemExit) as exit_info:
        _run_main(command if command != ["ingest"] else ["ingest", str(tmp_path / "shared")])

    assert exit_info.value.code == code
    error = "error: " + line.format(url=live_server.api_url)
    assert capsys.readouterr().err.strip().splitlines() == [error]


def test_stale_server_record_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "server.json").write_text(json.dumps({"url": "http://x", "pid": 2**22 + 7}))
    assert read_server_record(tmp_path) is None


def _run_main(args: list[str]) -> None:
    import sys

    argv = sys.argv
    sys.argv = ["rag", *args]
    try:
        cli.main()
    finally:
        sys.argv = argv
