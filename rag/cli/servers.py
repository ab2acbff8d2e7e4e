"""`rag serve` and `rag ui`: the long-running front doors."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from rag.access.auth import local_token_path
from rag.settings import load_settings


def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535)] = None,
) -> None:
    """Run the REST API (it owns the index and the model while it runs)."""
    import uvicorn

    from rag.api import create_app

    settings = load_settings()
    uvicorn.run(
        create_app(settings),
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_level="info",
    )


def ui() -> None:
    """Run the Streamlit chat UI (a client of the API at RAG_API_URL)."""
    import os

    import rag.ui

    settings = load_settings()
    script = Path(rag.ui.__file__).with_name("app.py")
    env = {
        **os.environ,
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "RAG_API_URL": settings.api_url,
    }
    # Once keys exist the UI needs one: RAG_API_KEY, else the local token of whichever server
    # runs now (a new one at each start, so the UI reads the file, not today's value).
    if settings.api_key is None:
        env["RAG_LOCAL_TOKEN_FILE"] = str(local_token_path(settings.data_dir))
    else:
        env["RAG_API_KEY"] = settings.api_key.get_secret_value()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless=true",
        f"--server.address={settings.ui_host}",
        "--browser.gatherUsageStats=false",
        "--client.toolbarMode=minimal",
        "--client.showErrorDetails=none",  # an unexpected error shows a message, no traceback
    ]
    # Become the Streamlit server: stopping `rag ui` then stops the UI (a child would outlive it).
    os.execve(sys.executable, command, env)  # noqa: S606
