"""`rag mcp` on stdio, driven by the SDK's own client: it goes through the API server that
owns the data directory, starting one (real models) when none runs, as the local user or
with RAG_MCP_KEY's scopes; stdout carries the protocol only."""

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from rag.access.keys import KeyStore, Role
from rag.api import create_app
from rag.app import RagApp
from rag.client.http import read_server_record
from rag.connectors.files import scan_path
from rag.settings import Settings
from tests.fakes import HashEmbedder, ScriptedModel
from tests.integration.test_mcp_http import INITIALIZE
from tests.live import free_port, serving

pytestmark = pytest.mark.integration

RAG = str(Path(sys.executable).with_name("rag"))


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    return {**keep, "RAG_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", **extra}


def _rag_mcp(env: dict[str, str]) -> Client:
    return Client(StdioServerParameters(command=RAG, args=["mcp"], env=env))


def _data(result) -> dict:
    assert not result.is_error, result.content
    return result.structured_content or json.loads(result.content[0].text)


@pytest.fixture
def live_server(tmp_path: Path, docs: Path) -> Iterator[Settings]:
    """A server already owning the data directory (fakes inside, in this process)."""
    port = free_port()
    settings = Settings(
        data_dir=tmp_path / "data", api_url=f"http://127.0.0.1:{port}", chunk_size=64
    )
    core = RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel())
    core.indexer.sync([scan_path(docs, 10**6)], "default")
    (tmp_path / "hr").mkdir()
    (tmp_path / "hr" / "pay.md").write_text("# Pay\n\nSalaries are paid on the 25th.\n")
    core.indexer.sync([scan_path(tmp_path / "hr", 10**6)], "hr")
    with serving(create_app(settings, core), port):
        yield settings
    core.close()


def test_rag_mcp_uses_the_live_server_as_the_local_user(live_server: Settings) -> None:
    KeyStore(live_server.data_dir.resolve()).create("someone", Role.reader, ("hr",))

    async def scenario() -> None:
        async with _rag_mcp(_env(live_server.data_dir)) as client:
            listed = _data(await client.call_tool("list_collections", {}))
            assert [c["name"] for c in listed["collections"]] == ["default", "hr"]
            found = _data(await client.call_tool("search", {"query": "warranty cycles"}))
            assert found["results"][0]["source"].endswith("aurora-k2-manual.md")

    asyncio.run(scenario())
    assert read_server_record(live_server.data_dir) is not None  # not ours to stop


def test_rag_mcp_with_a_key_has_its_scopes(live_server: Settings) -> None:
    key = KeyStore(live_server.data_dir.resolve()).create("desktop", Role.reader, ("hr",))

    async def scenario() -> None:
        async with _rag_mcp(_env(live_server.data_dir, RAG_MCP_KEY=key)) as client:
            listed = _data(await client.call_tool("list_collections", {}))
            assert [c["name"] for c in listed["collections"]] == ["hr"]
            refused = await client.call_tool("search", {"query": "warranty"})
            assert refused.is_error
            assert refused.content[0].text.endswith(
                "collection 'default' does not exist (HTTP 404)"
            )

    asyncio.run(scenario())


def test_stdout_carries_the_protocol_only(live_server: Settings) -> None:
    process = subprocess.run(
        [RAG, "mcp"],
        input=json.dumps(INITIALIZE) + "\n",
        capture_output=True,
        text=True,
        env=_env(live_server.data_dir),
        timeout=60,
    )
    lines = process.stdout.splitlines()
    assert lines and all(json.loads(line)["jsonrpc"] == "2.0" for line in lines)
    assert json.loads(lines[0])["result"]["serverInfo"]["name"] == "rag"


def test_rag_mcp_starts_a_server_when_none_runs_and_the_cli_keeps_working(
    tmp_path: Path,
) -> None:
    """Real models: `rag mcp` starts `rag serve` on loopback; beside it the CLI goes through
    that server; when the client closes, the server it started stops."""
    data_dir = tmp_path / "data"
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "boiler.md").write_text("# Boiler\n\nThe boiler is serviced every October.\n")
    env = _env(data_dir)
    subprocess.run([RAG, "ingest", str(notes)], env=env, check=True, capture_output=True)

    async def scenario() -> None:
        async with _rag_mcp(env) as client:
            record = read_server_record(data_dir)
            assert record is not None and str(record["url"]).startswith("http://127.0.0.1:")
            found = _data(await client.call_tool("search", {"query": "boiler service"}))
            assert found["results"][0]["source"].endswith("boiler.md")
            beside = subprocess.run(
                [RAG, "search", "boiler", "--json"], env=env, capture_output=True, text=True
            )
            assert beside.returncode == 0, beside.stderr
            assert json.loads(beside.stdout)["results"][0]["source"].endswith("boiler.md")

    asyncio.run(scenario())
    assert read_server_record(data_dir) is None
