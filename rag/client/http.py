"""A running API server, seen from a client: the REST routes' JSON over HTTP.

A server records itself in `$RAG_DATA_DIR/server.json`; while it is alive it owns the index and
the model, and the CLI and `Rag.open()` send their requests there instead of opening the index.
An error reply becomes the exception the server raised (its body names the class), so a caller
catches the same errors as in-process.
"""

import ipaddress
import json
import os
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from rag import errors
from rag.access.auth import local_client_key
from rag.client.backend import JsonObject
from rag.errors import ConfigError, InvalidInputError, ModelBusyError, NotFoundError, RagError
from rag.settings import Settings

_JOB_POLL_S = 0.25
_DOCUMENTS_PAGE = 1000  # the most GET /v1/documents gives at once


def read_server_record(data_dir: Path) -> dict[str, object] | None:
    """The live server's record, or None when no server runs (a stale record is ignored)."""
    try:
        record = json.loads((data_dir.expanduser() / "server.json").read_text())
        pid = int(record["pid"])
        os.kill(pid, 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return record


def client_key(settings: Settings, url: str) -> str | None:
    """What to send the server at `url`: RAG_API_KEY, else the data directory's local token,
    which only a server on this machine (a loopback address) is given: it is the local user's."""
    if settings.api_key is not None:
        return settings.api_key.get_secret_value()
    return local_client_key(settings) if is_loopback(url) else None


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ServerClient:
    def __init__(self, url: str, api_key: str | None, timeout_s: float = 600) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        # Certificates are checked for an https URL; a plain-http one (the local server's) never
        # uses TLS, and loading the CA bundle for nothing was ~50 ms of each CLI command.
        tls = urlsplit(url).scheme == "https"
        self._http = httpx.Client(
            base_url=url.rstrip("/"), headers=headers, timeout=timeout_s, verify=tls
        )
        self.url = url

    @classmethod
    def connect(cls, url: str, api_key: str | None) -> "ServerClient":
        """A client of the server at `url`, once its /health answers."""
        client = cls(url, api_key)
        try:
            client._http.get("/health", timeout=5).raise_for_status()
        except httpx.HTTPError as exc:
            client.close()
            raise ConfigError(
                f"no API server answers at {url} ({exc}): start one with `rag serve`, "
                "or check the URL"
            ) from None
        return client

    @classmethod
    def for_settings(cls, settings: Settings) -> "ServerClient | None":
        """The server RAG_API_URL names (an error when it does not answer), else the live
        server that owns `settings.data_dir`, else None (none runs). The key is RAG_API_KEY,
        else the local token of the data directory."""
        if os.environ.get("RAG_API_URL"):
            return cls.connect(settings.api_url, client_key(settings, settings.api_url))
        record = read_server_record(settings.data_dir)
        if record is None:
            return None
        try:
            return cls.connect(str(record["url"]), local_client_key(settings))
        except ConfigError:
            return None

    def post(self, path: str, body: JsonObject) -> JsonObject:
        return self._send("POST", path, json=body)

    def get(self, path: str, params: dict[str, object] | None = None) -> JsonObject:
        shown = {k: v for k, v in (params or {}).items() if v is not None}
        return self._send("GET", path, params=shown)

    def search(self, query: str, options: JsonObject) -> JsonObject:
        return self.post("/v1/search", {"query": query, **options})

    def ask(self, question: str, options: JsonObject) -> JsonObject:
        return self.post("/v1/query", {"question": question, **options})

    def stream(self, question: str, options: JsonObject) -> Generator[str | JsonObject, None, None]:
        """The answer's text as the server releases it, then its whole JSON (the chat route's
        server-sent events; leaving the loop early closes the connection, which stops the
        model)."""
        body = {"messages": [{"role": "user", "content": question}], "stream": True, **options}
        try:
            with self._http.stream("POST", "/v1/chat/completions", json=body) as response:
                if not response.is_success:
                    response.read()
                    raise self._error(response)
                for line in response.iter_lines():
                    if not line.startswith("data: ") or line == "data: [DONE]":
                        continue
                    event = json.loads(line.removeprefix("data: "))
                    if "error" in event:
                        raise error_of(event["error"]["type"], event["error"]["message"], 500)
                    if "rag" in event:
                        yield event["rag"]
                    elif piece := event["choices"][0]["delta"].get("content"):
                        yield piece
        except httpx.TransportError as exc:
            raise self._unreachable(exc) from None

    def ingest(self, sources: list[str], collection: str | None) -> JsonObject:
        """Run an ingest job on the server and wait for its report. The server reads local paths
        only under its RAG_API_INGEST_ROOTS; they are resolved here, where they were named."""
        urls = [s for s in sources if "://" in s]
        paths = [str(Path(s).expanduser().resolve()) for s in sources if "://" not in s]
        try:
            job = self.post("/v1/ingest", {"paths": paths, "urls": urls, "collection": collection})
        except InvalidInputError as exc:
            refused = f"the API server at {self.url} refused the ingest"
            raise InvalidInputError(f"{refused}: {exc}") from None
        while job["status"] in ("queued", "running"):
            time.sleep(_JOB_POLL_S)
            job = self.get(f"/v1/jobs/{job['id']}")
        if job["status"] != "done":  # failed, or cancelled by deleting its collection
            raise RagError(f"the ingest job on the API server at {self.url} failed: {job['error']}")
        return job["report"]

    def collections(self) -> JsonObject:
        return self.get("/v1/collections")

    def create_collection(self, name: str) -> JsonObject:
        return self.post("/v1/collections", {"name": name})

    def delete_collection(self, name: str) -> JsonObject:
        return self._send("DELETE", f"/v1/collections/{quote(name, safe='')}")

    def documents(self, collection: str | None) -> JsonObject:
        """Every document of the collection, read page by page."""
        listed: list[JsonObject] = []
        while True:
            params = {"collection": collection, "offset": len(listed), "limit": _DOCUMENTS_PAGE}
            page = self.get("/v1/documents", params)
            listed += page["documents"]
            if not page["documents"] or len(listed) >= page["total"]:
                return {**page, "documents": listed}

    def delete_document(self, document_id: str, collection: str | None) -> JsonObject:
        params = {"collection": collection} if collection else {}
        path = f"/v1/documents/{quote(document_id, safe='')}"
        return self._send("DELETE", path, params=params)

    def tables(self, collection: str | None) -> JsonObject:
        return self.get("/v1/tables", {"collection": collection} if collection else None)

    def table(self, name: str, collection: str | None, offset: int, limit: int) -> JsonObject:
        params: dict[str, object] = {"offset": offset, "limit": limit}
        if collection:
            params["collection"] = collection
        return self.get(f"/v1/tables/{quote(name, safe='')}", params)

    def table_query(self, sql: str, collection: str | None, max_rows: int) -> JsonObject:
        body = {"sql": sql, "collection": collection, "max_rows": max_rows}
        return self.post("/v1/tables/query", body)

    def close(self) -> None:
        self._http.close()

    def _send(self, method: str, path: str, **arguments: Any) -> JsonObject:
        try:
            response = self._http.request(method, path, **arguments)
        except httpx.TransportError as exc:
            raise self._unreachable(exc) from None
        if response.is_success:
            return response.json()
        raise self._error(response)

    def _error(self, response: httpx.Response) -> RagError:
        try:
            kind = str(response.json()["error"]["type"])
        except (ValueError, KeyError, TypeError):
            kind = ""
        message = error_message(response, f"the server at {self.url}")
        return error_of(kind, message, response.status_code, response.headers.get("Retry-After"))

    def _unreachable(self, exc: httpx.TransportError) -> RagError:
        return RagError(f"the API server at {self.url} did not answer: {exc}")


def error_of(kind: str, message: str, status: int, retry_after: str | None = None) -> RagError:
    """The project's exception an error reply names (`kind`), else the one its status means."""
    if status == 429 or kind == ModelBusyError.__name__:
        return ModelBusyError(message, int(retry_after or 1))
    named = getattr(errors, kind, None) if kind else None
    if isinstance(named, type) and issubclass(named, RagError):
        return named(message)
    if status == 404:
        return NotFoundError(message)
    if 400 <= status < 500:
        return InvalidInputError(message)
    return RagError(message)


def error_message(response: httpx.Response, server: str) -> str:
    """The message of the API's error body, or the status when there is none."""
    try:
        return response.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return f"HTTP {response.status_code} from {server}"
