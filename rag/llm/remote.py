"""Any OpenAI-compatible chat server (llama.cpp server, vLLM, TGI) as a chat model, or several.

The URLs come from settings, never from a request: `RAG_LLM_URL` names one server or several
separated by commas, and requests are spread over them (`rag.llm.endpoints`). A request that
fails on one server before its first piece of text has been handed on is tried on the next; once
text has gone out it cannot be taken back, so a stream cut after that is a `ModelError`.

Token counts are estimated from characters (a server's tokenizer is not reachable through the
OpenAI API), erring high so budgeting keeps prompts inside the server's context.
"""

import json
import logging
from collections.abc import Iterable, Iterator
from contextlib import closing
from typing import Any

import httpx

from rag.errors import ModelError
from rag.llm import Message
from rag.llm.endpoints import Endpoint, EndpointPool

log = logging.getLogger(__name__)
CHARS_PER_TOKEN = 3  # English averages ~4; 3 over-counts on purpose
TOKENS_PER_MESSAGE = 8
CONNECT_TIMEOUT_S = 10.0


class _UnavailableError(Exception):
    """A server failed in a way another server may not: unreachable, overloaded, cut off."""


class RemoteChatModel:
    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None,
        n_ctx: int,
        parallel: int,
        timeout_s: float,
        temperature: float,
        adapters: Iterable[str] = (),
        backoff_s: float = 1.0,
        max_backoff_s: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """`base_url`: one base URL ending in /v1, or several separated by commas."""
        self.model_id = model
        # Servers such as vLLM (--lora-modules) serve each LoRA adapter under its own model name.
        self.adapters = frozenset(adapters)
        self.n_ctx = n_ctx
        self.parallel = parallel
        urls = [url.strip() for url in base_url.split(",") if url.strip()]
        self.pool = EndpointPool(urls, backoff_s=backoff_s, max_backoff_s=max_backoff_s)
        self._http = httpx.Client(
            headers={"Authorization": f"Bearer {api_key}"} if api_key else {},
            timeout=httpx.Timeout(timeout_s, connect=min(CONNECT_TIMEOUT_S, timeout_s)),
            transport=transport,
        )
        self._temperature = temperature

    def count_tokens(self, messages: list[Message]) -> int:
        chars = sum(len(m.get("content") or "") for m in messages)
        return chars // CHARS_PER_TOKEN + TOKENS_PER_MESSAGE * len(messages)

    def stream(
        self,
        messages: list[Message],
        max_tokens: int,
        stop: list[str],
        adapter: str | None = None,
        json_schema: dict[str, Any] | None = None,
    ) -> Iterator[str]:
        body: dict[str, Any] = {
            "model": adapter or self.model_id,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": self._temperature,
            "stream": True,
        }
        if stop:
            body["stop"] = stop[:4]  # the OpenAI API accepts at most four
        failures: list[str] = []
        for endpoint in self.pool.order():
            with self.pool.busy(endpoint):
                pieces = self._pieces(endpoint, body, json_schema)
                try:
                    first = next(pieces, None)
                except _UnavailableError as exc:
                    self.pool.failed(endpoint)
                    log.warning(
                        "model server %s failed before its first token: %s", endpoint.url, exc
                    )
                    failures.append(f"the model server at {endpoint.url} failed: {exc}")
                    continue
                try:
                    if first is not None:
                        yield first
                        yield from pieces
                except _UnavailableError as exc:
                    self.pool.failed(endpoint)
                    log.warning("model server %s failed mid-answer: %s", endpoint.url, exc)
                    raise ModelError(
                        f"the model server at {endpoint.url} stopped in the middle of the answer "
                        f"({exc}); the answer is incomplete, ask again"
                    ) from None
                finally:
                    pieces.close()
                self.pool.succeeded(endpoint)
                return
        raise ModelError("; ".join(failures))

    def _pieces(
        self, endpoint: Endpoint, body: dict[str, Any], json_schema: dict[str, Any] | None
    ) -> Iterator[str]:
        """The text one server streams for `body`."""
        finished = False
        try:
            with closing(self._open(endpoint, body, json_schema)) as response:
                for line in response.iter_lines():
                    event = _event(line)
                    if event is None:
                        break
                    piece, finish = event
                    finished = finished or finish
                    if piece:
                        yield piece
        except httpx.TransportError as exc:  # refused, timed out, cut off
            raise _UnavailableError(str(exc) or type(exc).__name__) from None
        if not finished:
            # llama-cpp-python's server ends a stream this way when a newer request interrupts
            # it (unless started with --interrupt_requests False).
            raise _UnavailableError("the stream ended without a finish reason")

    def _open(
        self, endpoint: Endpoint, body: dict[str, Any], json_schema: dict[str, Any] | None
    ) -> httpx.Response:
        if json_schema is not None:
            body = {**body, "response_format": _response_format(json_schema, endpoint)}
        request = self._http.build_request("POST", f"{endpoint.url}/chat/completions", json=body)
        response = self._http.send(request, stream=True)
        if response.status_code == 200:
            return response
        response.read()
        response.close()
        if _refuses_json_schema(response, endpoint, json_schema):
            endpoint.schema_as_json_object = True
            return self._open(endpoint, body, json_schema)
        status, text = response.status_code, response.text[:200]
        if status == 429 or status >= 500:
            raise _UnavailableError(f"it answered {status}: {text}")
        raise ModelError(f"the model server at {endpoint.url} answered {status}: {text}")


def _response_format(schema: dict[str, Any], endpoint: Endpoint) -> dict[str, Any]:
    """Structured output in the form the server takes (vLLM, llama.cpp server and OpenAI take
    OpenAI's; llama-cpp-python's server takes only its own)."""
    if endpoint.schema_as_json_object:
        return {"type": "json_object", "schema": schema}
    return {
        "type": "json_schema",
        "json_schema": {"name": "reply", "schema": schema, "strict": True},
    }


def _refuses_json_schema(
    response: httpx.Response, endpoint: Endpoint, json_schema: dict[str, Any] | None
) -> bool:
    return (
        json_schema is not None
        and not endpoint.schema_as_json_object
        and "response_format" in response.text
    )


def _event(line: str) -> tuple[str, bool] | None:
    """One server-sent event line as (text, whether it carries a finish reason); None at the end
    of the stream."""
    if not line.startswith("data:"):
        return "", False
    data = line[len("data:") :].strip()
    if data == "[DONE]":
        return None
    try:
        event = json.loads(data)
        choice = (event.get("choices") or [{}])[0]
    except (json.JSONDecodeError, AttributeError, IndexError, TypeError):
        raise ModelError(f"the model server sent a malformed event: {data[:100]}") from None
    if event.get("error"):  # vLLM and others report a failure mid-stream this way
        raise _UnavailableError(f"it reported {json.dumps(event['error'])[:200]}")
    text = (choice.get("delta") or {}).get("content") or ""
    return text, choice.get("finish_reason") is not None
