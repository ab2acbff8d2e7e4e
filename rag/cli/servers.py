"""`rag serve` and `rag ui`: the long-running front doors."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from rag.access.auth import local_token_path
from rag.settings import Settings, load_settings

HostOpt = Annotated[str | None, typer.Option("--host", help="The address to listen on.")]
PortOpt = Annotated[
    int | None, typer.Option("--port", min=1, max=65535, help="The port to listen on.")
]
SERVER_LOG = "server.log"  # where `rag serve --background` writes, in the data directory


def serve(
    host: HostOpt = None,
    port: PortOpt = None,
    background: Annotated[
        bool,
        typer.Option(
            "--background",
            help="Start the server in the background (its log: server.log in the data "
            "directory) and return once it answers; later commands use it.",
        ),
    ] = False,
    stop: Annotated[
        bool, typer.Option("--stop", help="Stop the server running for the data directory.")
    ] = False,
) -> None:
    """Run the REST API (it owns the index and the model while it runs)."""
    from rag.client import spawn

    settings = load_settings()
    if stop:
        stopped = spawn.stop_server(settings)
        typer.echo(f"stopped the API server at {stopped}" if stopped else "no API server runs")
        return
    host, port = host or settings.api_host, port or settings.api_port
    if background:
        running = spawn.live_server_url(settings)
        if running is None:
            log = settings.data_dir.expanduser() / SERVER_LOG
            _, running = spawn.start_server(settings, host, port, log, detach=True)
        typer.echo(f"the API server runs at {running}; stop it with `rag serve --stop`")
        return
    _serve(settings, host, port)


def _serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from rag.api import create_app
    from rag.client.spawn import listen_url

    # server.json records where this server listens, whatever RAG_API_URL says.
    listening = settings.model_copy(
        update={"api_host": host, "api_port": port, "api_url": listen_url(host, port)}
    )
    uvicorn.run(create_app(listening), host=host, port=port, log_level="info")


def ui(host: HostOpt = None, port: PortOpt = None) -> None:
    """Run the Streamlit chat UI (a client of the API at RAG_API_URL, else of the server
    running for the data directory). Its port: --port, else STREAMLIT_SERVER_PORT, else 8501."""
    import os

    import rag.ui
    from rag.client.http import is_loopback
    from rag.client.spawn import live_server_url

    settings = load_settings()
    script = Path(rag.ui.__file__).with_name("app.py")
    api_url = settings.api_url
    if not os.environ.get("RAG_API_URL"):
        api_url = live_server_url(settings) or api_url
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "RAG_API_URL": api_url}
    # Once keys exist the UI needs one: RAG_API_KEY, else the local token of whichever server
    # runs now (a new one at each start, so the UI reads the file, not today's value).
    # The local token goes only to a server on this machine.
    if settings.api_key is None and is_loopback(api_url):
        env["RAG_LOCAL_TOKEN_FILE"] = str(local_token_path(settings.data_dir))
    elif settings.api_key is not None:
        env["RAG_API_KEY"] = settings.api_key.get_secret_value()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless=true",
        f"--server.address={host or settings.ui_host}",
        "--browser.gatherUsageStats=false",
        "--client.toolbarMode=minimal",
        "--client.showErrorDetails=none",  # an unexpected error shows a message, no traceback
    ]
    if port is not None:  # else Streamlit's own STREAMLIT_SERVER_PORT, or its 8501
        command.append(f"--server.port={port}")
    # Become the Streamlit server: stopping `rag ui` then stops the UI (a child would outlive it).
    os.execve(sys.executable, command, env)  # noqa: S606
