"""`rag mcp`: MCP on stdio, through the API server that owns the data directory.

The live server recorded in `server.json` is used; when none runs, one is started on loopback
(like `rag serve`, recording itself) and stopped when `rag mcp` ends, so the CLI and the UI
keep working beside a desktop client that holds `rag mcp` open for hours. The key is
`RAG_MCP_KEY`, else the local user's token the server wrote. stdout carries the protocol
only: the started server writes to `mcp-server.log` in the data directory.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from rag.access.auth import read_local_token
from rag.client.http import read_server_record
from rag.errors import ConfigError, RagError
from rag.mcp.tools import build_server
from rag.settings import Settings

SERVER_LOG = "mcp-server.log"
_START_TIMEOUT_S = 300  # the server loads the model before it answers
_POLL_S = 0.2


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
    """The URL of the server that owns the data directory, started here if none runs."""
    url = _live_url(settings)
    if url is not None:
        yield url
        return
    process, url = _start(settings)
    try:
        yield url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # uvicorn shuts down, removing its record
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _live_url(settings: Settings) -> str | None:
    record = read_server_record(settings.data_dir)
    if record is None:
        return None
    url = str(record["url"])
    return url if _healthy(url) else None


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def _start(settings: Settings) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "RAG_API_HOST": "127.0.0.1", "RAG_API_PORT": str(port), "RAG_API_URL": url}
    data_dir = settings.data_dir.expanduser()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create data directory {data_dir}: {exc.strerror}") from None
    log_path = data_dir / SERVER_LOG
    command = [sys.executable, "-c", "from rag.cli import main; main()", "serve"]
    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env
        )
    deadline = time.monotonic() + _START_TIMEOUT_S
    while not _healthy(url):
        if process.poll() is not None:
            # Another `rag mcp` or `rag serve` may have taken the data directory meanwhile.
            other = _live_url(settings)
            if other is not None:
                return process, other
            raise RagError(f"the API server did not start; its log is {log_path}")
        if time.monotonic() > deadline:
            process.kill()
            raise RagError(f"the API server did not answer in {_START_TIMEOUT_S} s; see {log_path}")
        time.sleep(_POLL_S)
    return process, url
