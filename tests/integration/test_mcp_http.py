"""MCP over streamable HTTP at /mcp on a live API server, driven by the SDK's own client:
each tool is bound to the calling key's scopes and role, resources give documents' text, and
bad calls are clear errors."""

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from rag.access.keys import KeyStore, Role
from rag.api import create_app
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.settings import Settings
from tests.fakes import HashEmbedder, ScriptedModel
from tests.live import free_port, serving

pytestmark = pytest.mark.integration

SECRET = "The finance codeword is OSPREY-5521."
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}


@pytest.fixture
def server(tmp_path: Path, docs: Path) -> Iterator[tuple[str, dict[str, str], RagApp]]:
    port = free_port()
    settings = Settings(
        data_dir=tmp_path / "data",
        api_url=f"http://127.0.0.1:{port}",
        chunk_size=64,
        chunk_overlap=8,
    )
    core = RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel())
    core.indexer.sync([scan_path(docs, 10**6)], "default")
    finance = tmp_path / "finance"
    finance.mkdir()
    (finance / "ledger.md").write_text(f"# Ledger\n\n{SECRET}\n")
    core.indexer.sync([scan_path(finance, 10**6)], "finance")
    store = KeyStore(core.data_dir.root)
    keys = {
        "reader": store.create("agent-reader", Role.reader, ("default",)),
        "writer": store.create("agent-writer", Role.writer, None),
    }
    with serving(create_app(settings, core), port) as url:
        yield url, keys, core
    core.close()


def _client(url: str, key: str | None, errors: list[tuple[int, object]] | None = None) -> Client:
    """An MCP client sending `key`; each HTTP error response goes into `errors`, when given."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}

    async def record(response: httpx2.Response) -> None:
        if errors is not None and response.is_error:
            await response.aread()
            errors.append((response.status_code, response.json()))

    http = httpx2.AsyncClient(headers=headers, timeout=60, event_hooks={"response": [record]})
    return Client(streamable_http_client(f"{url}/mcp", http_client=http))


def _data(result) -> dict:
    assert not result.is_error, result.content
    return result.structured_content or json.loads(result.content[0].text)


def test_a_reader_key_gets_its_collections_and_nothing_else(server) -> None:
    url, keys, _ = server

    async def scenario() -> None:
        async with _client(url, keys["reader"]) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            assert names == {"search", "ask", "list_collections", "list_documents", "ingest_url"}

            listed = _data(await client.call_tool("list_collections", {}))
            assert [c["name"] for c in listed["collections"]] == ["default"]

            found = _data(await client.call_tool("search", {"query": "warranty cycles"}))
            assert found["results"] and all("finance" not in r["source"] for r in found["results"])

            hidden = await client.call_tool(
                "search", {"query": "codeword", "collection": "finance"}
            )
            assert hidden.is_error
            # The same words as for a collection that does not exist.
            assert hidden.content[0].text.endswith(
                ": collection 'finance' does not exist (HTTP 404)"
            )

            refused = await client.call_tool("ingest_url", {"url": "https://example.com/"})
            assert refused.is_error and "needs writer" in refused.content[0].text

            answered = _data(await client.call_tool("ask", {"question": "What is the warranty?"}))
            assert {"answer", "abstained", "citations"} <= set(answered)
            assert SECRET not in json.dumps(answered)

            documents = _data(await client.call_tool("list_documents", {}))
            uri = next(d["uri"] for d in documents["documents"] if "price-list" in d["source"])
            assert uri.startswith("rag://documents/default/")
            text = (await client.read_resource(uri)).contents[0].text
            assert "batteries" in text.lower()

            with pytest.raises(MCPError, match="does not exist"):
                await client.read_resource(f"rag://documents/finance/{uri.rsplit('/', 1)[1]}")

    asyncio.run(scenario())


def test_a_writer_key_may_ingest(server) -> None:
    url, keys, _ = server

    async def scenario() -> None:
        async with _client(url, keys["writer"]) as client:
            job = _data(await client.call_tool("ingest_url", {"url": "http://127.0.0.1:9/"}))
            # Waited for: a loopback address is refused by the web connector's address check.
            assert job["status"] == "failed" or job["report"]["failed"], job
            assert job["collection"] == "default"
            listed = _data(await client.call_tool("list_collections", {}))
            assert {c["name"] for c in listed["collections"]} == {"default", "finance"}

    asyncio.run(scenario())


def test_bad_calls_are_clear_errors(server) -> None:
    url, keys, _ = server

    async def scenario() -> None:
        async with _client(url, keys["reader"]) as client:
            wrong_type = await client.call_tool("search", {"query": 42, "top_k": "many"})
            assert wrong_type.is_error and "query" in wrong_type.content[0].text
            too_many = await client.call_tool("search", {"query": "x", "top_k": 10_000})
            assert too_many.is_error and "top_k" in too_many.content[0].text
            missing = await client.call_tool("ask", {})
            assert missing.is_error and "question" in missing.content[0].text
            unknown = await client.call_tool("nope", {})
            assert unknown.is_error and unknown.content[0].text == "Unknown tool: nope"

    asyncio.run(scenario())


def test_without_a_good_key_mcp_is_refused(server) -> None:
    url, keys, _ = server
    for headers in ({}, {"Authorization": "Bearer rag_" + "x" * 43}):
        refused = httpx.post(f"{url}/mcp", json=INITIALIZE, headers=headers)
        assert refused.status_code == 401
        assert refused.json()["error"]["type"] == "Unauthorized"


def test_a_revoked_key_is_refused_at_its_next_tool_call(server) -> None:
    url, keys, core = server
    errors: list[tuple[int, object]] = []

    async def scenario() -> None:
        async with _client(url, keys["reader"], errors) as client:
            assert not (await client.call_tool("list_collections", {})).is_error
            KeyStore(core.data_dir.root).revoke("agent-reader")
            with pytest.raises(MCPError, match="Server returned an error response"):
                await client.call_tool("list_collections", {})

    asyncio.run(scenario())
    revoked = {"type": "Unauthorized", "message": "the API key 'agent-reader' was revoked"}
    assert errors == [(401, {"error": revoked})]
