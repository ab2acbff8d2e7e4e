"""The running API server, seen from a client on the same data directory.

A server records itself in `$RAG_DATA_DIR/server.json`; while it is alive it owns the index and
the model, and the CLI sends its requests there instead of opening the index itself.
"""

import json
import os
import time
from pathlib import Path

import httpx

from rag.access.auth import local_client_key
from rag.errors import InvalidInputError, NotFoundError, RagError
from rag.settings import Settings

_JOB_POLL_S = 0.25


def read_server_record(data_dir: Path) -> dict[str, object] | None:
    """The live server's record, or None when no server runs (a stale record is ignored)."""
    try:
        record = json.loads((data_dir.expanduser() / "server.json").read_text())
        pid = int(record["pid"])
        os.kill(pid, 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return record


class ServerClient:
    def __init__(self, url: str, api_key: str | None, timeout_s: float = 600) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(base_url=url.rstrip("/"), headers=headers, timeout=timeout_s)
        self.url = url

    @classmethod
    def for_settings(cls, settings: Settings) -> "ServerClient | None":
        record = read_server_record(settings.data_dir)
        if record is None:
            return None
        client = cls(str(record["url"]), local_client_key(settings))
        try:
            client._http.get("/health", timeout=5).raise_for_status()
        except httpx.HTTPError:
            client.close()
            return None
        return client

    def post(self, path: str, body: dict[str, object]) -> dict[str, object]:
        return self._reply(self._http.post(path, json=body))

    def get(self, path: str) -> dict[str, object]:
        return self._reply(self._http.get(path))

    def ingest(self, sources: list[str], collection: str | None) -> dict[str, object]:
        """Run an ingest job on the server and wait for its report. The server reads local paths
        only under its RAG_API_INGEST_ROOTS; they are resolved here, where they were named."""
        urls = [s for s in sources if "://" in s]
        paths = [str(Path(s).expanduser().resolve()) for s in sources if "://" not in s]
        try:
            job = self.post("/v1/ingest", {"paths": paths, "urls": urls, "collection": collection})
        except InvalidInputError as exc:
            refused = f"the API server at {self.url} owns this data directory and refused"
            raise InvalidInputError(f"{refused} the ingest: {exc}") from None
        while job["status"] in ("queued", "running"):
            time.sleep(_JOB_POLL_S)
            job = self.get(f"/v1/jobs/{job['id']}")
        if job["status"] != "done":  # failed, or cancelled by deleting its collection
            raise RagError(f"the ingest job on the API server at {self.url} failed: {job['error']}")
        return job["report"]

    def close(self) -> None:
        self._http.close()

    def _reply(self, response: httpx.Response) -> dict[str, object]:
        if response.is_success:
            return response.json()
        message = error_message(response, f"the server at {self.url}")
        if response.status_code == 404:
            raise NotFoundError(message)
        if 400 <= response.status_code < 500:
            raise InvalidInputError(message)
        raise RagError(message)


def error_message(response: httpx.Response, server: str) -> str:
    """The message of the API's error body, or the status when there is none."""
    try:
        return response.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return f"HTTP {response.status_code} from {server}"
