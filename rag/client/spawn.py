"""The API server of a data directory as a process of its own: started, waited for, stopped.

`rag serve --background` and `rag mcp` start one here; it records itself in `server.json` as
`rag serve` does, so later commands find and reuse it. `rag serve --stop` stops the one
recorded.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from rag.client.http import read_server_record
from rag.errors import ConfigError, RagError
from rag.settings import Settings

START_TIMEOUT_S = 300  # the server loads the model before it answers
_POLL_S = 0.1
_STOP_TIMEOUT_S = 30


def listen_url(host: str, port: int) -> str:
    """The URL clients on this machine reach a server listening on `host`:`port` at (a wildcard
    address is reached on loopback)."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def live_server_url(settings: Settings) -> str | None:
    """The URL of the server recorded in the data directory, when it is alive and answers."""
    record = read_server_record(settings.data_dir)
    if record is None:
        return None
    url = str(record["url"])
    return url if healthy(url) else None


def healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def start_server(
    settings: Settings, host: str, port: int, log_path: Path, *, detach: bool
) -> tuple[subprocess.Popen, str]:
    """Run `rag serve --host --port` and wait until it answers; its output goes to `log_path`.
    `detach`: in a session of its own, so it outlives this process and its terminal. When
    another server took the data directory meanwhile, that one's URL is returned."""
    url = listen_url(host, port)
    try:
        settings.data_dir.expanduser().mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"cannot create data directory {settings.data_dir}: {exc.strerror}"
        ) from None
    command = [sys.executable, "-c", "from rag.cli import main; main()", "serve"]
    command += ["--host", host, "--port", str(port)]
    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=detach,
        )
    deadline = time.monotonic() + START_TIMEOUT_S
    while not healthy(url):
        if process.poll() is not None:
            other = live_server_url(settings)
            if other is not None:
                return process, other
            raise RagError(f"the API server did not start; its log is {log_path}")
        if time.monotonic() > deadline:
            process.kill()
            process.wait()
            raise RagError(f"the API server did not answer in {START_TIMEOUT_S} s; see {log_path}")
        time.sleep(_POLL_S)
    return process, url


def stop_server(settings: Settings) -> str | None:
    """Stop the live server recorded in the data directory and wait until it is gone; its URL,
    or None when none runs. Only a recorded server that answers is signalled, so a stale
    record whose pid now names another process is left alone."""
    record = read_server_record(settings.data_dir)
    if record is None or not healthy(str(record["url"])):
        return None
    pid = int(str(record["pid"]))
    os.kill(pid, signal.SIGTERM)  # uvicorn shuts down, removing its record and token
    deadline = time.monotonic() + _STOP_TIMEOUT_S
    while _alive(pid):
        if time.monotonic() > deadline:
            raise RagError(f"the API server (pid {pid}) did not stop in {_STOP_TIMEOUT_S} s")
        time.sleep(_POLL_S)
    return str(record["url"])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A child of this process (a test's) stays a zombie until reaped; it is gone all the same.
    try:
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return True
