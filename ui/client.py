"""The UI's only way to the index and the model: the REST API, over HTTP.

Every failure becomes an `ApiError` whose message is meant for the person at the browser:
the API down, the model busy (with how long to wait), a wrong key, or the API's own message.
"""

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx

Upload = tuple[str, bytes, str]  # file name, content, MIME type


class ApiError(Exception):
    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


# What a streamed answer yields: ("answering", None) once the server has searched and starts
# answering, ("text", piece) as verified sentences arrive, then ("result", the ask JSON).
ChatEvent = tuple[str, Any]


class ApiClient:
    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        timeout_s: float = 300.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.base_url, headers=headers, timeout=timeout_s, transport=transport
        )

    def health(self) -> dict[str, Any]:
        return self._call("GET", "/health")

    def models(self) -> dict[str, Any]:
        """`GET /v1/models`: the served models and the generator's card, configured and loaded."""
        return self._call("GET", "/v1/models")

    def collections(self) -> list[dict[str, Any]]:
        """`{"name", "documents", "chunks"}` for each collection."""
        return self._call("GET", "/v1/collections")["collections"]

    def conversations(self, limit: int = 20) -> list[dict[str, Any]]:
        return self._call("GET", "/v1/conversations", params={"limit": limit})["conversations"]

    def create_conversation(self, collection: str, title: str = "") -> dict[str, Any]:
        body = {"collection": collection, "title": title}
        return self._call("POST", "/v1/conversations", json=body)

    def examples(self, collection: str) -> list[str]:
        """Questions the collection's documents answer, each checked by the server."""
        return self._call("GET", "/v1/examples", params={"collection": collection})["questions"]

    def delete_collection(self, name: str) -> None:
        self._call("DELETE", f"/v1/collections/{name}")

    def conversation(self, conversation_id: str) -> dict[str, Any]:
        return self._call("GET", f"/v1/conversations/{conversation_id}")

    def delete_conversation(self, conversation_id: str) -> None:
        self._call("DELETE", f"/v1/conversations/{conversation_id}")

    def create_collection(self, name: str) -> None:
        self._call("POST", "/v1/collections", json={"name": name})

    def documents(self, collection: str) -> list[dict[str, Any]]:
        params = {"collection": collection, "limit": 1000}
        return self._call("GET", "/v1/documents", params=params)["documents"]

    def delete_document(self, collection: str, document_id: str) -> None:
        self._call("DELETE", f"/v1/documents/{document_id}", params={"collection": collection})

    def document_content(self, collection: str, document_id: str) -> bytes:
        path = f"/v1/documents/{document_id}/content"
        return self._send("GET", path, params={"collection": collection}).content

    def document_view(self, collection: str, citation: dict[str, Any]) -> tuple[str, bytes]:
        """The cited place with its span marked, and its media type (PNG or HTML)."""
        params = {"collection": collection, "start": citation["start"], "end": citation["end"]}
        if citation.get("page"):
            params["page"] = citation["page"]
        path = f"/v1/documents/{citation['document_id']}/view"
        response = self._send("GET", path, params=params)
        return response.headers["content-type"], response.content

    def upload(self, collection: str, files: list[Upload]) -> dict[str, Any]:
        parts = [("files", file) for file in files]
        return self._call("POST", "/v1/documents", files=parts, data={"collection": collection})

    def ingest_urls(self, collection: str, urls: list[str]) -> dict[str, Any]:
        return self._call("POST", "/v1/ingest", json={"urls": urls, "collection": collection})

    def job(self, job_id: str) -> dict[str, Any]:
        return self._call("GET", f"/v1/jobs/{job_id}")

    def feedback(self, turn: dict[str, Any], rating: int) -> None:
        """Rate a saved turn; a later rating of the same turn replaces this one."""
        self._call("POST", "/v1/feedback", json={"turn_id": turn["id"], "rating": rating})

    def feedback_export(self, page_size: int = 1000) -> Iterator[dict[str, Any]]:
        """Every stored rating, oldest first, a page at a time (admin keys only)."""
        offset = 0
        while True:
            page = self._call("GET", "/v1/feedback", params={"offset": offset, "limit": page_size})
            yield from page["feedback"]
            offset += len(page["feedback"])
            if not page["feedback"] or offset >= page["total"]:
                return

    async def chat(
        self, question: str, collection: str, **options: Any
    ) -> AsyncIterator[ChatEvent]:
        """A streamed chat completion (pass `conversation_id` to continue a saved
        conversation, `regenerate=True` to answer its last question again).

        Asynchronous so that it can be stopped in any phase: cancelling the task that reads it
        closes the connection at once, even while the server is still searching, and the
        server then stops the answer."""
        messages = [{"role": "user", "content": question}]
        body = {"model": f"rag:{collection}", "messages": messages, "stream": True, **options}
        http = httpx.AsyncClient(
            base_url=self.base_url, headers=self._http.headers, timeout=self._http.timeout
        )
        try:
            async with http, http.stream("POST", "/v1/chat/completions", json=body) as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise _error_of(response, self.base_url)
                yield "answering", None
                async for line in response.aiter_lines():
                    for event in _events_of(line):
                        yield event
        except httpx.TimeoutException as exc:
            raise ApiError(f"The API at {self.base_url} did not answer in time.") from exc
        except httpx.ConnectError as exc:
            raise ApiError(f"The API at {self.base_url} is not reachable.") from exc
        except httpx.HTTPError as exc:
            raise ApiError(f"The answer from {self.base_url} broke off: {exc}") from exc

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        return self._send(method, path, **kwargs).json()

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = self._guard(lambda: self._http.request(method, path, **kwargs))
        if response.status_code >= 400:
            raise _error_of(response, self.base_url)
        return response

    def _guard(self, send):
        try:
            return send()
        except httpx.TimeoutException as exc:
            raise ApiError(f"The API at {self.base_url} did not answer in time.") from exc
        except httpx.HTTPError as exc:
            raise ApiError(
                f"The API at {self.base_url} is not reachable. Is `rag serve` running?"
            ) from exc


def _events_of(line: str) -> Iterator[ChatEvent]:
    """The events of one server-sent line of a chat completion chunk."""
    if not line.startswith("data: ") or line == "data: [DONE]":
        return
    event = json.loads(line[len("data: ") :])
    if "error" in event:
        raise ApiError(event["error"]["message"])
    for choice in event.get("choices", []):
        if text := choice.get("delta", {}).get("content"):
            yield "text", text
    if "rag" in event:
        yield "result", event["rag"]


def _error_of(response: httpx.Response, base_url: str) -> ApiError:
    status = response.status_code
    if status == 401:
        message = f"The API at {base_url} refused the key: set RAG_API_KEY to the server's key."
    elif status == 429:
        wait = response.headers.get("retry-after", "a few")
        message = f"The model is busy with other questions. Try again in {wait} seconds."
    else:
        try:
            message = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = f"The API answered HTTP {status}."
    return ApiError(message, status)
