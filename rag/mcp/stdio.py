"""`rag mcp`: MCP on stdio, through the API server that owns the data directory.

The server RAG_API_URL names is used, else the live server recorded in `server.json`; when
none runs, one is started on loopback (like `rag serve`, recording itself) and stopped when
`rag mcp` ends, so the CLI and the UI keep working beside a desktop client that holds
`rag mcp` open for hours. The key is `RAG_MCP_KEY`, else the local user's token the server
wrote. stdout carries the protocol only: the started server writes to `mcp-server.log` in
the data directory.
"""

import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from rag.access.auth import read_local_token
from rag.client.spawn import live_server_url, start_server
from rag.mcp.tools import build_server
from rag.settings import Settings

SERVER_LOG = "mcp-server.log"


def run_stdio(settings: Settings) -> None:
    with api_server(settings) as url:
        key = _key(settings)
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        client = httpx.AsyncClient(base_url=url, headers=headers, timeout=600)
        build_server(lambda _: (client, {})).run("stdio")


def _key(settings: Settings) -> str | None:
    if settings.mcp_key is not None:
        return settings.mcp_key.get_secret_value()
    return read_local_token(settings.data_dir)


@contextmanager
def api_server(settings: Settings) -> Iterator[str]:
    """The URL of the server RAG_API_URL names, else of the one that owns the data directory,
    started here if none runs."""
    url = settings.api_url if os.environ.get("RAG_API_URL") else live_server_url(settings)
    if url is not None:
        yield url
        return
    log = settings.data_dir.expanduser() / SERVER_LOG
    process, url = start_server(settings, "127.0.0.1", _free_port(), log, detach=False)
    try:
        yield url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # uvicorn shuts down, removing its record
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
