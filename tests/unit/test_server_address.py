"""Which server a client on this machine talks to: RAG_API_URL when set, else the one recorded
in the data directory's server.json, else none (the index is opened in-process); and which
key it sends there."""

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag import Rag, cli
from rag.access.auth import write_local_token
from rag.api import create_app
from rag.app import RagApp
from rag.client.http import client_key
from rag.client.spawn import listen_url
from rag.connectors.files import scan_path
from rag.settings import Settings
from tests.fakes import HashEmbedder, ScriptedModel
from tests.live import free_port, serving


@pytest.fixture
def served(tmp_path: Path, docs: Path):
    """A server owning data directory `a`, with sample_docs indexed; yields its URL."""
    port = free_port()
    settings = Settings(data_dir=tmp_path / "a", api_url=listen_url("127.0.0.1", port))
    core = RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel())
    core.indexer.sync([scan_path(docs, 10**6)], "default")
    with serving(create_app(settings, core), port) as url:
        yield url
    core.close()


@pytest.fixture
def other_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Data directory `b`, whose server.json names a live process (this one) at an address
    where nothing answers, as a record left by a server on another port would."""
    data_dir = tmp_path / "b"
    data_dir.mkdir()
    dead = f"http://127.0.0.1:{free_port()}"
    (data_dir / "server.json").write_text(json.dumps({"url": dead, "pid": os.getpid()}))
    monkeypatch.setenv("RAG_DATA_DIR", str(data_dir))
    monkeypatch.delenv("RAG_API_URL", raising=False)
    monkeypatch.delenv("RAG_API_KEY", raising=False)
    return data_dir


def _collections(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.cli, ["collections", "list", "--json", *args])
    return result.exit_code, result.output


def test_rag_api_url_wins_over_the_data_directorys_record(
    served: str, other_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAG_API_URL", served)
    code, output = _collections()

    assert code == 0, output
    assert [(c["name"], c["documents"] > 0) for c in json.loads(output)["collections"]] == [
        ("default", True)
    ]
    with Rag.open() as client:
        assert client.url == served


def test_without_rag_api_url_a_record_nobody_answers_at_leaves_the_index_here(
    served: str, other_dir: Path
) -> None:
    code, output = _collections()

    assert code == 0, output
    assert json.loads(output) == {"collections": []}  # b's own (empty) index, opened here


def test_rag_api_url_where_no_server_answers_is_an_error_not_the_local_index(
    other_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("RAG_API_URL", dead)
    result = CliRunner().invoke(cli.cli, ["ask", "What is the warranty?"])

    assert result.exit_code == 1
    assert f"no API server answers at {dead}" in str(result.exception)
    assert not (other_dir / "ledger.sqlite3").exists()  # the index here was never opened


def test_the_local_token_goes_only_to_a_server_on_this_machine(tmp_path: Path) -> None:
    write_local_token(tmp_path, "local-secret")
    settings = Settings(data_dir=tmp_path)
    assert client_key(settings, "http://127.0.0.1:8310") == "local-secret"
    assert client_key(settings, "http://localhost:8310") == "local-secret"
    assert client_key(settings, "http://[::1]:8310") == "local-secret"
    assert client_key(settings, "https://rag.example.com") is None
    assert client_key(settings, "http://10.0.0.7:8000") is None
    with_key = Settings(data_dir=tmp_path, api_key="rag_admin")
    assert client_key(with_key, "https://rag.example.com") == "rag_admin"


def test_a_wildcard_address_is_recorded_as_loopback() -> None:
    assert listen_url("127.0.0.1", 8310) == "http://127.0.0.1:8310"
    assert listen_url("0.0.0.0", 8310) == "http://127.0.0.1:8310"  # noqa: S104
    assert listen_url("::", 8310) == "http://[::1]:8310"
    assert listen_url("192.168.1.5", 80) == "http://192.168.1.5:80"


def test_stop_leaves_a_live_process_alone_when_its_record_does_not_answer(
    other_dir: Path,
) -> None:
    result = CliRunner().invoke(cli.cli, ["serve", "--stop"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "no API server runs"  # and this test process still runs
