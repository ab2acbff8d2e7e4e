"""Real `rag serve` and `rag ui` processes on free ports: the server records the address it
listens on, the CLI on that data directory reaches it (ask, collections, ingest), a background
server is reused and stopped, and the UI listens where --port says."""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from rag.client.http import read_server_record
from tests.live import free_port, running

pytestmark = pytest.mark.integration

RAG = str(Path(sys.executable).with_name("rag"))
ROOT = Path(__file__).resolve().parents[2]
QUESTION = "How much does the Aurora K2 wall bracket cost?"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "price-list.md").write_text((ROOT / "sample_docs" / "price-list.md").read_text())
    environ = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    return {**environ, "RAG_DATA_DIR": str(tmp_path / "data"), "RAG_API_INGEST_ROOTS": str(shared)}


def _rag(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [RAG, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture
def server(env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    """`rag serve --port P` (P not the default) on a fresh data directory; yields its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [RAG, "serve", "--port", str(port)]
    with running(command, env, f"{url}/health", tmp_path / "serve.log"):
        yield url


def test_serve_port_is_recorded_and_the_cli_goes_through_it(
    server: str, env: dict[str, str], tmp_path: Path
) -> None:
    data_dir = Path(env["RAG_DATA_DIR"])
    assert read_server_record(data_dir)["url"] == server  # type: ignore[index]

    # fresh: nothing ingested yet (the first call reads the GGUF card: seconds)
    models = httpx.get(f"{server}/v1/models", timeout=120).json()
    assert [m["id"] for m in models["data"]] == ["rag:default"]
    assert models["data"][0]["card"]["name"] == "bundled"

    ingested = _rag(env, "ingest", str(tmp_path / "shared"), "--json")
    assert ingested.returncode == 0, ingested.stderr
    assert len(json.loads(ingested.stdout)["added"]) == 1

    listed = _rag(env, "collections", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [(c["name"], c["documents"]) for c in json.loads(listed.stdout)["collections"]] == [
        ("default", 1)
    ]
    asked = _rag(env, "ask", QUESTION, "--json")
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert any(c["source"].endswith("price-list.md") for c in answer["citations"]), answer

    # RAG_API_URL names this server from a data directory that has none.
    elsewhere = {**env, "RAG_DATA_DIR": str(tmp_path / "elsewhere"), "RAG_API_URL": server}
    listed = _rag(elsewhere, "collections", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [c["name"] for c in json.loads(listed.stdout)["collections"]] == ["default"]


def test_a_background_server_is_reused_and_stopped(env: dict[str, str]) -> None:
    data_dir = Path(env["RAG_DATA_DIR"])
    port = free_port()
    started = _rag(env, "serve", "--background", "--port", str(port))
    record = read_server_record(data_dir)
    try:
        assert started.returncode == 0, started.stderr
        assert record is not None and record["url"] == f"http://127.0.0.1:{port}"
        assert f"http://127.0.0.1:{port}" in started.stdout

        again = _rag(env, "serve", "--background", "--port", str(free_port()))
        assert again.returncode == 0, again.stderr
        assert read_server_record(data_dir) == record  # the running one, not a second

        listed = _rag(env, "collections", "list", "--json")  # through it: the index is its
        assert listed.returncode == 0, listed.stderr

        stopped = _rag(env, "serve", "--stop")
        assert stopped.returncode == 0, stopped.stderr
        assert "stopped the API server" in stopped.stdout
        assert read_server_record(data_dir) is None
        assert not _alive(int(str(record["pid"])))
    finally:
        if record is not None and _alive(pid := int(str(record["pid"]))):
            os.kill(pid, signal.SIGKILL)
    assert _rag(env, "serve", "--stop").stdout.strip() == "no API server runs"


def test_ui_listens_on_its_port(env: dict[str, str], tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    unset = {k: v for k, v in env.items() if not k.startswith("STREAMLIT_")}
    command = [RAG, "ui", "--host", "127.0.0.1", "--port", str(port)]
    with running(command, unset, f"{url}/_stcore/health", tmp_path / "ui.log") as process:
        assert httpx.get(url).status_code == 200
    assert process.poll() is not None  # `rag ui` became Streamlit: stopping it stopped the UI


def _alive(pid: int) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.1)
    return True
